"""The ``PropertyStorage`` protocol: what a place to keep dead properties must do, and promise.

:class:`~shallot.props.manager.PropertyManager` validates everything before calling a storage (URLs
normalised, names in Clark notation, values within size, sets and removals disjoint, copy and move
trees disjoint), so a storage only keeps data, and keeps each call atomic. Three ship with the
package: ``MemoryPropertyStorage`` (one process), ``SQLitePropertyStorage`` (several processes on
one machine) and ``RedisPropertyStorage`` (several machines). Write your own against this protocol;
the package's storage-agnostic test suite is the specification it must pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping, Set

    from shallot.props.urls import Subtree


class PropertyStorage(Protocol):
    """Dead properties keyed by normalised URL and Clark name, values kept exactly as given.

    Every method is safe to call from several threads at once, and each one is atomic: another
    caller, in any thread or process sharing the storage, sees all of a write or none of it, and a
    write that fails or is interrupted (an exception, a killed process) leaves the state it found.
    """

    def get(self, url: str, name: str) -> str | None:
        """The value of one property, or ``None`` when the resource does not have it."""
        ...

    def get_all(self, url: str) -> dict[str, str]:
        """Every property of one resource, name to value (a new dict, in no promised order)."""
        ...

    def names(self, url: str) -> list[str]:
        """The names of one resource's properties (a new list, in no promised order)."""
        ...

    def get_children(self, tree: Subtree) -> dict[str, dict[str, str]]:
        """Every property of each direct child of ``tree.root`` that has any, read at once.

        Maps each child's URL to its properties (name to value); children without properties are
        absent, and so are ``tree.root`` itself and resources deeper down. What a WebDAV server
        needs for ``PROPFIND`` with ``Depth: 1`` without one query per member.
        """
        ...

    def patch(
        self, url: str, values: Mapping[str, str], removals: Set[str], max_properties: int
    ) -> None:
        """Set ``values`` and remove ``removals`` (absent ones ignored) on one resource, at once.

        Raises :class:`~shallot.props.errors.TooManyProperties`, writing nothing, when the resource
        would be left with more than ``max_properties`` properties and more than it had (so a patch
        may always shrink a resource that a lowered limit left too large). The count is taken in
        the same atomic step as the write, so concurrent patches cannot together pass the limit.
        """
        ...

    def copy_tree(self, source: Subtree, destination: Subtree) -> None:
        """Make ``destination``'s properties a re-rooted copy of ``source``'s; they never overlap.

        What the destination subtree held is gone first (RFC 4918 deletes the destination).
        """
        ...

    def move_tree(self, source: Subtree, destination: Subtree) -> None:
        """As :meth:`copy_tree`, then remove every property of ``source``; as one step."""
        ...

    def delete_tree(self, tree: Subtree) -> None:
        """Remove every property of every resource in ``tree``."""
        ...

    def close(self) -> None:
        """Release connections and files; the storage is not used afterwards."""
        ...
