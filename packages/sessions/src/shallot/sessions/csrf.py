"""CSRF tokens tied to the session: a form helper, a check, and an App middleware that enforces it.

A cross-site form can make the browser send the session cookie, but cannot read the page that holds
the token, so a state-changing request that echoes the session's token came from this site. Put
:func:`csrf_token` in every form (a hidden ``csrf_token`` field) or in JavaScript's
``X-CSRF-Token`` header, and let :class:`CSRFProtect` refuse unsafe requests without it::

    app = App(middleware=[session_middleware(make_session), csrf_protect()])

    @app.route("/login")
    def form(req: RoutedRequest) -> str:
        return f'<form method="post"><input type="hidden" name="csrf_token" '
               f'value="{csrf_token(req.session)}"> ...'

The token is 32 random bytes, made once per session and kept in it under :data:`CSRF_SESSION_KEY`
(so the first page with a form writes the session); checks compare in constant time. Covers
Flask-WTF's ``CSRFProtect`` and Wheezy's XSRF handler in the shape of the App's middleware.
"""

from __future__ import annotations

import hmac
import secrets
from typing import TYPE_CHECKING, TypeVar

from shallot.http import Request, forbidden

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, MutableMapping

    from shallot.http import BaseResponse, JSONValue

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "CSRF_SESSION_KEY",
    "SAFE_METHODS",
    "CSRFProtect",
    "check_csrf",
    "csrf_protect",
    "csrf_token",
]

CSRF_SESSION_KEY = "_csrf_token"
"""The session key the token is kept under."""

CSRF_FIELD = "csrf_token"
"""The form field :class:`CSRFProtect` reads by default."""

CSRF_HEADER = "X-CSRF-Token"
"""The request header :class:`CSRFProtect` reads by default (before any form field)."""

SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "TRACE"))
"""Methods that must not change state (RFC 9110 section 9.2.1), so need no token."""

RequestT = TypeVar("RequestT", bound=Request)


def csrf_token(session: MutableMapping[str, JSONValue]) -> str:
    """The session's CSRF token, made and stored in ``session`` on first use."""
    token = session.get(CSRF_SESSION_KEY)
    if isinstance(token, str) and token:
        return token
    token = secrets.token_urlsafe(32)
    session[CSRF_SESSION_KEY] = token
    return token


def check_csrf(session: Mapping[str, JSONValue], submitted: str | None) -> bool:
    """Whether ``submitted`` is the session's CSRF token (compared in constant time). False when
    either is missing or empty."""
    expected = session.get(CSRF_SESSION_KEY)
    if not isinstance(expected, str) or not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())


class CSRFProtect:
    """App handler middleware answering 403 to unsafe requests without the session's token.

    The token is read from the ``header`` field, else from the ``field`` of a urlencoded or
    multipart form (parsed once; the handler reads the same parsed form). Needs a session
    middleware before it in the chain (``request.session``).
    """

    __slots__ = ("_environ_header", "field", "header")

    def __init__(self, *, field: str = CSRF_FIELD, header: str = CSRF_HEADER) -> None:
        self.field = field
        self.header = header
        self._environ_header = "HTTP_" + header.upper().replace("-", "_")

    def __call__(
        self, request: RequestT, following: Callable[[RequestT], BaseResponse | None], /
    ) -> BaseResponse | None:
        """Refuse an unsafe request whose token does not match, else answer with ``following``."""
        if request.method not in SAFE_METHODS:
            submitted = request.environ.get(self._environ_header)
            if not submitted:
                submitted = request.form.getfirst(self.field)
            if not check_csrf(request.session, submitted):
                return forbidden("the CSRF token is missing or does not match")
        return following(request)


def csrf_protect(
    *, field: str = CSRF_FIELD, header: str = CSRF_HEADER
) -> Callable[[dict[str, object]], CSRFProtect]:
    """The App middleware factory for :class:`CSRFProtect`: ``App(middleware=[...,
    csrf_protect()])``, after the session middleware."""

    def build(options: dict[str, object]) -> CSRFProtect:
        return CSRFProtect(field=field, header=header)

    return build
