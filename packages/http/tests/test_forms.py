"""Tests for shallot.http.forms: urlencoded and streamed multipart bodies, limits and failures."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, BinaryIO

import pytest

from shallot.http.exceptions import HTTPException
from shallot.http.forms import CHUNK_SIZE, parse_multipart, parse_urlencoded
from shallot.http.limits import RequestLimits

if TYPE_CHECKING:
    from pathlib import Path

    from shallot.http.fields import Fields
    from shallot.http.uploads import Files

BOUNDARY = "----shallotBoundary7MA4YWxkTrZu0gW"


def part(
    name: str | None,
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    headers: list[str] | None = None,
) -> bytes:
    """One multipart part (without its delimiter line)."""
    lines = list(headers or [])
    if name is not None:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        lines.insert(0, f"Content-Disposition: {disposition}")
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    return "".join(line + "\r\n" for line in lines).encode() + b"\r\n" + data


def body(*parts: bytes, boundary: str = BOUNDARY, close: bool = True) -> bytes:
    """A multipart body made of ``parts``, with its closing delimiter unless ``close`` is false."""
    delimiter = f"--{boundary}".encode()
    out = b"".join(delimiter + b"\r\n" + p + b"\r\n" for p in parts)
    return out + delimiter + b"--\r\n" if close else out


class Trickle:
    """A stream handing out at most ``step`` bytes per read, counting what was read."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._step = step
        self.consumed = 0

    def read(self, size: int, /) -> bytes:
        chunk = self._data.read(min(size, self._step))
        self.consumed += len(chunk)
        return chunk


class Untouchable:
    """A stream that fails the test when read."""

    def read(self, size: int, /) -> bytes:
        raise AssertionError("the body must not be read")


class TrackingFactory:
    """A file factory keeping every file it made, so tests can check they were closed."""

    def __init__(self) -> None:
        self.made: list[tuple[str, str, str]] = []
        self.files: list[io.BytesIO] = []

    def __call__(self, field_name: str, filename: str, content_type: str, /) -> BinaryIO:
        self.made.append((field_name, filename, content_type))
        file = io.BytesIO()
        self.files.append(file)
        return file


def parse(
    data: bytes,
    *,
    length: int | None = -1,
    limits: RequestLimits | None = None,
    factory: TrackingFactory | None = None,
    boundary: str | bytes | None = BOUNDARY,
) -> tuple[Fields, Files]:
    return parse_multipart(
        io.BytesIO(data),
        boundary,
        len(data) if length == -1 else length,
        limits=limits or RequestLimits(),
        file_factory=factory or TrackingFactory(),
    )


def error_of(data: bytes, **options: object) -> HTTPException:
    with pytest.raises(HTTPException) as caught:
        parse(data, **options)  # type: ignore[arg-type]  # options as parse() takes them
    return caught.value


def test_urlencoded() -> None:
    fields = parse_urlencoded(b"name=%C5%BEluva&tags=a,b&tags=c&empty=")
    assert fields.items() == [("name", "žluva"), ("tags", "a,b"), ("tags", "c"), ("empty", "")]
    assert fields.getlist("tags", compact=True) == ["a", "b", "c"]


def test_urlencoded_raw_utf8_and_garbage() -> None:
    assert parse_urlencoded(b"x=" + "žluť".encode() + b"\xff").items() == [("x", "žluť\ufffd")]


def test_urlencoded_limits() -> None:
    with pytest.raises(HTTPException) as caught:
        parse_urlencoded(b"a=1&b=2&c=3", limits=RequestLimits(max_form_fields=2))
    assert caught.value.status_code == 413
    with pytest.raises(HTTPException) as caught:
        parse_urlencoded(b"a=" + b"x" * 11, limits=RequestLimits(max_field_size=10))
    assert caught.value.status_code == 413


