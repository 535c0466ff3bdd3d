"""HTTP errors as exceptions, and the small error responses shallot answers with.

Code deep inside a request raises :class:`HTTPException` (or calls :func:`abort`) and the
application turns it into its :attr:`~HTTPException.response` in one place. The builders
(:func:`not_found`, :func:`method_not_allowed`, ...) return plain responses, so
``return not_found()`` and ``raise HTTPException(not_found())`` read equally well. Error bodies are
``text/plain`` with ``X-Content-Type-Options: nosniff``, so a message quoting user input can never
be taken for HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from .redirects import RedirectResponse
from .response import BaseResponse, Response
from .status import status_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .types import HeadersInit

__all__ = [
    "HTTPException",
    "abort",
    "bad_request",
    "forbidden",
    "http_error",
    "internal_error",
    "method_not_allowed",
    "not_found",
    "redirect",
    "unauthorized",
]

_TEXT_PLAIN = "text/plain; charset=utf-8"


def _error_response(
    status_code: int, message: str | None, headers: HeadersInit | None = None
) -> Response:
    line = status_line(status_code)
    body = f"{line}\n" if message is None else f"{line}\n\n{message}\n"
    response = Response(body, _TEXT_PLAIN, headers, status_code)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class HTTPException(Exception):
    """An HTTP answer raised to end a request early.

    Built from a status code (``HTTPException(404)``), optionally with a ``message`` for the body
    and extra ``headers`` (``HTTPException(405, headers=[("Allow", "GET")])``), or from a ready
    response (``HTTPException(not_found())``). A status code gives a ``text/plain`` response whose
    body is the status line followed by the message. A status code outside 100-599 raises
    :class:`ValueError`; ``message`` and ``headers`` next to a response raise :class:`TypeError`.
    """

    response: BaseResponse
    """What to answer the request with."""

    message: str | None
    """The message given with a status code, else ``None``."""

    def __init__(
        self,
        status_or_response: int | BaseResponse,
        message: str | None = None,
        *,
        headers: HeadersInit | None = None,
    ) -> None:
        """Build the exception; see the class documentation."""
        if isinstance(status_or_response, BaseResponse):
            if message is not None or headers is not None:
                raise TypeError("message and headers go with a status code, not a response")
            self.response = status_or_response
        else:
            self.response = _error_response(status_or_response, message, headers)
        self.message = message
        super().__init__(self.response.status_code, message)

    @property
    def status_code(self) -> int:
        """The status code of :attr:`response`."""
        return self.response.status_code

    def __str__(self) -> str:
        """The status line, then the message when there is one."""
        line = self.response.status
        return line if self.message is None else f"{line}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status_code!r}, {self.message!r})"


def abort(
    status_or_response: int | BaseResponse,
    message: str | None = None,
    headers: HeadersInit | None = None,
) -> NoReturn:
    """Raise :class:`HTTPException` built from the same arguments."""
    raise HTTPException(status_or_response, message, headers=headers)


def redirect(location: str, status_code: int = 302) -> NoReturn:
    """Raise :class:`HTTPException` carrying a :class:`~shallot.http.redirects.RedirectResponse`.

    A ``status_code`` that is not a redirect raises :class:`ValueError` instead.
    """
    raise HTTPException(RedirectResponse(location, status_code))


def http_error(status_code: int, message: str | None = None) -> Response:
    """Return the ``text/plain`` error response for a 4xx or 5xx ``status_code``.

    The body is the status line, then ``message`` when given. Any other code raises
    :class:`ValueError`.
    """
    if (
        isinstance(status_code, bool)
        or not isinstance(status_code, int)
        or not 400 <= status_code <= 599
    ):
        raise ValueError(f"not an HTTP error status code: {status_code!r}")
    return _error_response(status_code, message)


def bad_request(message: str | None = None) -> Response:
    """Return a 400 Bad Request response, saying why in ``message``."""
    return _error_response(400, message)


def unauthorized(challenges: str | Sequence[str] = (), message: str | None = None) -> Response:
    """Return a 401 Unauthorized response with one ``WWW-Authenticate`` field per challenge.

    RFC 9110 requires at least one challenge in a 401; give one, such as
    ``'Basic realm="files"'``, unless another layer adds it.
    """
    response = _error_response(401, message)
    for challenge in (challenges,) if isinstance(challenges, str) else challenges:
        response.headers.add("WWW-Authenticate", challenge)
    return response


def forbidden(message: str | None = None) -> Response:
    """Return a 403 Forbidden response."""
    return _error_response(403, message)


def not_found(message: str | None = None) -> Response:
    """Return a 404 Not Found response."""
    return _error_response(404, message)


def method_not_allowed(allowed: str | Iterable[str], message: str | None = None) -> Response:
    """Return a 405 Method Not Allowed response whose ``Allow`` lists ``allowed``.

    The methods are sorted and each listed once; a single ``str`` is one method.
    """
    methods = {allowed} if isinstance(allowed, str) else set(allowed)
    return _error_response(405, message, [("Allow", ", ".join(sorted(methods)))])


def internal_error() -> Response:
    """Return a 500 Internal Server Error response that tells the client nothing more."""
    return _error_response(500, None)
