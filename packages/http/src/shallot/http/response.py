"""Responses held in memory, and the base every shallot response builds on.

:class:`BaseResponse` carries what all responses share: a validated status code, the
:class:`~shallot.http.headers.Headers`, the content type and cookies. :class:`Response` holds its
body in memory and is the one most handlers return, so its WSGI call is kept as short as possible.
:class:`NoContentResponse` and :class:`NotModifiedResponse` are the two answers that never carry a
body.
"""

from __future__ import annotations

import codecs
from abc import ABC, abstractmethod
from functools import lru_cache
from typing import TYPE_CHECKING

from .cookies import HTTPCookie
from .headers import Headers, _check_value
from .status import _STATUS_LINES, status_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .ranges import RangeRequest
    from .types import HeadersInit

__all__ = [
    "CHECKED_CONTENT_TYPES",
    "DEFAULT_CONTENT_TYPE",
    "BaseResponse",
    "NoContentResponse",
    "NotModifiedResponse",
    "Response",
]

DEFAULT_CONTENT_TYPE = "text/html; charset=utf-8"
"""The content type of a response given none: a ``str`` answer is taken for HTML, as browsers
and PoorWSGI do."""

_CONTENT_FIELDS = frozenset(("content-type", "content-length"))
_NOT_MODIFIED_FIELDS = frozenset(
    (
        "cache-control",
        "content-location",
        "date",
        "etag",
        "expires",
        "last-modified",
        "set-cookie",
        "vary",
    )
)


