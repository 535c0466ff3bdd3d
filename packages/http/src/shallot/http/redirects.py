"""Redirect responses: the 3xx answers that send the client elsewhere, and Wheezy's AJAX variant.

Browsers follow a 3xx answer to an ``XMLHttpRequest`` on their own, so script code never sees
where it was sent. :class:`AjaxRedirectResponse` answers such requests with 207 and the
``Location`` header instead, which the script can read and follow itself.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING
from urllib.parse import quote

from .response import Response, _with_content_length
from .status import MULTI_STATUS, status_line

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .types import HeadersInit

__all__ = ["REDIRECT_CODES", "AjaxRedirectResponse", "RedirectResponse"]

REDIRECT_CODES = frozenset((301, 302, 303, 307, 308))
"""The status codes a :class:`RedirectResponse` may have."""

_AJAX_STATUS = status_line(MULTI_STATUS)


def _location_field(location: str) -> str:
    for char in location:
        if char < " " or char == "\x7f":
            raise ValueError(f"invalid character {char!r} in redirect location {location!r}")
    if location.isascii() and " " not in location:
        return location
    return quote(location, safe=string.punctuation)


class RedirectResponse(Response):
    """A redirect to ``location`` with status 301, 302, 303, 307 or 308.

    Any other ``status_code`` raises :class:`ValueError`, as does a location holding control
    characters. The location is sent as given (relative references are allowed by RFC 9110),
    except that spaces and non-ASCII characters are percent-encoded as UTF-8. The body is a short
    ``text/plain`` note for clients that do not follow redirects, or ``message`` when given.
    """

    __slots__ = ()

    def __init__(
        self,
        location: str,
        status_code: int = 302,
        message: str | None = None,
        headers: HeadersInit | None = None,
    ) -> None:
        """Build the redirect; see the class documentation."""
        if status_code not in REDIRECT_CODES:
            raise ValueError(f"not a redirect status code: {status_code!r}")
        field = _location_field(location)
        if message is None:
            message = f"{status_line(status_code)}: {field}\n"
        super().__init__(message, "text/plain; charset=utf-8", headers, status_code)
        self.headers["Location"] = field

    @property
    def location(self) -> str:
        """The ``Location`` field as sent."""
        return self.headers["Location"]


class AjaxRedirectResponse(RedirectResponse):
    """A redirect that answers ``XMLHttpRequest`` requests with 207 Multi-Status instead.

    A request is taken for one when its ``X-Requested-With`` header is ``XMLHttpRequest`` (any
    case). The 207 answer carries the same ``Location`` header and body, for the script to follow;
    other requests get the plain redirect. ``Vary: X-Requested-With`` is added, so caches keep the
    two answers apart.
    """

    __slots__ = ()

    def __init__(
        self,
        location: str,
        status_code: int = 302,
        message: str | None = None,
        headers: HeadersInit | None = None,
    ) -> None:
        """Build the redirect; see :class:`RedirectResponse`."""
        super().__init__(location, status_code, message, headers)
        self.headers.add("Vary", "X-Requested-With")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer 207 with ``Location`` to an AJAX request, the redirect to any other."""
        if environ.get("HTTP_X_REQUESTED_WITH", "").lower() != "xmlhttprequest":
            return super().__call__(environ, start_response)
        body = self.data
        start_response(_AJAX_STATUS, _with_content_length(self.headers, len(body)))
        if environ.get("REQUEST_METHOD") == "HEAD":
            return []
        return [body]
