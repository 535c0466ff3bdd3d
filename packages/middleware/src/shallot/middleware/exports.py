"""What :class:`~shallot.middleware.static.Static` exports, and how a request path finds a file in
it without ever leaving it.

An export maps a URL prefix to a folder, a single file, or a folder of package data
(``("package", "folder")`` through :mod:`importlib.resources`). Its root is resolved once, when
the middleware is built (symlinks followed), so a request costs no more than the ``lstat`` of each
path segment below the root.

A request path is a WSGI ``PATH_INFO``: the URL's bytes, percent-decoded by the server, carried
as a Latin-1 string. :func:`relative_segments` turns what follows the prefix into file name
segments (UTF-8) and refuses anything that could name a file outside the root or mean something
else on another platform: a NUL, a backslash, a drive letter (``C:``), a ``..`` segment, or a
name that is not UTF-8. :func:`confined_lstat` then walks the segments below the root and refuses
any symlink whose real path leaves the root. A refusal raises :class:`PathRefused`; the static
middleware answers it with 404 without telling why.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import stat
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "Export",
    "ExportError",
    "ExportKind",
    "ExportSource",
    "PathRefused",
    "confined_lstat",
    "lstat_inside",
    "make_export",
    "relative_segments",
]

ExportSource = Union[str, "os.PathLike[str]", tuple[str, str]]
"""A folder or file path, or ``(package, folder)`` naming package data."""

_SUSPECT = ("/.", "\\", "\x00", ":", "//")
"""Substrings after which a path needs the careful, segment by segment look."""


class ExportError(ValueError):
    """An export cannot be set up: ``prefix`` is malformed or ``source`` cannot be served."""

    def __init__(self, message: str, prefix: str) -> None:
        super().__init__(f"export {prefix!r}: {message}")
        self.prefix = prefix


class PathRefused(Exception):
    """A request path that must not be mapped to a file; ``reason`` says why (for logs only)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExportKind(enum.Enum):
    """Whether an export serves a folder below its prefix or one file at its prefix."""

    FOLDER = "folder"
    FILE = "file"


@dataclasses.dataclass(frozen=True, slots=True)
class Export:
    """One export, resolved.

    ``prefix`` is the URL prefix as a WSGI string (UTF-8 bytes read as Latin-1), without a
    trailing slash (``""`` for the site root); ``root`` is the real path of the folder or file.
    """

    prefix: str
    root: str
    kind: ExportKind


def make_export(prefix: str, source: ExportSource) -> Export:
    """Resolve ``source`` for ``prefix`` once (symlinks followed).

    A folder that does not exist yet is accepted (it may be built later) and serves nothing until
    it does. ``(package, folder)`` must name data on the file system (not in a zip file). Raises
    :class:`ExportError` for a prefix that does not start with ``/``, a package that cannot be
    imported, or package data that is not a folder on the file system.
    """
    if not prefix.startswith("/"):
        raise ExportError("the prefix must start with '/'", prefix)
    wsgi_prefix = prefix.rstrip("/").encode().decode("latin-1")
    if isinstance(source, tuple):
        root = _package_folder(prefix, *source)
        return Export(wsgi_prefix, root, ExportKind.FOLDER)
    root = os.path.realpath(os.fspath(source))
    if os.path.isfile(root):
        if not wsgi_prefix:
            raise ExportError("a single file cannot be exported at the site root", prefix)
        return Export(wsgi_prefix, root, ExportKind.FILE)
    return Export(wsgi_prefix, root, ExportKind.FOLDER)


def _package_folder(prefix: str, package: str, folder: str) -> str:
    try:
        traversable = resources.files(package).joinpath(folder)
    except (ImportError, TypeError) as error:
        raise ExportError(f"cannot find package {package!r}: {error}", prefix) from None
    if not isinstance(traversable, Path) or not traversable.is_dir():
        raise ExportError(f"{folder!r} of {package!r} is not a folder on the file system", prefix)
    return os.path.realpath(traversable)


def relative_segments(rest: str) -> tuple[list[str], bool]:
    """The file name segments of ``rest`` (the ``PATH_INFO`` after an export's prefix), and
    whether it ends with a slash.

    Empty and ``.`` segments are dropped. Raises :class:`PathRefused` for a path that is not
    UTF-8 or holds a NUL, a backslash, a ``..`` segment or a drive-letter segment.
    """
    if not rest.isascii():
        try:
            rest = rest.encode("latin-1").decode("utf-8")
        except UnicodeError:
            raise PathRefused("the path is not UTF-8") from None
    if not rest:
        return [], False
    trailing = rest.endswith("/")
    if not any(suspect in rest for suspect in _SUSPECT):
        segments = rest[1:].split("/")
        if trailing:
            segments.pop()
        return segments, trailing
    if "\\" in rest or "\x00" in rest:
        raise PathRefused("backslash or NUL in the path")
    segments = []
    for segment in rest.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            raise PathRefused("'..' in the path")
        if len(segment) >= 2 and segment[1] == ":" and segment[0].isalpha():
            raise PathRefused("drive letter in the path")
        segments.append(segment)
    return segments, trailing


def confined_lstat(root: str, segments: Sequence[str]) -> tuple[str, os.stat_result] | None:
    """The path below ``root`` that ``segments`` name and its status, following symlinks only
    where they stay inside ``root``; ``None`` when nothing is there.

    Each segment is looked at with ``lstat``; where one is a symlink, the real path of the whole
    path is checked to lie inside ``root`` (which must itself be a real path) and
    :class:`PathRefused` is raised when it does not.
    """
    path = root
    info: os.stat_result | None = None
    last = len(segments) - 1
    for position, segment in enumerate(segments):
        path = f"{path}{os.sep}{segment}"
        info = lstat_inside(root, path)
        if info is None or (position < last and not stat.S_ISDIR(info.st_mode)):
            return None
    if info is None:
        try:
            info = os.stat(root)
        except OSError:
            return None
    return path, info


def lstat_inside(root: str, path: str) -> os.stat_result | None:
    """The status of ``path``, whose folder is known to lie inside ``root``, following it only
    if it is a symlink that stays inside ``root``; ``None`` when nothing is there.

    Raises :class:`PathRefused` for a symlink whose real path leaves ``root``.
    """
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return None
    return _follow(root, path) if stat.S_ISLNK(info.st_mode) else info


def _follow(root: str, path: str) -> os.stat_result | None:
    real = os.path.realpath(path)
    inside = root.rstrip(os.sep) + os.sep
    if real != root and not real.startswith(inside):
        raise PathRefused("a symlink leads outside the export")
    try:
        return os.stat(real)
    except OSError:
        return None
