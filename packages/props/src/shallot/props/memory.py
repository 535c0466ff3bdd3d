"""``MemoryPropertyStorage``: dead properties in a dict, for one process (``--state memory``).

Nothing survives the process, and other processes see nothing of it: for several workers use
``SQLitePropertyStorage`` or ``RedisPropertyStorage``. One lock makes every call atomic for the
threads of the process. Tree operations scan every stored URL, which costs a few milliseconds per
ten thousand resources.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from shallot.props.errors import TooManyProperties

if TYPE_CHECKING:
    from collections.abc import Mapping, Set

    from shallot.props.urls import Subtree


class MemoryPropertyStorage:
    """A :class:`~shallot.props.storage.PropertyStorage` held in this process's memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._resources: dict[str, dict[str, str]] = {}

    def get(self, url: str, name: str) -> str | None:
        """The value of one property, or ``None``."""
        with self._lock:
            properties = self._resources.get(url)
            return None if properties is None else properties.get(name)

    def get_all(self, url: str) -> dict[str, str]:
        """A copy of one resource's properties."""
        with self._lock:
            return dict(self._resources.get(url, {}))

    def names(self, url: str) -> list[str]:
        """The names of one resource's properties."""
        with self._lock:
            return list(self._resources.get(url, {}))

    def get_children(self, tree: Subtree) -> dict[str, dict[str, str]]:
        """Copies of the properties of ``tree.root``'s direct children (a scan of every URL)."""
        lower = tree.lower
        start = len(lower)
        with self._lock:
            return {
                url: dict(properties)
                for url, properties in self._resources.items()
                if url.startswith(lower) and url != tree.root and "/" not in url[start:]
            }

    def patch(
        self, url: str, values: Mapping[str, str], removals: Set[str], max_properties: int
    ) -> None:
        """Set and remove properties of one resource, all or nothing (see the protocol)."""
        items = list(values.items())
        with self._lock:
            current = self._resources.get(url, {})
            count = len(current) - sum(1 for name in removals if name in current)
            count += sum(1 for name, _ in items if name not in current)
            if count > max(max_properties, len(current)):
                raise TooManyProperties(url, max_properties, count)
            if count == 0:
                self._resources.pop(url, None)
                return
            properties = self._resources.setdefault(url, current)
            for name in removals:
                properties.pop(name, None)
            properties.update(items)

    def copy_tree(self, source: Subtree, destination: Subtree) -> None:
        """Replace ``destination``'s properties with a re-rooted copy of ``source``'s."""
        with self._lock:
            self._delete(destination)
            for url in self._members(source):
                self._resources[source.rebase(url, destination.root)] = dict(self._resources[url])

    def move_tree(self, source: Subtree, destination: Subtree) -> None:
        """Replace ``destination``'s properties with ``source``'s, which are removed."""
        with self._lock:
            self._delete(destination)
            for url in self._members(source):
                self._resources[source.rebase(url, destination.root)] = self._resources.pop(url)

    def delete_tree(self, tree: Subtree) -> None:
        """Remove every property in ``tree``."""
        with self._lock:
            self._delete(tree)

    def close(self) -> None:
        """Nothing to release: the properties live as long as this object."""

    def _members(self, tree: Subtree) -> list[str]:
        root, lower = tree.root, tree.lower
        return [url for url in self._resources if url == root or url.startswith(lower)]

    def _delete(self, tree: Subtree) -> None:
        for url in self._members(tree):
            del self._resources[url]
