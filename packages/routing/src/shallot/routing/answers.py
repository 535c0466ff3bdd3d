"""What the App answers a request with inside: a response, or an answer prepared for sending.

A :data:`PreparedAnswer` is what a response would hand the server: the status line, the header
fields (a list the receiver may keep and change) and the whole body. Routing prepares one for a
handler's text and for the prebuilt 404 and 405, and :meth:`App.__call__
<shallot.routing.App.__call__>` sends it as it is when no middleware or after hook would be given
a response: building and sending a :class:`~shallot.http.Response` per request cost more than
routing it. Middleware and after hooks get a response made from it (:func:`as_response`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.http import BaseResponse, Response

if TYPE_CHECKING:
    from collections.abc import Callable

    from _typeshed import OptExcInfo

__all__ = ["Answer", "PreparedAnswer", "as_response", "prepare"]

PreparedAnswer = tuple[str, list[tuple[str, str]], bytes]
"""The status line, the header fields (``Content-Length`` among them) and the body."""

Answer = BaseResponse | PreparedAnswer
"""What routing answers a request with."""


def as_response(answer: Answer) -> BaseResponse:
    """``answer`` as a response: a prepared one made a :class:`~shallot.http.Response` that
    sends the same status, fields and body."""
    if isinstance(answer, tuple):
        status, headers, body = answer
        return Response(body, None, headers, int(status[:3]))
    return answer


def prepare(response: BaseResponse) -> PreparedAnswer:
    """What ``response`` sends to a ``GET`` request, kept to be sent again (each time with a
    copy of its fields: a server may change the list it is given)."""
    sent: list[tuple[str, list[tuple[str, str]]]] = []

    def capture(
        status: str, headers: list[tuple[str, str]], _: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        sent.append((status, headers))
        return _refuse_write

    body = b"".join(response({"REQUEST_METHOD": "GET"}, capture))
    ((status, headers),) = sent
    return status, list(headers), body


def _refuse_write(data: bytes, /) -> object:
    raise TypeError("a prepared answer is the body a response returns, not what it writes")
