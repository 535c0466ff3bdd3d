"""The errors shallot-props raises, each carrying what a server needs to answer the client.

Every error derives from :class:`PropertyError`. Bad input (a malformed name, URL or value, a patch
that both sets and removes one name, overlapping trees) also derives from :class:`ValueError`; a
breached size limit is a :class:`PropertyLimitExceeded`, which a WebDAV server reports as ``507
Insufficient Storage``. Whatever is raised, nothing was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


class PropertyError(Exception):
    """The base of every error raised by shallot-props."""


class InvalidPropertyName(PropertyError, ValueError):
    """A name that is not Clark notation ``{namespace}local`` with an NCName as local part."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"invalid property name {name!r}: {reason}")
        self.name = name
        self.reason = reason


class InvalidPropertyValue(PropertyError, ValueError):
    """A value that is not a string storable as UTF-8 (one holding a lone surrogate, say)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"invalid value for property {name!r}: {reason}")
        self.name = name
        self.reason = reason


class InvalidResourceURL(PropertyError, ValueError):
    """A URL that is not an absolute path, has a malformed escape, or ``.``/``..`` segments."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"invalid resource URL {url!r}: {reason}")
        self.url = url
        self.reason = reason


class ConflictingPatch(PropertyError, ValueError):
    """A patch that both sets and removes the same names.

    RFC 4918 applies PROPPATCH instructions in document order; the caller knows that order and must
    resolve it (the last instruction for a name wins) before calling :meth:`PropertyManager.patch`.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        super().__init__(f"a patch both sets and removes {', '.join(sorted(self.names))}")


class OverlappingTrees(PropertyError, ValueError):
    """A copy or move whose source and destination are the same tree or one contains the other."""

    def __init__(self, source: str, destination: str) -> None:
        super().__init__(f"cannot copy or move {source!r} to {destination!r}: the trees overlap")
        self.source = source
        self.destination = destination


class IncompatibleStorage(PropertyError):
    """A storage file written by an unknown (newer) schema version; it is left untouched."""

    def __init__(self, location: str, version: int) -> None:
        super().__init__(f"{location}: unknown property storage schema version {version}")
        self.location = location
        self.version = version


class PropertyLimitExceeded(PropertyError):
    """A patch that would breach a configured limit; nothing of it was written.

    ``limit`` is the configured maximum and ``actual`` what the patch would have made it.
    """

    def __init__(self, message: str, url: str, limit: int, actual: int) -> None:
        super().__init__(message)
        self.url = url
        self.limit = limit
        self.actual = actual


class PropertyValueTooLarge(PropertyLimitExceeded):
    """A value longer than ``max_value_size`` UTF-8 bytes; ``name`` is the offending property."""

    def __init__(self, url: str, name: str, limit: int, actual: int) -> None:
        super().__init__(
            f"{url}: property {name} is {actual} bytes, above the limit of {limit}",
            url,
            limit,
            actual,
        )
        self.name = name


class TooManyProperties(PropertyLimitExceeded):
    """A patch that would leave a resource with more than ``max_properties`` properties."""

    def __init__(self, url: str, limit: int, actual: int) -> None:
        super().__init__(
            f"{url}: the patch would leave {actual} properties, above the limit of {limit}",
            url,
            limit,
            actual,
        )