@lru_cache(maxsize=64)
def _charset_of(content_type: str | None) -> str:
    """Return the ``charset`` parameter of ``content_type``, or ``"utf-8"`` when it has none.

    Raises :class:`ValueError` when the charset is one Python has no codec for.
    """
    if content_type:
        for parameter in content_type.split(";")[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "charset":
                name = value.strip().strip('"')
                try:
                    codecs.lookup(name)
                except LookupError:
                    raise ValueError(f"unknown charset {name!r} in {content_type!r}") from None
                return name
    return "utf-8"


_OK_STATUS = _STATUS_LINES[200]
_checked_content_types: dict[str | None, str | None] = {DEFAULT_CONTENT_TYPE: "utf-8"}
"""Content types checked as header values, with the charset ``str`` bodies are encoded with
(``None`` when Python knows no such codec): the few an app uses are checked once."""
CHECKED_CONTENT_TYPES: Mapping[str | None, str | None] = _checked_content_types
"""The content types responses have checked as header values, read-only, each with the charset
its ``str`` bodies are encoded with (``None`` when Python knows no such codec). Code that answers
without building a :class:`Response` (an App sending a handler's text) may send a type found here
as it is; a type not found here must go through a :class:`Response` once."""
_MAX_CHECKED_CONTENT_TYPES = 64


def _checked_content_type(value: str) -> str:
    """``value``, checked as a header value (and remembered, see above)."""
    if type(value) is str and value in _checked_content_types:
        return value
    _check_value("Content-Type", value)
    if len(_checked_content_types) < _MAX_CHECKED_CONTENT_TYPES:
        try:
            _checked_content_types[value] = _charset_of(value)
        except ValueError:
            _checked_content_types[value] = None
    return value


def _encode(data: str | bytes, content_type: str | None) -> bytes:
    if isinstance(data, str):
        if content_type is DEFAULT_CONTENT_TYPE:
            return data.encode()
        return data.encode(_charset_of(content_type))
    if isinstance(data, bytes):
        return bytes(data)
    raise TypeError(f"response data must be str or bytes, not {type(data).__name__}")


def _without_content_fields(headers: Headers) -> list[tuple[str, str]]:
    """Return the pairs of ``headers`` without ``Content-Type`` and ``Content-Length``."""
    return [item for item in headers if item[0].lower() not in _CONTENT_FIELDS]


def _with_content_length(headers: Headers, length: int) -> list[tuple[str, str]]:
    """Return the pairs of ``headers`` with ``Content-Length`` set to ``length`` (only once).

    The result is remembered in ``headers`` until they change, so a response sent again (the
    App's prebuilt 404, say) gets a copy instead of a rebuild.
    """
    sent = headers._sent
    if sent is not None and sent[0] == length:
        return sent[1].copy()
    pairs = headers._list.copy()
    for name, _ in pairs:
        if len(name) == 14 and name.lower() == "content-length":
            pairs = [item for item in pairs if item[0].lower() != "content-length"]
            break
    pairs.append(("Content-Length", str(length)))
    headers._sent = (length, pairs.copy())
    return pairs


class BaseResponse(ABC):
    """What every response has: a status code, headers, a content type and cookies.

    A response is a WSGI application: calling it with ``(environ, start_response)`` answers the
    request. ``status_code`` only ever holds an ``int`` in 100-599 (an :class:`int` subclass such
    as :class:`http.HTTPStatus` is stored as its plain value); setting anything else, ``bool``
    included, raises :class:`ValueError`. ``content_type`` is the ``Content-Type`` field of
    :attr:`headers`, so the two never disagree. Answers with status 1xx, 204 or 304 never carry
    a body, ``Content-Type`` or ``Content-Length``, and answers to ``HEAD`` carry the headers
    only.
    """

    # Most responses never have their headers touched: until they are, ``_headers`` stays None
    # and the content type alone is kept in ``_type``, which saves building a Headers object.
    __slots__ = ("_headers", "_status", "_status_code", "_type")

    _headers: Headers | None
    _type: str | None

    def __init__(
        self,
        content_type: str | None = None,
        headers: HeadersInit | None = None,
        status_code: int = 200,
    ) -> None:
        """Build the shared part; a ``Content-Type`` in ``headers`` wins over ``content_type``."""
        self._type = None
        if headers is not None:
            self._headers = Headers(headers)
            if content_type is not None and "Content-Type" not in self._headers:
                self._headers.add("Content-Type", content_type)
        else:
            self._headers = None
            if content_type is not None:
                self._type = _checked_content_type(content_type)
        status = _STATUS_LINES.get(status_code) if type(status_code) is int else None
        if status is None:
            self.status_code = status_code
        else:
            self._status = status
            self._status_code = status_code

    @property
    def headers(self) -> Headers:
        """The response's header fields (``Content-Length`` is computed when it is sent)."""
        headers = self._headers
        if headers is None:
            headers = self._headers = Headers()
            if self._type is not None:
                headers._list.append(("Content-Type", self._type))
        return headers

    @headers.setter
    def headers(self, value: Headers) -> None:
        self._headers = value

    @property
    def status_code(self) -> int:
        """The HTTP status code, an ``int`` in 100-599."""
        return self._status_code

    @status_code.setter
    def status_code(self, value: int) -> None:
        if type(value) is not int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"not an HTTP status code: {value!r}")
            value = int(value)
        if not 100 <= value <= 599:
            raise ValueError(f"not an HTTP status code: {value!r}")
        self._status = status_line(value)
        self._status_code = value

    @property
    def status(self) -> str:
        """The status line WSGI sends, e.g. ``"200 OK"``."""
        return self._status

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header; assigning ``None`` removes it."""
        headers = self._headers
        return self._type if headers is None else headers.get("Content-Type")

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        if value is None:
            self.headers.pop("Content-Type", None)
        else:
            self.headers["Content-Type"] = value

    @property
    def charset(self) -> str:
        """The charset named by the content type, ``"utf-8"`` when it names none.

        Raises :class:`ValueError` when the content type names a charset Python does not know.
        """
        return _charset_of(self.content_type)

    def set_cookie(self, cookie: HTTPCookie) -> None:
        """Add a ``Set-Cookie`` field for ``cookie``; earlier cookies are kept."""
        self.headers.add("Set-Cookie", cookie.render())

    def delete_cookie(
        self, name: str, path: str | None = "/", domain: str | None = None, *, secure: bool = False
    ) -> None:
        """Add a ``Set-Cookie`` field that makes the client drop cookie ``name``.

        ``path`` and ``domain`` must be those the cookie was set with, or the client keeps it;
        see :meth:`~shallot.http.cookies.HTTPCookie.delete`.
        """
        self.set_cookie(HTTPCookie.delete(name, path=path, domain=domain, secure=secure))

    @abstractmethod
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request as a WSGI application."""


