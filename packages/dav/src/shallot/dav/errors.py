"""``DAVError``: every refusal of the WebDAV server, typed, and the one place it becomes a response.

Handlers, providers and middleware raise :class:`DAVError` where they find the fault, with the
status and, where RFC 4918 names one, the precondition or postcondition element
(``lock-token-submitted``, ``no-conflicting-lock``, ``propfind-finite-depth`` ...) and the URLs
that element lists. :func:`error_response` turns it into the answer:

- with a condition, an ``application/xml`` body ``<D:error><D:condition>...</D:condition>
  </D:error>`` (RFC 4918 section 16);
- without one, a short ``text/plain`` reason.

The :class:`~shallot.dav.error_printer.ErrorPrinter` middleware is what calls it, for errors raised
anywhere below it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple
from xml.sax.saxutils import escape

from shallot.http import Response, reason_phrase

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Condition", "DAVError", "Failure", "empty_response", "error_response"]

Condition = Literal[
    "cannot-modify-protected-property",
    "lock-token-matches-request-uri",
    "lock-token-submitted",
    "no-conflicting-lock",
    "propfind-finite-depth",
    "quota-not-exceeded",
]
"""The RFC 4918 (and RFC 4331 ``quota-not-exceeded``) condition elements the server reports."""


class DAVError(Exception):
    """A request refused with ``status``; ``condition`` and ``hrefs`` fill an RFC 4918 error body.

    ``message`` is the reason shown to the client when there is no condition; it never holds
    anything the client did not send or may not know. ``headers`` are added to the response
    (``Allow`` for a 405, say).
    """

    def __init__(
        self,
        status: int,
        message: str = "",
        *,
        condition: Condition | None = None,
        hrefs: Sequence[str] = (),
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.status = status
        self.message = message or reason_phrase(status)
        self.condition: Condition | None = condition
        self.hrefs = tuple(hrefs)
        self.headers = tuple(headers)
        super().__init__(f"{status} {self.message}")


class Failure(NamedTuple):
    """One member a DELETE, COPY or MOVE could not handle: its href and the status to report."""

    href: str
    status: int


def empty_response(status: int, headers: Sequence[tuple[str, str]] | None = None) -> Response:
    """A success without a body (201, 204, an OPTIONS 200): typed ``text/plain`` unless 204."""
    content_type = None if status == 204 else "text/plain; charset=utf-8"
    return Response(b"", content_type, headers, status)


def error_response(error: DAVError) -> Response:
    """The response for ``error`` (see the module documentation)."""
    headers = list(error.headers)
    if error.condition is None:
        return Response(
            error.message + "\n", "text/plain; charset=utf-8", headers, status_code=error.status
        )
    inner = "".join(f"<D:href>{escape(href)}</D:href>" for href in error.hrefs)
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<D:error xmlns:D="DAV:"><D:{error.condition}>{inner}</D:{error.condition}></D:error>'
    )
    return Response(body, "application/xml; charset=utf-8", headers, status_code=error.status)
