"""Dead properties for a WebDAV server: verbatim, bounded, atomic; in memory, SQLite or Redis.

A :class:`PropertyManager` validates and bounds what a server stores; a :class:`PropertyStorage`
keeps it: :class:`MemoryPropertyStorage` for one process, :class:`SQLitePropertyStorage` (the
embedded default) for several processes on one machine, :class:`RedisPropertyStorage` (extra
``shallot-props[redis]``) for several machines. Names are Clark notation (``{DAV:}displayname``),
URLs are normalised resource paths, values are the exact XML fragment a client sent. Every error is
a :class:`PropertyError`, raised having written nothing.

    >>> from shallot.props import MemoryPropertyStorage, PropertyManager
    >>> props = PropertyManager(MemoryPropertyStorage())
    >>> props.patch("/docs/a.txt", set={"{urn:x}color": '<color xmlns="urn:x">red</color>'})
    >>> props.get("/docs/a.txt", "{urn:x}color")
    '<color xmlns="urn:x">red</color>'
"""

from shallot.props.__about__ import __version__ as __version__
from shallot.props.errors import ConflictingPatch as ConflictingPatch
from shallot.props.errors import IncompatibleStorage as IncompatibleStorage
from shallot.props.errors import InvalidPropertyName as InvalidPropertyName
from shallot.props.errors import InvalidPropertyValue as InvalidPropertyValue
from shallot.props.errors import InvalidResourceURL as InvalidResourceURL
from shallot.props.errors import OverlappingTrees as OverlappingTrees
from shallot.props.errors import PropertyError as PropertyError
from shallot.props.errors import PropertyLimitExceeded as PropertyLimitExceeded
from shallot.props.errors import PropertyValueTooLarge as PropertyValueTooLarge
from shallot.props.errors import TooManyProperties as TooManyProperties
from shallot.props.manager import PropertyManager as PropertyManager
from shallot.props.memory import MemoryPropertyStorage as MemoryPropertyStorage
from shallot.props.names import PropertyName as PropertyName
from shallot.props.names import clark_name as clark_name
from shallot.props.names import split_name as split_name
from shallot.props.names import validate_name as validate_name
from shallot.props.redis import RedisPropertyStorage as RedisPropertyStorage
from shallot.props.sqlite import SQLitePropertyStorage as SQLitePropertyStorage
from shallot.props.storage import PropertyStorage as PropertyStorage
from shallot.props.urls import Subtree as Subtree
from shallot.props.urls import normalize_url as normalize_url

__all__ = [
    "ConflictingPatch",
    "IncompatibleStorage",
    "InvalidPropertyName",
    "InvalidPropertyValue",
    "InvalidResourceURL",
    "MemoryPropertyStorage",
    "OverlappingTrees",
    "PropertyError",
    "PropertyLimitExceeded",
    "PropertyManager",
    "PropertyName",
    "PropertyStorage",
    "PropertyValueTooLarge",
    "RedisPropertyStorage",
    "SQLitePropertyStorage",
    "Subtree",
    "TooManyProperties",
    "__version__",
    "clark_name",
    "normalize_url",
    "split_name",
    "validate_name",
]