def test_fields_and_files() -> None:
    data = body(
        part("title", "Žluťoučký kůň".encode()),
        part(
            "doc", b"%PDF-1.4 binary\x00\xff", filename="report.pdf", content_type="application/pdf"
        ),
        part("tags", b"a,b"),
        part("tags", b"c"),
    )
    fields, files = parse(data)
    assert fields.items() == [("title", "Žluťoučký kůň"), ("tags", "a,b"), ("tags", "c")]
    assert fields.getlist("tags", compact=True) == ["a", "b", "c"]
    upload = files["doc"]
    assert upload.name == "doc"
    assert upload.filename == "report.pdf"
    assert upload.content_type == "application/pdf"
    assert upload.size == len(b"%PDF-1.4 binary\x00\xff")
    assert upload.file.tell() == 0
    assert upload.file.read() == b"%PDF-1.4 binary\x00\xff"
    assert upload.headers["content-type"] == "application/pdf"
    assert upload.headers["content-disposition"].startswith("form-data")
    files.close()


def test_default_factory_writes_to_a_real_file() -> None:
    _, files = parse_multipart(
        io.BytesIO(body(part("f", b"data", filename="a.bin"))), BOUNDARY, None
    )
    upload = files["f"]
    assert not isinstance(upload.file, io.BytesIO)
    assert upload.file.read() == b"data"
    upload.close()


def test_custom_factory_receives_name_filename_and_type(tmp_path: Path) -> None:
    def to_folder(field_name: str, filename: str, content_type: str, /) -> BinaryIO:
        return (tmp_path / f"{field_name}-{filename}").open("w+b")

    _, files = parse_multipart(
        io.BytesIO(body(part("avatar", b"PNG", filename="../../me.png"))),
        BOUNDARY,
        None,
        file_factory=to_folder,
    )
    files.close()
    assert (tmp_path / "avatar-me.png").read_bytes() == b"PNG"


def test_file_part_defaults() -> None:
    factory = TrackingFactory()
    _, files = parse(
        body(part("f", b"", filename=""), part("g", b"x", filename="C:\\dir\\x.txt")),
        factory=factory,
    )
    assert files["f"].filename == ""
    assert files["f"].size == 0
    assert files["f"].content_type == "application/octet-stream"
    assert files["g"].filename == "x.txt"
    assert factory.made == [
        ("f", "", "application/octet-stream"),
        ("g", "x.txt", "application/octet-stream"),
    ]


def test_several_files_under_one_name() -> None:
    _, files = parse(body(part("f", b"1", filename="a"), part("f", b"2", filename="b")))
    assert [upload.file.read() for upload in files.getlist("f")] == [b"1", b"2"]
    assert [upload.filename for upload in files.getlist("f")] == ["a", "b"]


def test_utf8_names_and_undecodable_values() -> None:
    data = body(
        part("jméno", b"\xff\xfe ok"),
        part("soubor", b"x", filename="čeština.txt"),
    )
    fields, files = parse(data)
    assert fields["jméno"] == "\ufffd\ufffd ok"
    assert files["soubor"].filename == "čeština.txt"


def test_quoted_parameters() -> None:
    data = body(b'Content-Disposition: form-data; name="a;b"; filename="x \\"y\\".txt"\r\n\r\nz')
    _, files = parse(data)
    assert files["a;b"].filename == 'x "y".txt'


def test_empty_field_and_empty_body() -> None:
    fields, files = parse(body(part("empty", b"")))
    assert fields.items() == [("empty", "")]
    assert len(files) == 0
    fields, files = parse_multipart(Untouchable(), BOUNDARY, 0)
    assert (len(fields), len(files)) == (0, 0)


def test_empty_form_with_only_the_closing_delimiter() -> None:
    fields, files = parse(f"--{BOUNDARY}--\r\n".encode())
    assert (len(fields), len(files)) == (0, 0)


def test_preamble_newlines_and_epilogue_are_ignored() -> None:
    fields, _ = parse(b"\r\n" + body(part("a", b"1")) + b"epilogue text")
    assert fields.items() == [("a", "1")]


