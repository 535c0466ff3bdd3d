"""``MemoryProvider``: a tree of resources in this process's memory.

It proves the provider API holds without a filesystem behind it, and serves tests and scratch
shares. Content is kept as bytes, so it suits small resources; every operation runs under one
lock, so concurrent requests see each change whole. Entity tags come from a counter bumped on
every write.
"""

from __future__ import annotations

import io
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from shallot.dav.errors import DAVError
from shallot.dav.paths import parent_path, path_name
from shallot.dav.provider import DAVProvider, NamePolicy, Quota, ResourceInfo, Written
from shallot.http.file_response import guess_content_type

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from shallot.dav.errors import Failure

__all__ = ["MemoryProvider"]


@dataclass(slots=True)
class _Node:
    collection: bool
    content: bytes = b""
    members: dict[str, _Node] = field(default_factory=dict)
    modified: float = field(default_factory=time.time)
    created: float = field(default_factory=time.time)
    version: int = 0

    def copy(self, recursive: bool, version: int) -> _Node:
        members = (
            {name: node.copy(True, version) for name, node in self.members.items()}
            if recursive
            else {}
        )
        return _Node(self.collection, self.content, members, self.modified, time.time(), version)


class MemoryProvider(DAVProvider):
    """Resources held in memory, starting with an empty root collection.

    ``quota_bytes`` caps the bytes of all content (507 past it); ``None`` means no limit, with
    RFC 4331 figures reporting ``2**63 - 1`` bytes available.
    """

    def __init__(
        self,
        *,
        readonly: bool = False,
        names: NamePolicy | None = None,
        quota_bytes: int | None = None,
    ) -> None:
        self.readonly = readonly
        self.names = names or NamePolicy()
        self.quota_bytes = quota_bytes
        self._root = _Node(True)
        self._lock = threading.RLock()
        self._versions = itertools.count(1)

    def info(self, path: str) -> ResourceInfo | None:
        """See :meth:`DAVProvider.info`."""
        with self._lock:
            node = self._find(path)
            return None if node is None else _describe(path_name(path), node)

    def members(self, path: str) -> Iterator[ResourceInfo]:
        """See :meth:`DAVProvider.members` (a snapshot taken at the call)."""
        with self._lock:
            node = self._find(path)
            if node is None or not node.collection:
                return iter(())
            listed = self.names.listed
            return iter(
                [_describe(name, member) for name, member in node.members.items() if listed(name)]
            )

    def open(self, path: str) -> BinaryIO:
        """See :meth:`DAVProvider.open`."""
        with self._lock:
            node = self._find(path)
            if node is None:
                raise DAVError(404)
            if node.collection:
                raise DAVError(405, "a collection has no content to read")
            return io.BytesIO(node.content)

    def write(
        self,
        path: str,
        chunks: Iterable[bytes],
        *,
        modified: float | None = None,
        size: int | None = None,
    ) -> Written:
        """See :meth:`DAVProvider.write`: the content is collected first, then swapped in."""
        self._check_creatable(path)
        if size is not None and self.quota_bytes is not None and size > self.quota_bytes:
            raise DAVError(507, condition="quota-not-exceeded")
        content = b"".join(chunks)
        with self._lock:
            parent = self._parent(path)
            name = path_name(path)
            old = parent.members.get(name)
            if old is not None and old.collection:
                raise DAVError(405, "PUT cannot replace a collection")
            if self.quota_bytes is not None:
                room = (
                    self.quota_bytes - _size(self._root) + (0 if old is None else len(old.content))
                )
                if len(content) > room:
                    raise DAVError(507, condition="quota-not-exceeded")
            now = time.time()
            node = _Node(
                False,
                content,
                modified=now if modified is None else modified,
                created=now if old is None else old.created,
                version=next(self._versions),
            )
            parent.members[name] = node
            parent.modified = now
            return Written(old is None, _etag(node))

    def make_collection(self, path: str) -> None:
        """See :meth:`DAVProvider.make_collection`."""
        self._check_creatable(path)
        with self._lock:
            parent = self._parent(path)
            name = path_name(path)
            if name in parent.members:
                raise DAVError(405, "something already exists at this URL")
            parent.members[name] = _Node(True, version=next(self._versions))

    def delete(self, path: str) -> list[Failure]:
        """See :meth:`DAVProvider.delete`: never partial in memory."""
        self._check_writable(path)
        with self._lock:
            parent = self._parent(path)
            if parent.members.pop(path_name(path), None) is None:
                raise DAVError(404)
            return []

    def copy(self, source: str, destination: str, *, recursive: bool) -> list[Failure]:
        """See :meth:`DAVProvider.copy`."""
        self._check_creatable(destination)
        with self._lock:
            node = self._find(source)
            if node is None:
                raise DAVError(404)
            parent = self._parent(destination)
            copied = node.copy(recursive, next(self._versions))
            if self.quota_bytes is not None and _size(copied) > self.quota_bytes - _size(
                self._root
            ):
                raise DAVError(507, condition="quota-not-exceeded")
            parent.members[path_name(destination)] = copied
            return []

    def move(self, source: str, destination: str) -> list[Failure]:
        """See :meth:`DAVProvider.move`."""
        self._check_writable(source)
        self._check_creatable(destination)
        with self._lock:
            source_parent = self._parent(source)
            node = source_parent.members.get(path_name(source))
            if node is None:
                raise DAVError(404)
            target_parent = self._parent(destination)
            del source_parent.members[path_name(source)]
            target_parent.members[path_name(destination)] = node
            return []

    def quota(self, path: str) -> Quota:
        """Bytes of the content under ``path`` and what remains of the quota."""
        with self._lock:
            node = self._find(path)
            used = 0 if node is None else _size(node)
            if self.quota_bytes is None:
                return Quota(used, 2**63 - 1)
            return Quota(used, max(0, self.quota_bytes - _size(self._root)))

    def match_case(self, path: str) -> str | None:
        """The existing path equal to ``path`` but for case, or ``None``."""
        with self._lock:
            node = self._root
            found: list[str] = []
            for segment in path.split("/")[1:]:
                if segment in node.members:
                    name = segment
                else:
                    folded = segment.casefold()
                    names = [name for name in node.members if name.casefold() == folded]
                    if len(names) != 1:
                        return None
                    name = names[0]
                found.append(name)
                node = node.members[name]
            return "/" + "/".join(found)

    def _find(self, path: str) -> _Node | None:
        node = self._root
        if path == "/":
            return node
        for segment in path[1:].split("/"):
            if self.names.refused(segment):
                return None
            member = node.members.get(segment)
            if member is None:
                return None
            node = member
        return node

    def _parent(self, path: str) -> _Node:
        parent = self._find(parent_path(path))
        if parent is None or not parent.collection:
            raise DAVError(409, "the parent collection does not exist")
        return parent

    def _check_writable(self, path: str) -> None:
        if self.readonly:
            raise DAVError(403, "the share is read-only")
        if path == "/":
            raise DAVError(403, "the root collection cannot be removed")

    def _check_creatable(self, path: str) -> None:
        self._check_writable(path)
        if self.names.refused(path_name(path)):
            raise DAVError(403, "this name is refused")


def _describe(name: str, node: _Node) -> ResourceInfo:
    etag = _etag(node)
    if node.collection:
        return ResourceInfo(name, True, 0, node.modified, node.created, etag, "")
    return ResourceInfo(
        name,
        False,
        len(node.content),
        node.modified,
        node.created,
        etag,
        guess_content_type(name),
    )


def _etag(node: _Node) -> str:
    return f"m{node.version:x}-{len(node.content):x}"


def _size(node: _Node) -> int:
    return len(node.content) + sum(_size(member) for member in node.members.values())
