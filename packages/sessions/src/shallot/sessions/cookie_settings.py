"""The attributes of a session cookie, shared by cookie sessions and server-side sessions.

Checked once, when a session is configured: a bad name, path, domain or ``SameSite`` raises
:class:`ValueError` there (through :class:`shallot.http.HTTPCookie`'s own checks), not in the middle
of a response. The defaults are the safe ones: ``HttpOnly``, ``SameSite=Lax``, ``Path=/``; turn on
``secure`` whenever the site is served over HTTPS.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import TYPE_CHECKING

from shallot.http import HTTPCookie

if TYPE_CHECKING:
    from shallot.http.cookies import SameSite

__all__ = ["DEFAULT_COOKIE_NAME", "DEFAULT_MAX_AGE", "CookieSettings", "cookie_settings"]

DEFAULT_COOKIE_NAME = "SESSID"
"""PoorWSGI's default session cookie name."""

DEFAULT_MAX_AGE = 14 * 24 * 3600
"""Two weeks: how long a session lasts after its last change, unless configured otherwise."""


@dataclasses.dataclass(frozen=True, slots=True)
class CookieSettings:
    """How the session cookie is named and scoped.

    ``max_age`` is seconds from the last change until the session expires (both the cookie's
    ``Max-Age`` and the expiry the server checks); ``None`` makes a cookie session a browser
    session (no ``Max-Age``, no signed expiry). Raises :class:`ValueError` for anything
    :class:`~shallot.http.HTTPCookie` refuses, and for a ``max_age`` that is not positive.
    """

    name: str = DEFAULT_COOKIE_NAME
    max_age: int | None = DEFAULT_MAX_AGE
    path: str | None = "/"
    domain: str | None = None
    secure: bool = False
    httponly: bool = True
    samesite: SameSite | None = "Lax"
    _attributes: str = dataclasses.field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        if self.max_age is not None and (
            isinstance(self.max_age, bool) or not isinstance(self.max_age, int) or self.max_age <= 0
        ):
            raise ValueError(f"max_age must be a positive number of seconds: {self.max_age!r}")
        rendered = self.cookie("").render()
        object.__setattr__(self, "_attributes", rendered[len(self.name) + 1 :])

    def cookie(self, value: str) -> HTTPCookie:
        """The cookie that sets ``value`` with these attributes."""
        return HTTPCookie(
            self.name,
            value,
            path=self.path,
            domain=self.domain,
            max_age=self.max_age,
            secure=self.secure,
            httponly=self.httponly,
            samesite=self.samesite,
        )

    def set_cookie(self, value: str) -> str:
        """The ``Set-Cookie`` header value for ``value``, which must be base64url (as every value
        this package makes is): the attributes were rendered and checked once, up front."""
        return f"{self.name}={value}{self._attributes}"

    def deletion(self) -> HTTPCookie:
        """The cookie that makes the browser forget the session cookie."""
        deleted = HTTPCookie.delete(self.name, self.path, self.domain, secure=self.secure)
        return dataclasses.replace(deleted, httponly=self.httponly, samesite=self.samesite)


@lru_cache(maxsize=64)
def cookie_settings(
    name: str,
    max_age: int | None,
    path: str | None,
    domain: str | None,
    secure: bool,
    httponly: bool,
    samesite: SameSite | None,
) -> CookieSettings:
    """The :class:`CookieSettings` for these attributes, checked and rendered once per
    configuration: sessions are made per request, their settings are not."""
    return CookieSettings(name, max_age, path, domain, secure, httponly, samesite)