@pytest.mark.parametrize("step", [1, 7, 64, CHUNK_SIZE])
def test_any_read_size_gives_the_same_result(step: int) -> None:
    big = bytes(range(256)) * 700
    payload = b"\r\n--" + BOUNDARY.encode()[:-1] + b"x\r\n" + big
    data = body(part("a", b"one"), part("f", payload, filename="f.bin"), part("b", b"two"))
    fields, files = parse_multipart(
        Trickle(data, step), BOUNDARY, len(data), file_factory=TrackingFactory()
    )
    assert fields.items() == [("a", "one"), ("b", "two")]
    assert files["f"].file.read() == payload
    assert files["f"].size == len(payload)


def test_chunked_body_without_length() -> None:
    data = body(part("a", b"1"))
    fields, _ = parse(data, length=None)
    assert fields["a"] == "1"


def test_never_reads_past_content_length() -> None:
    data = body(part("a", b"1"))
    stream = Trickle(data + b"NEXT REQUEST", 1000)
    fields, _ = parse_multipart(stream, BOUNDARY, len(data))
    assert fields["a"] == "1"
    assert stream.consumed == len(data)


def test_bytes_boundary() -> None:
    fields, _ = parse(body(part("a", b"1")), boundary=BOUNDARY.encode())
    assert fields["a"] == "1"


@pytest.mark.parametrize("boundary", [None, "", b""])
def test_missing_boundary(boundary: str | bytes | None) -> None:
    error = error_of(body(part("a", b"1")), boundary=boundary)
    assert error.status_code == 400
    assert "boundary" in str(error)


@pytest.mark.parametrize("boundary", ["b" * 257, "žluťoučký"])
def test_invalid_boundary(boundary: str) -> None:
    error = error_of(body(part("a", b"1"), boundary=boundary), boundary=boundary)
    assert error.status_code == 400
    assert "invalid multipart boundary" in str(error)
    with pytest.raises(HTTPException) as caught:
        parse_multipart(Untouchable(), boundary, 0)
    assert caught.value.status_code == 400


def test_longest_boundary() -> None:
    boundary = "b" * 256
    fields, _ = parse(body(part("a", b"1"), boundary=boundary), boundary=boundary)
    assert fields["a"] == "1"


def test_disposition_is_case_insensitive() -> None:
    fields, _ = parse(body(part(None, b"1", headers=['CONTENT-DISPOSITION: Form-Data; NAME="a"'])))
    assert fields["a"] == "1"


def test_wrong_boundary_is_malformed() -> None:
    error = error_of(body(part("a", b"1"), boundary="other"))
    assert error.status_code == 400
    assert "malformed multipart body" in str(error)


@pytest.mark.parametrize(
    "bad",
    [
        b"garbage before the first boundary\r\n" + body(part("a", b"1")),
        f"--{BOUNDARY}\r\nNo colon header\r\n\r\nx\r\n--{BOUNDARY}--".encode(),
        f"--{BOUNDARY}\r\n: empty name\r\n\r\nx\r\n--{BOUNDARY}--".encode(),
        f"--{BOUNDARY}X\r\n".encode(),
    ],
)
def test_malformed_bodies(bad: bytes) -> None:
    error = error_of(bad)
    assert error.status_code == 400
    assert "malformed multipart body" in str(error)


@pytest.mark.parametrize(
    "headers",
    [
        [],
        ["Content-Type: text/plain"],
        ['Content-Disposition: attachment; name="a"'],
        ["Content-Disposition: form-data"],
        ['Content-Disposition: form-data; filename="a.txt"'],
    ],
)
def test_part_without_a_form_data_name(headers: list[str]) -> None:
    error = error_of(body(part(None, b"x", headers=headers)))
    assert error.status_code == 400
    assert "without a form-data name" in str(error)


