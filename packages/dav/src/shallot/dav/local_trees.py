"""Whole trees of local files: delete, copy and measure them, reporting what failed.

The recursive half of :class:`~shallot.dav.filesystem.FilesystemProvider`. Symbolic links are
never followed out of the share: deleting a link removes the link, copying copies what a link
inside the share points to (in a linked folder, links are skipped, so no cycle can form), and
measuring skips links. Failures are :class:`~shallot.dav.errors.Failure` records holding the
member's resource path; only the members that failed are reported, never their ancestors (RFC
4918 section 9.6.1).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError, Failure
from shallot.dav.paths import join_path

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "STALE_TEMPORARY_SECONDS",
    "TEMP_PREFIX",
    "copy_tree",
    "delete_tree",
    "os_status",
    "remove_file",
    "remove_if_stale",
    "temporary_beside",
    "tree_size",
]

TEMP_PREFIX = ".shallot-upload-"
"""The name prefix of upload and copy temporary files, which are never listed nor reachable."""

_COPY_STEP = 1024 * 1024
"""The most bytes one system call of a file copy moves."""

_BINARY = getattr(os, "O_BINARY", 0)  # no newline translation where the system has it (Windows)
_NOT_BLOCKING = getattr(os, "O_NONBLOCK", 0)
_COPY_FILE_RANGE: Callable[[int, int, int], int] | None = getattr(os, "copy_file_range", None)
"""The kernel's file-to-file copy, where the system has it (Linux)."""
_NO_COPY_RANGE = frozenset(
    {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}
)
"""What ``copy_file_range`` fails with where the kernel or the file system cannot do it."""

STALE_TEMPORARY_SECONDS = 24 * 3600
"""Age (since its last write) past which a temporary file is a leftover: an upload writes to it
each time a chunk (up to 1 MiB) has arrived, so only a server killed in the middle of an upload,
or a client sending fewer than a dozen bytes a second, leaves one a day old."""

_FORBIDDEN_ERRORS = (errno.EACCES, errno.EPERM, errno.EROFS)
_FULL_ERRORS = (errno.ENOSPC, errno.EDQUOT)


def os_status(error: OSError) -> int:
    """The HTTP status for a failed filesystem operation."""
    if error.errno in _FORBIDDEN_ERRORS:
        return 403
    if error.errno in _FULL_ERRORS:
        return 507
    if error.errno == errno.ENOENT:
        return 404
    return 409


def temporary_beside(path: str) -> str:
    """A fresh name for the temporary file an upload or a copy to ``path`` is written to, in
    the same folder (so the rename into place stays on one file system) and hidden from every
    listing by :data:`TEMP_PREFIX`."""
    return os.path.join(os.path.dirname(path), TEMP_PREFIX + secrets.token_hex(8))


