"""Live properties: the ones the server computes from a resource, written as XML strings.

RFC 4918: ``resourcetype``, ``displayname``, ``getcontentlength``, ``getcontenttype``,
``getetag`` (strong), ``getlastmodified``, ``creationdate``, ``supportedlock``,
``lockdiscovery``; RFC 4331: ``quota-available-bytes`` and ``quota-used-bytes`` (on collections,
only when asked for by name, as RFC 4331 keeps them out of ``allprop``). All are protected: a
PROPPATCH of one gets 403 ``cannot-modify-protected-property``.

Each value is one f-string per resource; dates are cached per second, since the members of a
folder often share them. ``getcontentlength`` and ``getcontenttype`` exist for non-collections
only.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from shallot.dav.xml_write import escape_text
from shallot.http import http_date

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from shallot.dav.provider import Quota, ResourceInfo
    from shallot.locks import Lock

__all__ = [
    "ALLPROP_NAMES",
    "LIVE_NAMES",
    "QUOTA_NAMES",
    "SIMPLE_RENDERERS",
    "SUPPORTED_LOCK",
    "activelock",
    "allprop",
    "creation_date",
    "last_modified",
    "live_names",
    "lockdiscovery",
    "render_live",
]

_D = "{DAV:}"
ALLPROP_NAMES = tuple(
    _D + local
    for local in (
        "resourcetype",
        "displayname",
        "getcontentlength",
        "getcontenttype",
        "getetag",
        "getlastmodified",
        "creationdate",
        "supportedlock",
        "lockdiscovery",
    )
)
"""The live properties of ``allprop``, in the order they are written."""
QUOTA_NAMES = (_D + "quota-available-bytes", _D + "quota-used-bytes")
LIVE_NAMES = frozenset(ALLPROP_NAMES + QUOTA_NAMES)
"""Every live property: all protected."""

SUPPORTED_LOCK = (
    "<D:supportedlock>"
    "<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>"
    "</D:lockentry>"
    "<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype>"
    "</D:lockentry>"
    "</D:supportedlock>"
)
_FILE_NAMES = tuple(name for name in ALLPROP_NAMES)
_COLLECTION_NAMES = tuple(
    name for name in ALLPROP_NAMES if name not in (_D + "getcontentlength", _D + "getcontenttype")
)
_COLLECTION_TYPE = "<D:resourcetype><D:collection/></D:resourcetype>"
_FILE_TYPE = "<D:resourcetype/>"
_CACHE_SIZE = 4096
_http_dates: dict[int, str] = {}
_iso_dates: dict[int, str] = {}


def last_modified(moment: float) -> str:
    """``moment`` as an HTTP date (cached per second)."""
    second = int(moment)
    text = _http_dates.get(second)
    if text is None:
        text = http_date(second)
        if len(_http_dates) >= _CACHE_SIZE:
            _http_dates.clear()
        _http_dates[second] = text
    return text


def creation_date(moment: float) -> str:
    """``moment`` as an RFC 3339 date-time in UTC, as ``creationdate`` takes it (cached)."""
    second = int(moment)
    text = _iso_dates.get(second)
    if text is None:
        text = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
        if len(_iso_dates) >= _CACHE_SIZE:
            _iso_dates.clear()
        _iso_dates[second] = text
    return text


def activelock(lock: Lock, script_name: str, now: float) -> str:
    """The ``<D:activelock>`` of ``lock`` as LOCK and PROPFIND report it."""
    remaining = lock.remaining(now)
    timeout = "Infinite" if remaining is None else f"Second-{remaining}"
    scope = "<D:exclusive/>" if lock.exclusive else "<D:shared/>"
    return (
        "<D:activelock><D:locktype><D:write/></D:locktype>"
        f"<D:lockscope>{scope}</D:lockscope><D:depth>{lock.depth.value}</D:depth>"
        f"{lock.owner or ''}<D:timeout>{timeout}</D:timeout>"
        f"<D:locktoken><D:href>{escape_text(lock.token)}</D:href></D:locktoken>"
        f"<D:lockroot><D:href>{escape_text(script_name + lock.root)}</D:href></D:lockroot>"
        "</D:activelock>"
    )


def lockdiscovery(locks: Iterable[Lock], script_name: str, now: float) -> str:
    """The ``<D:lockdiscovery>`` element listing ``locks`` (empty when there are none)."""
    inner = "".join(activelock(lock, script_name, now) for lock in locks)
    return f"<D:lockdiscovery>{inner}</D:lockdiscovery>" if inner else "<D:lockdiscovery/>"


def allprop(info: ResourceInfo, locks: str) -> str:
    """Every ``allprop`` live property of ``info``; ``locks`` is its ``lockdiscovery``."""
    name = escape_text(info.name)
    if info.is_collection:
        return (
            f"{_COLLECTION_TYPE}<D:displayname>{name}</D:displayname>"
            f'<D:getetag>"{info.etag}"</D:getetag>'
            f"<D:getlastmodified>{last_modified(info.modified)}</D:getlastmodified>"
            f"<D:creationdate>{creation_date(info.created)}</D:creationdate>"
            f"{SUPPORTED_LOCK}{locks}"
        )
    return (
        f"{_FILE_TYPE}<D:displayname>{name}</D:displayname>"
        f"<D:getcontentlength>{info.size}</D:getcontentlength>"
        f"<D:getcontenttype>{info.content_type}</D:getcontenttype>"
        f'<D:getetag>"{info.etag}"</D:getetag>'
        f"<D:getlastmodified>{last_modified(info.modified)}</D:getlastmodified>"
        f"<D:creationdate>{creation_date(info.created)}</D:creationdate>"
        f"{SUPPORTED_LOCK}{locks}"
    )


def live_names(info: ResourceInfo) -> tuple[str, ...]:
    """The names of the live properties ``info`` has (for ``propname``)."""
    if info.is_collection:
        return _COLLECTION_NAMES + QUOTA_NAMES
    return _FILE_NAMES


def _resourcetype(info: ResourceInfo) -> str:
    return _COLLECTION_TYPE if info.is_collection else _FILE_TYPE


def _displayname(info: ResourceInfo) -> str:
    return f"<D:displayname>{escape_text(info.name)}</D:displayname>"


def _getetag(info: ResourceInfo) -> str:
    return f'<D:getetag>"{info.etag}"</D:getetag>'


def _getlastmodified(info: ResourceInfo) -> str:
    return f"<D:getlastmodified>{last_modified(info.modified)}</D:getlastmodified>"


def _creationdate(info: ResourceInfo) -> str:
    return f"<D:creationdate>{creation_date(info.created)}</D:creationdate>"


def _supportedlock(info: ResourceInfo) -> str:
    return SUPPORTED_LOCK


def _getcontentlength(info: ResourceInfo) -> str | None:
    if info.is_collection:
        return None
    return f"<D:getcontentlength>{info.size}</D:getcontentlength>"


def _getcontenttype(info: ResourceInfo) -> str | None:
    if info.is_collection:
        return None
    return f"<D:getcontenttype>{escape_text(info.content_type)}</D:getcontenttype>"


SIMPLE_RENDERERS: dict[str, Callable[[ResourceInfo], str | None]] = {
    _D + "resourcetype": _resourcetype,
    _D + "displayname": _displayname,
    _D + "getetag": _getetag,
    _D + "getlastmodified": _getlastmodified,
    _D + "creationdate": _creationdate,
    _D + "supportedlock": _supportedlock,
    _D + "getcontentlength": _getcontentlength,
    _D + "getcontenttype": _getcontenttype,
}
"""The live properties that depend on the resource alone, each rendered by one function
(``None``: the resource does not have it). ``lockdiscovery`` and the quota properties need more
and are rendered by :func:`render_live`."""


def render_live(
    name: str,
    info: ResourceInfo,
    locks: Callable[[], str],
    quota: Callable[[], Quota | None],
) -> str | None:
    """The element of live property ``name`` for ``info``, or ``None`` when it has none.

    ``locks`` and ``quota`` are asked only when that property is the one wanted.
    """
    simple = SIMPLE_RENDERERS.get(name)
    if simple is not None:
        return simple(info)
    if name == _D + "lockdiscovery":
        return locks()
    if name in QUOTA_NAMES and info.is_collection:
        figures = quota()
        if figures is None:
            return None
        if name == _D + "quota-used-bytes":
            return f"<D:quota-used-bytes>{figures.used}</D:quota-used-bytes>"
        return f"<D:quota-available-bytes>{figures.available}</D:quota-available-bytes>"
    return None