def test_missing_final_boundary_is_truncated_and_closes_files() -> None:
    factory = TrackingFactory()
    data = body(part("f", b"file data", filename="a.txt"), part("g", b"more", filename="b"))
    error = error_of(data[: -len(f"--{BOUNDARY}--\r\n") - 2], factory=factory)
    assert error.status_code == 400
    assert "truncated multipart body" in str(error)
    assert len(factory.files) == 2
    assert all(file.closed for file in factory.files)


def test_body_shorter_than_content_length_is_truncated() -> None:
    factory = TrackingFactory()
    data = body(part("f", b"file data", filename="a.txt"))
    error = error_of(data[:-30], length=len(data), factory=factory)
    assert "truncated multipart body" in str(error)
    assert factory.files[0].closed


def test_body_cut_inside_the_headers_is_truncated() -> None:
    data = body(part("a", b"1"))
    assert "truncated" in str(error_of(data[:20]))


def test_upload_size_refused_before_reading() -> None:
    with pytest.raises(HTTPException) as caught:
        parse_multipart(Untouchable(), BOUNDARY, 101, limits=RequestLimits(max_upload_size=100))
    assert caught.value.status_code == 413


def test_upload_size_enforced_while_streaming_a_chunked_body() -> None:
    factory = TrackingFactory()
    data = body(part("f", b"x" * 200_000, filename="big"))
    limits = RequestLimits(max_upload_size=150_000)
    error = error_of(data, length=None, limits=limits, factory=factory)
    assert error.status_code == 413
    assert all(file.closed for file in factory.files)
    assert parse(data, length=None, limits=RequestLimits(max_upload_size=len(data)))


def test_too_many_parts() -> None:
    factory = TrackingFactory()
    data = body(part("f", b"1", filename="a"), part("f", b"2", filename="b"), part("a", b"3"))
    error = error_of(data, limits=RequestLimits(max_form_parts=2), factory=factory)
    assert error.status_code == 413
    assert "too many multipart parts" in str(error)
    assert all(file.closed for file in factory.files)
    assert parse(data, limits=RequestLimits(max_form_parts=3))


def test_too_many_fields_files_do_not_count() -> None:
    data = body(part("a", b"1"), part("f", b"x", filename="f"), part("b", b"2"))
    assert parse(data, limits=RequestLimits(max_form_fields=2))
    error = error_of(data, limits=RequestLimits(max_form_fields=1))
    assert error.status_code == 413
    assert "too many fields" in str(error)


def test_field_too_large_but_files_may_be_larger() -> None:
    limits = RequestLimits(max_field_size=10)
    fields, files = parse(
        body(part("a", b"x" * 10), part("f", b"y" * 100, filename="f")), limits=limits
    )
    assert fields["a"] == "x" * 10
    assert files["f"].size == 100
    error = error_of(body(part("a", b"x" * 11)), limits=limits)
    assert error.status_code == 413
    assert "'a' too large" in str(error)


def test_field_limit_holds_across_chunks() -> None:
    data = body(part("a", b"x" * (3 * CHUNK_SIZE)))
    error = error_of(data, limits=RequestLimits(max_field_size=CHUNK_SIZE))
    assert error.status_code == 413


def test_header_block_too_large() -> None:
    limits = RequestLimits(max_header_size=200)
    assert parse(body(part("a", b"1", headers=["X-Pad: " + "p" * 100])), limits=limits)
    error = error_of(body(part("a", b"1", headers=["X-Pad: " + "p" * 200])), limits=limits)
    assert error.status_code == 413
    assert "headers too large" in str(error)


def test_many_small_headers_are_bounded_by_header_size() -> None:
    limits = RequestLimits(max_header_size=200)
    error = error_of(body(part("a", b"1", headers=["X: y"] * 100)), limits=limits)
    assert error.status_code == 413


def test_header_spanning_many_chunks_is_bounded() -> None:
    header = "X-Long: " + "v" * (5 * CHUNK_SIZE)
    error = error_of(body(part("a", b"1", headers=[header])))
    assert error.status_code == 413
