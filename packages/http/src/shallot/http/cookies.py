"""Cookies: the ``Set-Cookie`` a response sends and the ``Cookie`` header a request carries.

:class:`HTTPCookie` is one cookie to set, checked when it is built so that rendering it can never
produce a header that breaks out of its field or that browsers will refuse (RFC 6265, and the
``SameSite`` and ``__Secure-``/``__Host-`` rules of its successor drafts). Values are never
encoded for you: a value may hold printable ASCII except ``"``, ``;`` and ``\\``, and is wrapped in
double quotes when it holds a space or a comma; anything else raises :class:`ValueError`, so
encode richer data (for example with :func:`urllib.parse.quote` or base64) before setting it.

:func:`parse_cookie_header` reads a request's ``Cookie`` header leniently, as browsers send
whatever scripts stored.
"""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import datetime, timedelta
from typing import Literal

from shallot.http.dates import http_date

__all__ = ["HTTPCookie", "SameSite", "parse_cookie_header"]

SameSite = Literal["Strict", "Lax", "None"]
"""The values the ``SameSite`` attribute may take."""

_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_VALUE = frozenset(chr(c) for c in range(0x20, 0x7F)) - frozenset('";\\')
_ATTRIBUTE = frozenset(chr(c) for c in range(0x20, 0x7F)) - frozenset(";")
_DOMAIN = frozenset("-.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CONTROL = frozenset(chr(c) for c in (*range(0x20), 0x7F))
_SAMESITE = ("Strict", "Lax", "None")


@dataclasses.dataclass(frozen=True, slots=True)
class HTTPCookie:
    """One cookie for a ``Set-Cookie`` header; immutable and validated on creation.

    ``name`` must be a non-empty RFC 6265 token. ``value`` is described in the module
    documentation. ``path`` (default ``/``) and ``domain`` may not hold ``;`` or control
    characters, and ``domain`` only letters, digits, ``-`` and ``.``; ``None`` leaves them out.
    ``max_age`` is whole seconds (an ``int`` or a :class:`~datetime.timedelta`, rounded down;
    zero or less expires the cookie at once); ``expires`` is a datetime or an epoch timestamp.
    ``httponly`` defaults to true. ``samesite`` is ``"Strict"``, ``"Lax"`` (the default),
    ``"None"``, or ``None`` to leave the attribute out; ``"None"`` requires ``secure``.
    A name starting ``__Secure-`` requires ``secure``, and one starting ``__Host-`` also requires
    ``path="/"`` and no ``domain``. Every violation raises :class:`ValueError`.
    """

    name: str
    value: str
    path: str | None = "/"
    domain: str | None = None
    max_age: int | timedelta | None = None
    expires: datetime | float | None = None
    secure: bool = False
    httponly: bool = True
    samesite: SameSite | None = "Lax"

    def __post_init__(self) -> None:
        if not self.name or not _TOKEN.issuperset(self.name):
            raise ValueError(f"cookie name is not a token: {self.name!r}")
        if not _VALUE.issuperset(self.value):
            raise ValueError(f"cookie value holds a character a cookie cannot: {self.value!r}")
        if self.path is not None and not _ATTRIBUTE.issuperset(self.path):
            raise ValueError(f"cookie path holds ';' or a control character: {self.path!r}")
        if self.domain is not None and (not self.domain or not _DOMAIN.issuperset(self.domain)):
            raise ValueError(f"cookie domain is not a host name: {self.domain!r}")
        if self.samesite is not None and self.samesite not in _SAMESITE:
            raise ValueError(f"SameSite must be Strict, Lax, None or absent: {self.samesite!r}")
        if self.samesite == "None" and not self.secure:
            raise ValueError("SameSite=None requires secure=True")
        if self.name.startswith(("__Secure-", "__Host-")) and not self.secure:
            raise ValueError(f"a cookie named {self.name!r} requires secure=True")
        if self.name.startswith("__Host-") and (self.path != "/" or self.domain is not None):
            raise ValueError(f"a cookie named {self.name!r} requires path='/' and no domain")
        if self.expires is not None:
            http_date(self.expires)

    @classmethod
    def delete(
        cls, name: str, path: str | None = "/", domain: str | None = None, *, secure: bool = False
    ) -> HTTPCookie:
        """A cookie that makes the browser drop ``name`` at ``path`` and ``domain``.

        Its value is empty, ``Max-Age`` is 0 and ``Expires`` is the epoch. ``path`` and
        ``domain`` must be those the cookie was set with. ``secure`` is implied for names with
        a ``__Secure-`` or ``__Host-`` prefix.
        """
        secure = secure or name.startswith(("__Secure-", "__Host-"))
        return cls(name, "", path=path, domain=domain, max_age=0, expires=0, secure=secure)

    def render(self) -> str:
        """The ``Set-Cookie`` header value, e.g. ``sid=abc; Path=/; HttpOnly; SameSite=Lax``."""
        value = self.value
        if " " in value or "," in value:
            value = f'"{value}"'
        parts = [f"{self.name}={value}"]
        if self.path is not None:
            parts.append(f"Path={self.path}")
        if self.domain is not None:
            parts.append(f"Domain={self.domain}")
        if self.max_age is not None:
            max_age = self.max_age
            if isinstance(max_age, timedelta):
                max_age = max_age.days * 86_400 + max_age.seconds
            parts.append(f"Max-Age={int(max_age)}")
        if self.expires is not None:
            parts.append(f"Expires={http_date(self.expires)}")
        if self.secure:
            parts.append("Secure")
        if self.httponly:
            parts.append("HttpOnly")
        if self.samesite is not None:
            parts.append(f"SameSite={self.samesite}")
        return "; ".join(parts)


def parse_cookie_header(value: str) -> dict[str, str]:
    """Read a ``Cookie`` header into a dict of names to values; never raises.

    Pairs are separated by ``;``. A pair without ``=``, with a name that is not a token, or
    with a control character in its value is skipped. Whitespace around names and values is
    dropped and a value wrapped in double quotes is unwrapped. When a name repeats, the first
    occurrence wins (browsers list the most specific cookie first). A WSGI header string whose
    bytes are valid UTF-8 is decoded as such, so non-ASCII values set by scripts come out right.
    """
    if not value.isascii():
        with contextlib.suppress(UnicodeError):
            value = value.encode("latin-1").decode("utf-8")
    cookies: dict[str, str] = {}
    for pair in value.split(";"):
        name, equals, cookie_value = pair.partition("=")
        name = name.strip(" \t")
        if not equals or not name or name in cookies or not _TOKEN.issuperset(name):
            continue
        cookie_value = cookie_value.strip(" \t")
        if len(cookie_value) >= 2 and cookie_value[0] == cookie_value[-1] == '"':
            cookie_value = cookie_value[1:-1]
        if _CONTROL.isdisjoint(cookie_value):
            cookies[name] = cookie_value
    return cookies
