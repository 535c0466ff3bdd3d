"""``FilesystemProvider``: a folder served over WebDAV, confined to it whatever the path says.

Confinement. Resource paths arrive checked by :mod:`shallot.dav.paths` (no ``..``, NUL,
backslash, device or drive names); here every path is also resolved with ``os.path.realpath`` and
must stay inside the folder's own real path, compared with a trailing separator (so
``/srv/share_evil`` is not inside ``/srv/share``): a symbolic link, to a file or to a parent
folder, that leads outside answers 403, and such links are left out of listings. Names that are
not UTF-8 cannot be addressed by a URL and are left out too, as are FIFOs, devices and sockets.

Writing. A PUT streams into a hidden temporary file (``.shallot-upload-<random>``) in the target's
own folder and is renamed over the target only when the body is complete, so the old file is
replaced whole or not at all; the temporary file is removed whatever went wrong, and never listed
or reachable. One left by a server killed mid-upload is removed when its folder is next listed,
once nothing has written to it for a day. The new file keeps the old one's permissions (new
files get the process umask).

Reading. :meth:`FilesystemProvider.members` reads a folder with one ``os.scandir``, taking each
member's status from its directory entry; entity tags are ``inode-size-mtime_ns`` in hex, so the
``ETag`` of a GET and the ``getetag`` of a PROPFIND agree.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import time
from typing import TYPE_CHECKING, BinaryIO

from shallot.dav.errors import DAVError
from shallot.dav.local_trees import (
    TEMP_PREFIX,
    copy_tree,
    delete_tree,
    os_status,
    remove_file,
    remove_if_stale,
    temporary_beside,
    tree_size,
)
from shallot.dav.paths import join_path, path_name
from shallot.dav.provider import DAVProvider, NamePolicy, Quota, ResourceInfo, Written
from shallot.http.file_response import guess_content_type

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from shallot.dav.errors import Failure

__all__ = ["TEMP_PREFIX", "FilesystemProvider"]


WRITE_BUFFER = 1024 * 1024
_MAX_TYPES = 4096
_COMPRESSED = frozenset(("gz", "bz2", "xz", "br", "z", "tgz"))


class FilesystemProvider(DAVProvider):
    """Serves the folder ``root`` (see the module documentation).

    ``readonly`` refuses every change; ``names`` hides and refuses member names; ``quota_bytes``
    caps the bytes of all files under ``root`` (RFC 4331 figures and 507 past it), else the
    disk's free space is what is available. Raises :class:`NotADirectoryError` when ``root`` is
    not a folder.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        readonly: bool = False,
        names: NamePolicy | None = None,
        quota_bytes: int | None = None,
    ) -> None:
        real = os.path.realpath(root)
        if not os.path.isdir(real):
            raise NotADirectoryError(f"not a folder: {os.fspath(root)!r}")
        self.root = real
        self._prefix = real if real.endswith(os.sep) else real + os.sep
        self.readonly = readonly
        self.names = names or NamePolicy()
        self.quota_bytes = quota_bytes
        self._types: dict[str, str] = {}

    def local_path(self, path: str) -> str:
        """The confined filesystem path of resource ``path``; 404 for an unreachable name, 403
        when it resolves outside the root.

        Each component below the root is looked at with ``lstat``; only when one is a symbolic
        link is the whole path resolved and compared with the root (a missing component ends
        the walk: nothing below it exists to lead anywhere).
        """
        if path == "/":
            return self.root
        segments = path[1:].split("/")
        for segment in segments:
            if segment.startswith(TEMP_PREFIX) or self.names.refused(segment):
                raise DAVError(404)
        local = self._prefix + os.sep.join(segments)
        current = self.root if self.root != os.sep else ""
        for segment in segments:
            current = f"{current}{os.sep}{segment}"
            try:
                mode = os.lstat(current).st_mode
            except (OSError, ValueError):
                break
            if stat.S_ISLNK(mode):
                if not self._inside(local):
                    raise DAVError(403, "the path leads outside the share")
                break
        return local

    def info(self, path: str) -> ResourceInfo | None:
        """See :meth:`DAVProvider.info` (a refused name is simply not there)."""
        try:
            local = self.local_path(path)
        except DAVError as error:
            if error.status == 404:
                return None
            raise
        try:
            status = os.stat(local)
        except (OSError, ValueError):
            return None
        return self._describe(path_name(path), status)

    def members(self, path: str) -> Iterator[ResourceInfo]:
        """See :meth:`DAVProvider.members`: one ``os.scandir`` of the folder."""
        local = self.local_path(path)
        listed = self.names.listed if self.names.hides_any else None
        types = self._types
        make = tuple.__new__
        try:
            entries = os.scandir(local)
        except OSError:
            return
        with entries:
            for entry in entries:
                name = entry.name
                if name[0] == "." and name.startswith(TEMP_PREFIX):
                    if not self.readonly:
                        remove_if_stale(entry, time.time())
                    continue
                if listed is not None and not listed(name):
                    continue
                if not name.isascii() and not _is_utf8(name):
                    continue
                try:
                    if entry.is_symlink() and not self._inside(entry.path):
                        continue
                    status = entry.stat()
                except OSError:
                    continue
                mode = status.st_mode
                etag = f"{status.st_ino:x}-{status.st_size:x}-{status.st_mtime_ns:x}"
                if mode & 0o170000 == stat.S_IFDIR:
                    yield make(
                        ResourceInfo,
                        (name, True, 0, status.st_mtime, status.st_ctime, etag, ""),
                    )
                elif mode & 0o170000 == stat.S_IFREG:
                    extension = name.rpartition(".")[2].lower() if "." in name else ""
                    content_type = types.get(extension) or self._content_type(name, extension)
                    yield make(
                        ResourceInfo,
                        (
                            name,
                            False,
                            status.st_size,
                            status.st_mtime,
                            status.st_ctime,
                            etag,
                            content_type,
                        ),
                    )

    def open(self, path: str) -> BinaryIO:
        """See :meth:`DAVProvider.open`."""
        try:
            return open(self.local_path(path), "rb")  # the caller closes it
        except IsADirectoryError:
            raise DAVError(405, "a collection has no content to read") from None
        except OSError as error:
            raise DAVError(os_status(error)) from None

    def file_path(self, path: str) -> str | None:
        """The confined local path: GET sends the file as it is."""
        return self.local_path(path)

    def write(
        self,
        path: str,
        chunks: Iterable[bytes],
        *,
        modified: float | None = None,
        size: int | None = None,
    ) -> Written:
        """See :meth:`DAVProvider.write`: a temporary file renamed into place when complete.

        The entity tag is the temporary file's, read once it is complete: the rename keeps the
        inode, size and modification time it is made of.
        """
        local = self._creatable(path)
        try:
            old = os.stat(local)
        except FileNotFoundError:
            old = None
        except OSError as error:
            raise DAVError(os_status(error)) from None
        if old is not None and stat.S_ISDIR(old.st_mode):
            raise DAVError(405, "PUT cannot replace a collection")
        limit = None
        if self.quota_bytes is not None:
            limit = self.quota_bytes - tree_size(self.root) + (0 if old is None else old.st_size)
            if size is not None and size > limit:
                raise DAVError(507, condition="quota-not-exceeded")
        temporary = temporary_beside(local)
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileNotFoundError:
            raise DAVError(409, "the parent collection does not exist") from None
        except NotADirectoryError:
            raise DAVError(409, "the parent is not a collection") from None
        except OSError as error:
            raise DAVError(os_status(error)) from None
        try:
            with open(descriptor, "wb", buffering=WRITE_BUFFER) as file:
                written = 0
                for chunk in chunks:
                    written += len(chunk)
                    if limit is not None and written > limit:
                        raise DAVError(507, condition="quota-not-exceeded")
                    file.write(chunk)
            if old is not None:
                os.chmod(temporary, stat.S_IMODE(old.st_mode))
            if modified is not None:
                os.utime(temporary, (modified, modified))
            status = os.stat(temporary)
            os.replace(temporary, local)
        except BaseException as error:
            remove_file(temporary)
            if isinstance(error, OSError):
                raise DAVError(os_status(error)) from None
            raise
        return Written(old is None, _etag(status))

    def make_collection(self, path: str) -> None:
        """See :meth:`DAVProvider.make_collection`."""
        local = self._creatable(path)
        try:
            os.mkdir(local)
        except FileExistsError:
            raise DAVError(405, "something already exists at this URL") from None
        except (FileNotFoundError, NotADirectoryError):
            raise DAVError(409, "the parent collection does not exist") from None
        except OSError as error:
            raise DAVError(os_status(error)) from None

    def delete(self, path: str) -> list[Failure]:
        """See :meth:`DAVProvider.delete`: members first; a failed member keeps its ancestors."""
        local = self.local_path(path)
        try:
            status = os.lstat(local)
        except OSError as error:
            raise DAVError(os_status(error)) from None
        if not stat.S_ISDIR(status.st_mode):
            try:
                os.unlink(local)
            except OSError as error:
                raise DAVError(os_status(error)) from None
            return []
        return delete_tree(local, path)

    def copy(self, source: str, destination: str, *, recursive: bool) -> list[Failure]:
        """See :meth:`DAVProvider.copy`: files keep their modification time."""
        source_local = self.local_path(source)
        target = self._creatable(destination)
        if not os.path.isdir(os.path.dirname(target)):
            raise DAVError(409, "the destination's parent collection does not exist")
        if self.quota_bytes is not None:
            size = tree_size(source_local) if os.path.isdir(source_local) else 0
            size = size or os.path.getsize(source_local)
            if size > self.quota_bytes - tree_size(self.root):
                raise DAVError(507, condition="quota-not-exceeded")
        return copy_tree(
            source_local, target, destination, recursive=recursive, inside=self._inside
        )

    def move(self, source: str, destination: str) -> list[Failure]:
        """See :meth:`DAVProvider.move`: a rename, or a copy and delete across filesystems."""
        source_local = self.local_path(source)
        target = self._creatable(destination)
        try:
            os.rename(source_local, target)
        except FileNotFoundError:
            if not os.path.lexists(source_local):
                raise DAVError(404) from None
            raise DAVError(409, "the destination's parent collection does not exist") from None
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise DAVError(os_status(error)) from None
            failures = self.copy(source, destination, recursive=True)
            return failures or self.delete(source)
        return []

    def quota(self, path: str) -> Quota:
        """Bytes of the files under ``path``, and what remains of the quota or of the disk."""
        used = tree_size(self.local_path(path))
        if self.quota_bytes is None:
            return Quota(used, shutil.disk_usage(self.root).free)
        total = used if path == "/" else tree_size(self.root)
        return Quota(used, max(0, self.quota_bytes - total))

    def match_case(self, path: str) -> str | None:
        """The existing path that equals ``path`` but for case, segment by segment."""
        found = "/"
        for segment in path.split("/")[1:]:
            candidate = join_path(found, segment)
            if self.info(candidate) is None:
                folded = segment.casefold()
                matches = [m.name for m in self.members(found) if m.name.casefold() == folded]
                if len(matches) != 1:
                    return None
                candidate = join_path(found, matches[0])
            found = candidate
        return found

    def _creatable(self, path: str) -> str:
        if self.readonly:
            raise DAVError(403, "the share is read-only")
        if path == "/":
            raise DAVError(405, "the root collection always exists")
        name = path_name(path)
        if name.startswith(TEMP_PREFIX) or self.names.refused(name):
            raise DAVError(403, "this name is refused")
        return self.local_path(path)

    def _inside(self, local: str) -> bool:
        real = os.path.realpath(local)
        return real == self.root or real.startswith(self._prefix)

    def _describe(self, name: str, status: os.stat_result) -> ResourceInfo | None:
        mode = status.st_mode
        etag = _etag(status)
        if stat.S_ISDIR(mode):
            return ResourceInfo(name, True, 0, status.st_mtime, status.st_ctime, etag, "")
        if not stat.S_ISREG(mode):
            return None
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        content_type = self._types.get(extension) or self._content_type(name, extension)
        return ResourceInfo(
            name, False, status.st_size, status.st_mtime, status.st_ctime, etag, content_type
        )

    def _content_type(self, name: str, extension: str) -> str:
        """The content type of ``name``, remembered by extension (compressed types excepted:
        ``.tar.gz`` and ``.gz`` differ)."""
        content_type = guess_content_type(name)
        if len(self._types) < _MAX_TYPES and extension not in _COMPRESSED:
            self._types[extension] = content_type
        return content_type


def _etag(status: os.stat_result) -> str:
    """A strong entity tag's value: it changes with the file's inode, size or modification time."""
    return f"{status.st_ino:x}-{status.st_size:x}-{status.st_mtime_ns:x}"


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
