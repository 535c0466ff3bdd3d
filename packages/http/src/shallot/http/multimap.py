"""What :class:`~shallot.http.fields.Fields` and :class:`~shallot.http.uploads.Files` share: an
immutable multi-map kept as an index from name to values plus, when a name was repeated, the
pairs in the order sent (without repeats, the index alone holds that order).

The subclasses add their own lookups (converting ``getfirst``/``getlist`` for fields, uploads
that can be closed for files); the mapping protocol lives here once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["OrderedMultiMap"]

V = TypeVar("V")


class OrderedMultiMap(Generic[V]):
    """Names mapped to the values sent under them; each name seen once, in first-seen order.

    ``map[name]`` is the first value; iteration, :meth:`keys` and ``len()`` see each name once;
    :meth:`items` gives every ``(name, value)`` pair, repeated names included, in the order sent.
    """

    __slots__ = ("_index", "_pairs")

    _pairs: list[tuple[str, V]] | None
    """Every pair in the order sent; ``None`` when no name has several values, so the parser of
    the usual query or form need not build it."""
    _index: dict[str, list[V]]

    def __getitem__(self, name: str) -> V:
        """The first value sent for ``name``; :class:`KeyError` when there is none."""
        return self._index[name][0]

    def __contains__(self, name: object) -> bool:
        """Whether at least one value was sent for ``name``."""
        return name in self._index

    def __iter__(self) -> Iterator[str]:
        """Each name once, in the order names first appeared."""
        return iter(self._index)

    def __len__(self) -> int:
        """The number of distinct names."""
        return len(self._index)

    def keys(self) -> list[str]:
        """Each name once, in the order names first appeared."""
        return list(self._index)

    def items(self) -> list[tuple[str, V]]:
        """Every ``(name, value)`` pair, repeated names included, in the order sent."""
        pairs = self._pairs
        if pairs is None:
            return [(name, values[0]) for name, values in self._index.items()]
        return list(pairs)
