"""The provider API: what a back end implements to be served over WebDAV.

A :class:`DAVProvider` serves one tree of resources, addressed by *resource paths* (decoded
Unicode, ``/`` for its root, no trailing slash; see :mod:`shallot.dav.paths`). The server does the
protocol (methods, locks, dead properties, conditions, XML); the provider does storage:

- :meth:`~DAVProvider.info` and :meth:`~DAVProvider.members` describe resources as
  :class:`ResourceInfo` records, all at once per collection, which is what makes a PROPFIND on a
  large folder one pass (the filesystem provider reads each folder with one ``os.scandir``);
- :meth:`~DAVProvider.open` (or :meth:`~DAVProvider.file_path`, for a server-side file sent with
  ``wsgi.file_wrapper``), :meth:`~DAVProvider.write`, :meth:`~DAVProvider.make_collection`,
  :meth:`~DAVProvider.delete`, :meth:`~DAVProvider.copy` and :meth:`~DAVProvider.move` do the
  work, raising :class:`~shallot.dav.errors.DAVError` (404, 403, 409, 507 ...) for what cannot be
  done and returning :class:`~shallot.dav.errors.Failure` lists for members of a tree that failed
  while the rest went ahead.

Two providers ship: :class:`~shallot.dav.filesystem.FilesystemProvider` and
:class:`~shallot.dav.memory.MemoryProvider`. :class:`NamePolicy` holds the hidden/refused name
rules both apply.
"""

from __future__ import annotations

import fnmatch
import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import BinaryIO

    from shallot.dav.errors import Failure

__all__ = ["DAVProvider", "NamePolicy", "Quota", "ResourceInfo", "Written"]


class ResourceInfo(NamedTuple):
    """What the server needs to know of one resource, read in one go.

    ``name`` is the last path segment (``""`` for the root); ``size`` is 0 for a collection;
    ``modified`` and ``created`` are seconds since the epoch; ``etag`` is a strong entity tag's
    value (without quotes) that changes whenever the content does; ``content_type`` is ``""`` for
    a collection.
    """

    name: str
    is_collection: bool
    size: int
    modified: float
    created: float
    etag: str
    content_type: str


class Written(NamedTuple):
    """What :meth:`DAVProvider.write` stored: whether the resource is new, and the strong entity
    tag's value of the content written (PUT answers it without reading the resource again)."""

    created: bool
    etag: str


class Quota(NamedTuple):
    """RFC 4331 figures for a collection: bytes ``used`` and bytes still ``available``."""

    used: int
    available: int


class NamePolicy:
    """Which member names are hidden from listings, and which are refused altogether.

    ``hidden`` and ``refused`` are ``fnmatch`` patterns matched against one name (case kept). A
    hidden name is not listed but is reachable by its URL (macOS keeps ``.DS_Store`` that way); a
    refused one is neither listed, reachable nor creatable.
    """

    __slots__ = ("_hidden", "_refused", "hides_any")

    def __init__(self, hidden: Sequence[str] = (), refused: Sequence[str] = ()) -> None:
        self._hidden = _matcher(hidden)
        self._refused = _matcher(refused)
        self.hides_any = bool(hidden or refused)
        """Whether any name is left out of listings (a provider may skip the check if not)."""

    def listed(self, name: str) -> bool:
        """Whether ``name`` appears in listings."""
        return not (self._hidden(name) or self._refused(name))

    def refused(self, name: str) -> bool:
        """Whether ``name`` may be neither reached nor created."""
        return self._refused(name)


def _matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    if not patterns:
        return _never
    expression = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns))

    def matches(name: str) -> bool:
        return expression.match(name) is not None

    return matches


def _never(name: str) -> bool:
    return False


class DAVProvider(ABC):
    """A tree of resources served over WebDAV (see the module documentation).

    ``readonly`` providers are never asked to change anything: the server answers 403 first.
    Every method may be called from several threads at once.
    """

    readonly: bool = False
    names: NamePolicy = NamePolicy()

    @abstractmethod
    def info(self, path: str) -> ResourceInfo | None:
        """The resource at ``path``, or ``None`` when nothing (reachable) is there."""

    @abstractmethod
    def members(self, path: str) -> Iterator[ResourceInfo]:
        """The listed members of the collection ``path``, in no promised order.

        Members that cannot be described (vanished meanwhile, unreadable) are left out.
        """

    @abstractmethod
    def open(self, path: str) -> BinaryIO:
        """The content of the non-collection ``path``, for reading; 404 when absent."""

    def file_path(self, path: str) -> str | None:
        """A server-side file holding the content of ``path``, to be sent as it is; or ``None``."""
        return None

    @abstractmethod
    def write(
        self,
        path: str,
        chunks: Iterable[bytes],
        *,
        modified: float | None = None,
        size: int | None = None,
    ) -> Written:
        """Store ``chunks`` as the content of ``path``; whether it is new, and its entity tag.

        The old content stays whole until the new one is complete: an error while ``chunks`` is
        read (a client cut off half-way, or the lock check PUT makes after the last chunk) leaves
        the old resource, or none, as it was. So read ``chunks`` to its end before storing.
        ``modified`` sets the modification time; ``size`` is the length announced, if any, so a
        quota can refuse the write before it starts. Raises 409 when the parent collection is
        missing, 405 when ``path`` is a collection, 403 for a refused name, 507 past a quota.
        """

    @abstractmethod
    def make_collection(self, path: str) -> None:
        """Create the empty collection ``path``; 405 when something exists there, 409 without a
        parent, 403 for a refused name."""

    @abstractmethod
    def delete(self, path: str) -> list[Failure]:
        """Delete ``path`` and, for a collection, everything in it; the members that failed
        (their paths as hrefs are made by the caller: ``Failure.href`` holds a resource path)."""

    @abstractmethod
    def copy(self, source: str, destination: str, *, recursive: bool) -> list[Failure]:
        """Copy ``source`` to the free path ``destination`` (a collection with its members when
        ``recursive``, else empty); the members that failed. 409 without a destination parent."""

    @abstractmethod
    def move(self, source: str, destination: str) -> list[Failure]:
        """Move ``source`` (with its members) to the free path ``destination``; what failed."""

    def quota(self, path: str) -> Quota | None:
        """The quota figures of the collection ``path``, or ``None`` when unknown."""
        return None

    def match_case(self, path: str) -> str | None:
        """An existing path equal to ``path`` but for case, or ``None`` (for Windows clients)."""
        return None