class Response(BaseResponse):
    """A response whose body is held in memory.

    ``data`` may be ``bytes`` or ``str``; a ``str`` (also one given to :meth:`write`) is encoded
    with the charset of the content type, UTF-8 when it names none, and :class:`ValueError` is
    raised when it cannot be. A ``Content-Type`` in ``headers`` wins over ``content_type``, and
    ``content_type=None`` sends none. ``Content-Length`` is computed when the response is sent,
    replacing any set by hand. The response can be sent any number of times.
    """

    __slots__ = ("_chunks", "_length", "_partial", "_ranges")

    def __init__(
        self,
        data: str | bytes = b"",
        content_type: str | None = DEFAULT_CONTENT_TYPE,
        headers: HeadersInit | None = None,
        status_code: int = 200,
    ) -> None:
        """Build a response with body ``data``; see the class documentation for the rest."""
        if headers is None and status_code == 200 and type(status_code) is int:
            # The common case, inlined: this constructor runs for nearly every request.
            self._headers = None
            if content_type is not None and (
                type(content_type) is not str or content_type not in _checked_content_types
            ):
                _checked_content_type(content_type)
            self._type = content_type
            self._status = _OK_STATUS
            self._status_code = 200
        else:
            BaseResponse.__init__(self, content_type, headers, status_code)
            if headers is not None:
                content_type = self.content_type
        if type(data) is str:
            charset = _checked_content_types.get(content_type)
            data = _encode(data, content_type) if charset is None else data.encode(charset)
        elif type(data) is not bytes:
            data = _encode(data, content_type)
        self._chunks = [data]
        self._length = len(data)
        self._partial = False
        self._ranges: RangeRequest | None = None

    @property
    def data(self) -> bytes:
        """The whole body."""
        chunks = self._chunks
        if len(chunks) > 1:
            chunks[:] = [b"".join(chunks)]
        return chunks[0]

    @property
    def content_length(self) -> int:
        """The length of the whole body in bytes."""
        return self._length

    def write(self, data: str | bytes) -> None:
        """Append ``data`` to the body."""
        if type(data) is not bytes:
            data = _encode(data, self.content_type)
        self._chunks.append(data)
        self._length += len(data)

    def make_partial(self, ranges: RangeRequest | None = None) -> None:
        """Answer range requests with parts of the body from now on.

        When the response is sent with status 200, a ``GET`` request's ``Range`` header (or the
        ``ranges`` given here, for any request) selects what is sent: one range gives a 206 with
        ``Content-Range``, several a 206 ``multipart/byteranges`` body, none satisfiable a 416
        with ``Content-Range: bytes */length``. A ``Range`` header that cannot be parsed is
        ignored, as is one whose ``If-Range`` does not match this response's ``ETag`` or
        ``Last-Modified`` header: the whole body is sent. Adds ``Accept-Ranges: bytes``.
        """
        self._partial = True
        self._ranges = ranges
        self.headers["Accept-Ranges"] = "bytes"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request with this response (see the class documentation)."""
        if self._status_code != 200 or self._partial:
            status = self._status_code
            if self._partial or status < 200 or status == 204 or status == 304:
                return self._call_special(environ, start_response)
        headers = self._headers
        if headers is not None:
            pairs = _with_content_length(headers, self._length)
        elif self._type is None:
            pairs = [("Content-Length", str(self._length))]
        else:
            pairs = [("Content-Type", self._type), ("Content-Length", str(self._length))]
        start_response(self._status, pairs)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return []
        chunks = self._chunks
        return [chunks[0] if len(chunks) == 1 else b"".join(chunks)]

    def _call_special(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        status = self._status_code
        if status < 200 or status == 204 or status == 304:
            start_response(self._status, _without_content_fields(self.headers))
            return []
        if status == 200:
            from .partial import _answer_in_memory  # partial.py builds on this module

            return _answer_in_memory(environ, start_response, self.headers, self.data, self._ranges)
        start_response(self._status, _with_content_length(self.headers, self._length))
        if environ.get("REQUEST_METHOD") == "HEAD":
            return []
        return [self.data]


class NoContentResponse(BaseResponse):
    """A 204 No Content answer: headers only, never a body or ``Content-Type``."""

    __slots__ = ()

    def __init__(self, headers: HeadersInit | None = None) -> None:
        """Build a 204 answer carrying ``headers``."""
        super().__init__(None, headers, 204)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Send the status and headers, without any content fields."""
        start_response(self._status, _without_content_fields(self.headers))
        return []


class NotModifiedResponse(BaseResponse):
    """A 304 Not Modified answer.

    Only the fields RFC 9110 section 15.4.5 lists for a 304 are sent (``Cache-Control``,
    ``Content-Location``, ``Date``, ``ETag``, ``Expires``, ``Last-Modified``, ``Vary``), plus
    ``Set-Cookie``, which is not representation metadata (a session refreshed on a 304 must not be
    lost); others in :attr:`headers` are dropped when the response is sent, so the headers of the
    full response can be passed as they are.
    """

    __slots__ = ()

    def __init__(self, headers: HeadersInit | None = None) -> None:
        """Build a 304 answer from ``headers`` (those a 304 may not carry are left out)."""
        super().__init__(None, headers, 304)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Send the status and the fields a 304 may carry."""
        start_response(
            self._status, [item for item in self.headers if item[0].lower() in _NOT_MODIFIED_FIELDS]
        )
        return []