def remove_file(path: str) -> None:
    """Remove ``path`` if it is there, ignoring any error (used to clean up)."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def remove_if_stale(entry: os.DirEntry[str], now: float) -> None:
    """Remove the temporary file or folder ``entry`` when nothing has written to it for
    :data:`STALE_TEMPORARY_SECONDS` (a leftover of a killed server: hidden, but taking space and
    quota)."""
    with contextlib.suppress(OSError):
        if entry.stat(follow_symlinks=False).st_mtime < now - STALE_TEMPORARY_SECONDS:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)


def delete_tree(local: str, path: str) -> list[Failure]:
    """Delete the folder ``local`` (resource path ``path``) bottom-up; the members that failed.

    A folder whose member failed stays, unreported. 403/409... for the folder itself when nothing
    inside failed.
    """
    failures: list[Failure] = []
    kept: set[str] = set()
    for folder, folders, files in os.walk(local, topdown=False):
        relative = os.path.relpath(folder, local)
        base = path if relative == "." else join_path(path, relative.replace(os.sep, "/"))
        links = [name for name in folders if os.path.islink(os.path.join(folder, name))]
        for name in files + links:
            try:
                os.unlink(os.path.join(folder, name))
            except OSError as error:
                failures.append(Failure(join_path(base, name), os_status(error)))
                kept.add(folder)
        if folder in kept or any(os.path.join(folder, name) in kept for name in folders):
            kept.add(folder)
            continue
        try:
            os.rmdir(folder)
        except OSError as error:
            if folder == local and not failures:
                raise DAVError(os_status(error)) from None
            failures.append(Failure(base, os_status(error)))
            kept.add(folder)
    return failures


def copy_tree(
    source: str, target: str, path: str, *, recursive: bool, inside: Callable[[str], bool]
) -> list[Failure]:
    """Copy ``source`` to the free ``target`` (resource path ``path``); the members that failed.

    A folder's members come along when ``recursive``; ``inside`` says whether a link's target
    is in the share (links leading out are skipped). A failure of ``source`` itself raises.

    A folder with its members is copied into a hidden folder beside ``target`` (named as a
    temporary file, see :data:`TEMP_PREFIX`) renamed into place at the end: no member is seen
    before the whole tree is there, and each file is written once where it will stay rather
    than through a temporary file and a rename of its own (one rename for the tree, not one per
    member). A member that fails is not left in it.
    """
    failures: list[Failure] = []
    if not (recursive and os.path.isdir(source)):
        _copy(source, target, path, recursive, inside, failures, top=True, follow=True)
        return failures
    if os.path.lexists(target):
        raise DAVError(409, "the destination exists")
    staging = temporary_beside(target)
    try:
        _copy(source, staging, path, True, inside, failures, top=True, follow=True, staged=True)
        os.rename(staging, target)  # a folder made there since is replaced only when empty
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise DAVError(os_status(error)) from None
        raise
    # Only now: with the source's times, the hidden folder would have looked like a day-old
    # leftover to a listing of its parent (see remove_if_stale).
    with contextlib.suppress(OSError):
        shutil.copystat(source, target)
    return failures


def _copy(
    source: str,
    target: str,
    path: str,
    recursive: bool,
    inside: Callable[[str], bool],
    failures: list[Failure],
    *,
    top: bool = False,
    follow: bool,
    staged: bool = False,
) -> None:
    try:
        if not os.path.isdir(source):
            _copy_file(source, target, staged=staged)
            return
        os.mkdir(target)
        if not (staged and top):  # a hidden folder keeps its own times until in place
            shutil.copystat(source, target)
    except OSError as error:
        if top:
            raise DAVError(os_status(error)) from None
        failures.append(Failure(path, os_status(error)))
        return
    if not recursive:
        return
    with os.scandir(source) as entries:
        members = [entry for entry in entries if not entry.name.startswith(TEMP_PREFIX)]
    for entry in members:
        if not (entry.is_file() or entry.is_dir()):
            continue  # pipes, sockets, devices: never shown, so never copied
        link = entry.is_symlink()
        if link and not (follow and inside(entry.path)):
            continue
        _copy(
            entry.path,
            os.path.join(target, entry.name),
            join_path(path, entry.name),
            True,
            inside,
            failures,
            follow=follow and not link,
            staged=staged,
        )


def _copy_file(source: str, target: str, *, staged: bool = False) -> None:
    """Copy one file through a temporary file renamed into place, keeping its mode and times;
    ``staged``: straight to ``target``, in a hidden folder that is renamed into place whole.

    Done on descriptors rather than with ``shutil.copy2``, whose checks, file objects and
    extended-attribute copying took 150 us a file against 65 here: a COPY of a folder pays this
    per member.
    """
    written = target if staged else temporary_beside(target)  # the file the copy makes
    # Not blocking: a pipe put in place of the file since it was looked at must not hang us.
    reading = os.open(source, os.O_RDONLY | _BINARY | _NOT_BLOCKING)
    try:
        status = os.fstat(reading)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EACCES, "not a regular file", source)
        writing = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
        try:
            try:
                _copy_contents(reading, writing)
            finally:
                os.close(writing)
            os.chmod(written, stat.S_IMODE(status.st_mode))
            os.utime(written, ns=(status.st_atime_ns, status.st_mtime_ns))
            if not staged:
                os.replace(written, target)
        except BaseException:
            remove_file(written)
            raise
    finally:
        os.close(reading)


def _copy_contents(reading: int, writing: int) -> None:
    """Copy the rest of the file open as ``reading`` into ``writing``.

    In the kernel where it can (``copy_file_range``: no bytes through Python, and shared extents
    on file systems that have them); by reads and writes where it cannot: another file system
    on an older kernel, a file system or system without it, or one that stops short (the reads
    then take up where it stopped, and cost one empty read when it did not).
    """
    if _COPY_FILE_RANGE is not None:
        copied = 0
        try:
            while step := _COPY_FILE_RANGE(reading, writing, _COPY_STEP):
                copied += step
        except OSError as error:
            if copied or error.errno not in _NO_COPY_RANGE:
                raise
    while chunk := os.read(reading, _COPY_STEP):
        view = memoryview(chunk)
        while view:
            view = view[os.write(writing, view) :]


def tree_size(local: str) -> int:
    """Bytes of the regular files under ``local`` (symbolic links not followed)."""
    total = 0
    pending = [local]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.is_file(follow_symlinks=False):
                        total += entry.stat(follow_symlinks=False).st_size
                except OSError:
                    continue
    return total
