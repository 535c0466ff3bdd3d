"""Gzip compression as a response transform (Wheezy's ``gzip_transform``).

Compressing in the application is worth it when the answer is then cached: it is compressed once,
and every hit is served compressed. Use it with ``shallot.routing``'s own ``response_transforms``
decorator, under ``response_cache`` so the cache stores what the transform made::

    from shallot.routing import response_transforms

    @app.route("/report")
    @response_cache(report_profile)
    @response_transforms(gzip_transform(compress_level=6, min_length=1024, vary=True))
    def report(request):
        return Response(render_report(), content_type="text/html; charset=utf-8")

An answer is compressed when it is a ``200`` without a ``Content-Encoding``, its type is textual
(``text/*``, JSON, XML, JavaScript, and ``+json``/``+xml`` types), it is at least ``min_length``
bytes long (a stream only when its ``Content-Length`` is unknown or long enough), and the
request's ``Accept-Encoding`` takes ``gzip`` (a ``q=0`` refuses it). A compressed answer gets
``Content-Encoding: gzip``, ``Accept-Encoding`` in its ``Vary``, the ``Content-Length`` of the
compressed body, and a strong ``ETag`` suffixed with ``-gzip`` (a weak one is left as it is: both
encodings are the same content). ``vary=True`` also lists ``Accept-Encoding`` in the ``Vary`` of
answers it could have compressed but the client does not take gzip, so shared caches keep the two
apart; Wheezy's ``vary`` only touched public cache policies.

A streamed answer is compressed as a stream: each chunk is compressed and flushed as it comes,
so the client can decode every chunk as soon as it arrives, and nothing is held whole.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from typing import TYPE_CHECKING

from shallot.caching.policy import merge_vary
from shallot.http import (
    BaseResponse,
    ETag,
    GeneratorResponse,
    Headers,
    Response,
    close_iterable,
    parse_etag,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.http import Request

__all__ = ["accepts_gzip", "compressible", "gzip_transform"]

_GZIP_WBITS = 16 + zlib.MAX_WBITS
_TEXTUAL_ENDINGS = ("/json", "+json", "/xml", "+xml", "/javascript", "/ecmascript")


@lru_cache(maxsize=256)
def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` value takes gzip: ``gzip`` (or ``x-gzip``), else ``*``,
    listed with a quality above 0. An empty value takes nothing but identity."""
    explicit: float | None = None
    wildcard: float | None = None
    for item in accept_encoding.split(","):
        coding, _, parameters = item.partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        if coding in ("gzip", "x-gzip"):
            explicit = quality if explicit is None else max(explicit, quality)
        elif coding == "*":
            wildcard = quality
    chosen = explicit if explicit is not None else wildcard
    return chosen is not None and chosen > 0


def compressible(content_type: str | None) -> bool:
    """Whether a body of ``content_type`` is text worth compressing (see the module)."""
    if not content_type:
        return False
    mimetype = content_type.partition(";")[0].strip().lower()
    return mimetype.startswith("text/") or mimetype.endswith(_TEXTUAL_ENDINGS)


def _compressed_fields(headers: Headers) -> Headers:
    """``headers`` for the gzip form of the same answer."""
    fields = headers.copy()
    fields.pop("Content-Length", None)
    fields["Content-Encoding"] = "gzip"
    fields["Vary"] = merge_vary(fields.get("Vary"), "Accept-Encoding")
    value = fields.get("ETag")
    if value is not None:
        tag = parse_etag(value)
        if tag is not None and not tag.weak:
            fields["ETag"] = str(ETag(f"{tag.value}-gzip"))
    return fields


class _GzipStream:
    """The gzip form of ``body``, produced chunk by chunk (each one flushed), closing ``body``."""

    __slots__ = ("_body", "_level")

    def __init__(self, body: Iterable[bytes], level: int) -> None:
        self._body = body
        self._level = level

    def __iter__(self) -> Iterator[bytes]:
        compressor = zlib.compressobj(self._level, zlib.DEFLATED, _GZIP_WBITS)
        for chunk in self._body:
            if chunk:
                yield compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
        yield compressor.flush()

    def close(self) -> None:
        close_iterable(self._body)


class _Replayed(BaseResponse):
    """An answer already produced by calling a response: sent as it came."""

    __slots__ = ("_body", "_head")

    def __init__(
        self, status: str, headers: list[tuple[str, str]], body: Iterable[bytes], head: bool
    ) -> None:
        super().__init__(None, headers, int(status[:3]))
        self._body = body
        self._head = head

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response(self.status, self.headers.items())
        if self._head:
            close_iterable(self._body)
            return []
        return self._body


def gzip_transform(
    compress_level: int = 6, min_length: int = 1024, vary: bool = False
) -> Callable[[Request, BaseResponse], BaseResponse]:
    """A ``transform(request, response) -> response`` compressing answers with gzip.

    ``compress_level`` is zlib's, 1 (fastest) to 9 (smallest); ``min_length`` the size in bytes
    below which answers are left alone; ``vary`` see the module documentation. :class:`ValueError`
    for a level or length out of range.
    """
    if type(compress_level) is not int or not 1 <= compress_level <= 9:
        raise ValueError(f"compress_level must be an int from 1 to 9, not {compress_level!r}")
    if type(min_length) is not int or min_length < 0:
        raise ValueError(f"min_length must be an int of 0 or more, not {min_length!r}")

    def gzip(request: Request, response: BaseResponse) -> BaseResponse:
        if response.status_code != 200 or not compressible(response.content_type):
            return response
        headers = response.headers
        if "Content-Encoding" in headers:
            return response
        if isinstance(response, Response):
            if response.content_length < min_length:
                return response
        else:
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) < min_length:
                return response
        environ = request.environ
        if not accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")):
            if vary:
                headers["Vary"] = merge_vary(headers.get("Vary"), "Accept-Encoding")
            return response
        if isinstance(response, Response):
            compressor = zlib.compressobj(compress_level, zlib.DEFLATED, _GZIP_WBITS)
            data = compressor.compress(response.data) + compressor.flush()
            compressed = Response(data, None, _compressed_fields(headers))
            if "Accept-Ranges" in headers:
                compressed.make_partial()
            return compressed
        return _compress_stream(response, environ, compress_level)

    return gzip


def _compress_stream(response: BaseResponse, environ: WSGIEnvironment, level: int) -> BaseResponse:
    """Call ``response`` and compress its body as a stream (or replay a non-200 answer)."""
    captured: list[tuple[str, list[tuple[str, str]]]] = []

    def capture(
        status: str, headers: list[tuple[str, str]], exc_info: object = None, /
    ) -> Callable[[bytes], object]:
        captured.append((status, headers))
        return _refuse_write

    head = environ.get("REQUEST_METHOD") == "HEAD"
    body = response(dict(environ, REQUEST_METHOD="GET") if head else environ, capture)
    if not captured:
        close_iterable(body)
        raise RuntimeError(f"{response!r} returned a body without calling start_response")
    status, fields = captured[-1]
    if status[:4] != "200 ":
        return _Replayed(status, fields, body, head)
    stream = _GzipStream(body, level)
    return GeneratorResponse(stream, None, _compressed_fields(Headers(fields)))


def _refuse_write(data: bytes) -> object:
    raise RuntimeError("write() is not supported for responses passed through gzip_transform")
