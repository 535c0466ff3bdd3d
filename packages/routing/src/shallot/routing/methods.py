"""HTTP methods: the flags routes are registered with, and the ``Allow`` header they produce.

Routes, default handlers, state and error handlers take their methods as :class:`Method` flags,
PoorWSGI's way (``METHOD_GET | METHOD_POST``), or as method names, which also admits extension
methods such as WebDAV's ``PROPFIND``. Inside the App every method is a plain name (``"GET"``), the
form the WSGI environ carries, so dispatching is a dict lookup on ``REQUEST_METHOD``.

Registering ``GET`` also answers ``HEAD`` (a response drops its body for ``HEAD`` by itself), and
``OPTIONS`` is answered by the App for every known path unless a route registers it.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "METHOD_ALL",
    "METHOD_CONNECT",
    "METHOD_DELETE",
    "METHOD_GET",
    "METHOD_GET_POST",
    "METHOD_HEAD",
    "METHOD_OPTIONS",
    "METHOD_PATCH",
    "METHOD_POST",
    "METHOD_PUT",
    "METHOD_TRACE",
    "Method",
    "Methods",
    "format_allow",
    "method_names",
    "parse_allow",
]

_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)


class Method(enum.IntFlag):
    """The standard HTTP methods (RFC 9110 and RFC 5789's PATCH) as combinable flags."""

    GET = 1
    HEAD = 2
    POST = 4
    PUT = 8
    DELETE = 16
    PATCH = 32
    OPTIONS = 64
    TRACE = 128
    CONNECT = 256


METHOD_GET = Method.GET
METHOD_HEAD = Method.HEAD
METHOD_POST = Method.POST
METHOD_PUT = Method.PUT
METHOD_DELETE = Method.DELETE
METHOD_PATCH = Method.PATCH
METHOD_OPTIONS = Method.OPTIONS
METHOD_TRACE = Method.TRACE
METHOD_CONNECT = Method.CONNECT
METHOD_GET_POST = Method.GET | Method.HEAD | Method.POST
"""``GET``, ``HEAD`` and ``POST``: a page with a form posting back to itself."""
METHOD_ALL = (
    Method.GET
    | Method.HEAD
    | Method.POST
    | Method.PUT
    | Method.DELETE
    | Method.PATCH
    | Method.OPTIONS
    | Method.TRACE
    | Method.CONNECT
)
"""Every standard method."""

Methods: TypeAlias = "Method | str | Iterable[str]"
"""What registration functions accept: flags, one method name, or several names."""

_ORDER = {name: member.value for name, member in Method.__members__.items()}


def method_names(methods: Methods) -> frozenset[str]:
    """The method names ``methods`` stands for, as the environ's ``REQUEST_METHOD`` spells them.

    Flags give the names of their members. Names are taken as given (methods are
    case-sensitive); each must be an RFC 9110 token, else :class:`ValueError`. An empty selection
    is a :class:`ValueError` too: a registration that answers no method is a mistake.
    """
    if isinstance(methods, Method):
        names = frozenset(name for name, value in _ORDER.items() if methods & value)
    else:
        names = frozenset((methods,) if isinstance(methods, str) else methods)
        for name in names:
            if not isinstance(name, str):
                raise TypeError(f"a method name must be str, not {type(name).__name__}")
            if not name or not _TOKEN_CHARS.issuperset(name):
                raise ValueError(f"not an HTTP method name: {name!r}")
    if not names:
        raise ValueError("no HTTP method selected")
    return names


def format_allow(names: Iterable[str]) -> str:
    """The ``Allow`` header value for ``names``: each once, standard methods first in
    :class:`Method` order, then extension methods sorted; ``HEAD`` is added next to ``GET``."""
    unique = set(names)
    if "GET" in unique:
        unique.add("HEAD")
    return ", ".join(sorted(unique, key=lambda name: (_ORDER.get(name, 1 << 16), name)))


def parse_allow(value: str) -> frozenset[str]:
    """The method names an ``Allow`` header value lists (blank entries skipped)."""
    return frozenset(item.strip() for item in value.split(",") if item.strip())
