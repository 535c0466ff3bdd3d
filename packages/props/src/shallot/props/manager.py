"""``PropertyManager``: a WebDAV server's dead properties, validated and bounded, on any storage.

The manager is what a server calls; the storage only keeps data. Before anything reaches the storage
the manager normalises URLs (:func:`~shallot.props.urls.normalize_url`), validates names
(:func:`~shallot.props.names.split_name`) and values, and checks the size limit; the storage then
applies each call atomically and checks the count limit in the same step. So every call either
happens whole or raises a :class:`~shallot.props.errors.PropertyError` having written nothing.

Values are the exact XML fragment the client sent for the property element, as a string: the manager
never parses or re-serialises them, so namespace declarations, ``xml:lang`` and mixed content come
back as sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.props.errors import (
    ConflictingPatch,
    InvalidPropertyValue,
    OverlappingTrees,
    PropertyValueTooLarge,
)
from shallot.props.names import validate_name
from shallot.props.urls import Subtree, normalize_url

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from shallot.props.storage import PropertyStorage

DEFAULT_MAX_VALUE_SIZE = 64 * 1024
"""Bytes (UTF-8) of one value: room for any real dead property, not for a file smuggled into one."""
DEFAULT_MAX_PROPERTIES = 1000
"""Properties per resource."""


class PropertyManager:
    """Dead properties keyed by resource URL and Clark name, kept in ``storage``.

    ``max_value_size`` bounds each value, in UTF-8 bytes; ``max_properties`` bounds the properties
    one resource may have. Lowering either later does not touch what is stored: only patches are
    checked, a patch may not set a value above the size limit, and it may not grow a resource past
    the count limit (one left above it by a lowered limit may still shrink).
    """

    def __init__(
        self,
        storage: PropertyStorage,
        *,
        max_value_size: int = DEFAULT_MAX_VALUE_SIZE,
        max_properties: int = DEFAULT_MAX_PROPERTIES,
    ) -> None:
        if max_value_size < 0 or max_properties < 0:
            raise ValueError("max_value_size and max_properties must not be negative")
        self.storage = storage
        self.max_value_size = max_value_size
        self.max_properties = max_properties

    def get(self, url: str, name: str) -> str | None:
        """The value of property ``name`` of the resource at ``url``, or ``None``."""
        return self.storage.get(normalize_url(url), validate_name(name))

    def get_all(self, url: str) -> dict[str, str]:
        """Every property of the resource at ``url``, name to value (empty when it has none)."""
        return self.storage.get_all(normalize_url(url))

    def names(self, url: str) -> list[str]:
        """The names of the properties of the resource at ``url``, sorted."""
        return sorted(self.storage.names(normalize_url(url)))

    def get_children(self, url: str) -> dict[str, dict[str, str]]:
        """The properties of every direct child of ``url`` that has any, in one storage call.

        Keys are the children's normalised URLs; ``url`` itself and deeper descendants are left
        out. One read for a whole collection, however many members it has.
        """
        return self.storage.get_children(Subtree(normalize_url(url)))

    def patch(self, url: str, set: Mapping[str, str] = {}, remove: Iterable[str] = ()) -> None:
        """Set the properties in ``set`` and remove those named in ``remove``, all or nothing.

        Removing a property the resource does not have is not an error (RFC 4918, section 14.23). A
        name may not be both set and removed (:class:`~shallot.props.errors.ConflictingPatch`).
        Raises, writing nothing: :class:`~shallot.props.errors.InvalidResourceURL`,
        :class:`~shallot.props.errors.InvalidPropertyName`,
        :class:`~shallot.props.errors.InvalidPropertyValue`,
        :class:`~shallot.props.errors.PropertyValueTooLarge` (naming the first property too large)
        and :class:`~shallot.props.errors.TooManyProperties` (counting the resource's properties
        as the patch would leave them).
        """
        url = normalize_url(url)
        values = dict(set)
        removals = frozenset(validate_name(name) for name in remove)
        for name, value in values.items():
            validate_name(name)
            size = _utf8_size(name, value)
            if size > self.max_value_size:
                raise PropertyValueTooLarge(url, name, self.max_value_size, size)
        conflicts = removals.intersection(values)
        if conflicts:
            raise ConflictingPatch(conflicts)
        if values or removals:
            self.storage.patch(url, values, removals, self.max_properties)

    def copy_tree(self, source: str, destination: str) -> None:
        """Make the properties under ``destination`` a copy of those under ``source``, trees whole.

        What ``destination`` and its descendants had is gone first, as RFC 4918 has COPY delete the
        destination; ``source`` is untouched. Raises :class:`~shallot.props.errors.OverlappingTrees`
        when one tree contains the other. Limits are not checked: the copied properties passed them
        when written.
        """
        self.storage.copy_tree(*self._disjoint(source, destination))

    def move_tree(self, source: str, destination: str) -> None:
        """As :meth:`copy_tree`, then remove the properties under ``source``: one atomic step."""
        self.storage.move_tree(*self._disjoint(source, destination))

    def delete_tree(self, url: str) -> None:
        """Remove the properties of the resource at ``url`` and all its descendants, only those."""
        self.storage.delete_tree(Subtree(normalize_url(url)))

    def _disjoint(self, source: str, destination: str) -> tuple[Subtree, Subtree]:
        trees = Subtree(normalize_url(source)), Subtree(normalize_url(destination))
        if trees[0].overlaps(trees[1]):
            raise OverlappingTrees(trees[0].root, trees[1].root)
        return trees


def _utf8_size(name: str, value: str) -> int:
    """The stored size of ``value`` in bytes; :class:`InvalidPropertyValue` if it has none."""
    if not isinstance(value, str):
        raise InvalidPropertyValue(name, f"a {type(value).__name__}, not a string")
    if value.isascii():
        return len(value)
    try:
        return len(value.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise InvalidPropertyValue(name, f"not encodable as UTF-8 ({error.reason})") from None
