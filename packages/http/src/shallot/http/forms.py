"""Form bodies: ``application/x-www-form-urlencoded`` and streamed ``multipart/form-data``.

Both parsers enforce a :class:`~shallot.http.limits.RequestLimits` and answer bad input with an
:class:`~shallot.http.exceptions.HTTPException`: ``400 Bad Request`` for a malformed or truncated
body, ``413 Content Too Large`` for a body breaking a limit. A multipart body is read in
:data:`CHUNK_SIZE` pieces through python-multipart's low-level callback parser; file parts go
straight to a :class:`~shallot.http.uploads.FileFactory`'s file, so memory use does not grow with
the size of an upload. When parsing fails, every file it created is closed.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from shallot.http.exceptions import HTTPException
from shallot.http.fields import Fields, parse_query
from shallot.http.limits import DEFAULT_LIMITS, RequestLimits
from shallot.http.status import BAD_REQUEST, CONTENT_TOO_LARGE
from shallot.http.uploads import (
    FileFactory,
    Files,
    FileUpload,
    default_file_factory,
    sanitize_filename,
)

__all__ = ["CHUNK_SIZE", "MAX_BOUNDARY_LENGTH", "Readable", "parse_multipart", "parse_urlencoded"]

CHUNK_SIZE = 64 * 1024
"""How many bytes of a multipart body are read and parsed at a time."""

MAX_BOUNDARY_LENGTH = 256
"""The longest multipart boundary accepted (RFC 2046 allows 70; clients stay well below this)."""

_HEADER_LINE_OVERHEAD = 4
_DEFAULT_FILE_TYPE = "application/octet-stream"


class Readable(Protocol):
    """What a body is read from: ``wsgi.input``, a bounded request stream, a binary file."""

    def read(self, size: int, /) -> bytes:
        """Up to ``size`` bytes; ``b""`` at the end of the body."""
        ...


def parse_urlencoded(body: bytes, *, limits: RequestLimits = DEFAULT_LIMITS) -> Fields:
    """Parse an ``application/x-www-form-urlencoded`` body (already read, so already bounded).

    Decoding follows :func:`~shallot.http.fields.parse_query` (UTF-8, never raising); more than
    ``limits.max_form_fields`` pairs or a value over ``limits.max_field_size`` bytes as sent gives
    413.
    """
    return parse_query(
        body.decode("latin-1"),
        max_fields=limits.max_form_fields,
        max_field_size=limits.max_field_size,
    )


def parse_multipart(
    stream: Readable,
    boundary: str | bytes | None,
    content_length: int | None,
    *,
    limits: RequestLimits = DEFAULT_LIMITS,
    file_factory: FileFactory | None = None,
) -> tuple[Fields, Files]:
    """Parse a ``multipart/form-data`` body streamed from ``stream`` into its fields and files.

    At most ``content_length`` bytes are read; ``None`` means the stream ends where the body ends
    (a chunked request). Parts with a ``filename`` parameter become :class:`FileUpload` s written
    through ``file_factory`` (a temporary file by default); other parts become fields, decoded as
    UTF-8 (undecodable bytes become U+FFFD), and literal commas in them count for compact lists.
    An empty body (``content_length == 0``) is an empty form.

    Raises :class:`~shallot.http.exceptions.HTTPException`:

    - 400 when the boundary is missing or invalid, the body is malformed, a part lacks a
      ``Content-Disposition: form-data`` with a ``name``, or the body ends before its final
      boundary ("truncated multipart body": fewer bytes than ``content_length`` arrived, or the
      closing delimiter is missing);
    - 413 when the body is larger than ``limits.max_upload_size`` (refused before reading when
      ``content_length`` says so), or there are more than ``limits.max_form_parts`` parts, more
      than ``limits.max_form_fields`` fields, a field over ``limits.max_field_size`` bytes, or a
      part's header block over ``limits.max_header_size`` bytes.
    """
    boundary = _checked_boundary(boundary)
    max_size = limits.max_upload_size
    if content_length is not None and max_size is not None and content_length > max_size:
        raise HTTPException(CONTENT_TOO_LARGE, f"body too large (limit {max_size} bytes)")
    if content_length == 0:
        return Fields(), Files()
    builder = _FormBuilder(limits, file_factory or default_file_factory)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": builder.on_part_begin,
            "on_header_begin": builder.on_header_begin,
            "on_header_field": builder.on_header_field,
            "on_header_value": builder.on_header_value,
            "on_header_end": builder.on_header_end,
            "on_headers_finished": builder.on_headers_finished,
            "on_part_data": builder.on_part_data,
            "on_part_end": builder.on_part_end,
        },
        max_header_count=limits.max_header_size // _HEADER_LINE_OVERHEAD + 1,
        max_header_size=limits.max_header_size + CHUNK_SIZE + 1,
    )
    try:
        _feed(parser, stream, content_length, max_size)
    except BaseException:
        builder.close()
        raise
    return Fields(builder.fields, literal_commas=True), Files(builder.uploads)


def _checked_boundary(boundary: str | bytes | None) -> bytes:
    if not boundary:
        raise HTTPException(BAD_REQUEST, "multipart body without a boundary")
    if isinstance(boundary, str):
        try:
            boundary = boundary.encode("latin-1")
        except UnicodeEncodeError:
            raise HTTPException(BAD_REQUEST, "invalid multipart boundary") from None
    if len(boundary) > MAX_BOUNDARY_LENGTH:
        raise HTTPException(BAD_REQUEST, "invalid multipart boundary")
    return boundary


def _feed(
    parser: MultipartParser, stream: Readable, content_length: int | None, max_size: int | None
) -> None:
    remaining = content_length
    total = 0
    while remaining is None or remaining > 0:
        chunk = stream.read(CHUNK_SIZE if remaining is None else min(CHUNK_SIZE, remaining))
        if not chunk:
            break
        if remaining is None:
            total += len(chunk)
            if max_size is not None and total > max_size:
                raise HTTPException(CONTENT_TOO_LARGE, f"body too large (limit {max_size} bytes)")
        else:
            remaining -= len(chunk)
        try:
            parser.write(chunk)
        except FormParserError:
            raise HTTPException(BAD_REQUEST, "malformed multipart body") from None
    if parser.state != MultipartState.END:
        raise HTTPException(BAD_REQUEST, "truncated multipart body")


class _FormBuilder:
    """Receives the parser's callbacks and builds fields and uploads within the limits."""

    __slots__ = (
        "_content_type",
        "_factory",
        "_field_data",
        "_file",
        "_file_size",
        "_filename",
        "_header_name",
        "_header_size",
        "_header_value",
        "_headers",
        "_limits",
        "_name",
        "_opened",
        "_part_headers",
        "_parts",
        "fields",
        "uploads",
    )

    def __init__(self, limits: RequestLimits, factory: FileFactory) -> None:
        self._limits = limits
        self._factory = factory
        self._parts = 0
        self._headers: list[tuple[str, bytes]] = []
        self._header_size = 0
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._name = ""
        self._filename = ""
        self._content_type = ""
        self._part_headers: dict[str, str] = {}
        self._field_data = bytearray()
        self._file: BinaryIO | None = None
        self._file_size = 0
        self._opened: list[BinaryIO] = []
        self.fields: list[tuple[str, str]] = []
        self.uploads: list[FileUpload] = []

    def on_part_begin(self) -> None:
        self._parts += 1
        max_parts = self._limits.max_form_parts
        if max_parts is not None and self._parts > max_parts:
            raise HTTPException(CONTENT_TOO_LARGE, f"too many multipart parts (limit {max_parts})")
        self._headers = []
        self._header_size = 0

    def _count_header_bytes(self, amount: int) -> None:
        self._header_size += amount
        if self._header_size > self._limits.max_header_size:
            raise HTTPException(
                CONTENT_TOO_LARGE,
                f"multipart part headers too large (limit {self._limits.max_header_size} bytes)",
            )

    def on_header_begin(self) -> None:
        self._count_header_bytes(_HEADER_LINE_OVERHEAD)
        self._header_name = bytearray()
        self._header_value = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header_bytes(end - start)
        self._header_name += memoryview(data)[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header_bytes(end - start)
        self._header_value += memoryview(data)[start:end]

    def on_header_end(self) -> None:
        name = self._header_name.decode("latin-1").lower()
        self._headers.append((name, bytes(self._header_value)))

    def on_headers_finished(self) -> None:
        headers = dict(self._headers)
        disposition, raw_params = parse_options_header(headers.get("content-disposition", b""))
        params = {key.lower(): value for key, value in raw_params.items()}
        name = params.get(b"name")
        if disposition.strip().lower() != b"form-data" or name is None:
            raise HTTPException(BAD_REQUEST, "multipart part without a form-data name")
        self._name = name.decode("utf-8", "replace")
        self._field_data = bytearray()
        filename = params.get(b"filename")
        if filename is None:
            max_fields = self._limits.max_form_fields
            if max_fields is not None and len(self.fields) >= max_fields:
                raise HTTPException(CONTENT_TOO_LARGE, f"too many fields (limit {max_fields})")
            return
        self._part_headers = {
            name: value.decode("utf-8", "replace") for name, value in headers.items()
        }
        content_type = self._part_headers.get("content-type", "").strip()
        self._content_type = content_type or _DEFAULT_FILE_TYPE
        self._filename = sanitize_filename(filename.decode("utf-8", "replace"))
        self._file = self._factory(self._name, self._filename, self._content_type)
        self._opened.append(self._file)
        self._file_size = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self._file.write(memoryview(data)[start:end])
            self._file_size += end - start
            return
        self._field_data += memoryview(data)[start:end]
        max_size = self._limits.max_field_size
        if max_size is not None and len(self._field_data) > max_size:
            raise HTTPException(
                CONTENT_TOO_LARGE, f"field {self._name!r} too large (limit {max_size} bytes)"
            )

    def on_part_end(self) -> None:
        file = self._file
        if file is None:
            self.fields.append((self._name, self._field_data.decode("utf-8", "replace")))
            return
        file.seek(0)
        self.uploads.append(
            FileUpload(
                self._name,
                self._filename,
                self._content_type,
                self._part_headers,
                file,
                self._file_size,
            )
        )
        self._file = None

    def close(self) -> None:
        for file in self._opened:
            file.close()
