"""Tests for shallot.http.file_response: FileResponse served for real, huge files included."""

from __future__ import annotations

import email.parser
import email.policy
import os
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

import pytest

from shallot.http.dates import http_date
from shallot.http.etags import make_etag
from shallot.http.file_response import DEFAULT_CHUNK_SIZE, FileResponse, guess_content_type
from shallot.testing import connect, fetch, resident_set_size, validated

if TYPE_CHECKING:
    import http.client
    from collections.abc import Callable, Iterable, Mapping
    from pathlib import Path

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.testing import Serve

needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc")

CONTENT = bytes(range(256)) * 40


def open_descriptors(path: Path) -> int:
    """How many of this process's file descriptors are open on ``path``."""
    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}") == str(path):
                count += 1
        except OSError:
            continue
    return count


def wait_until_closed(path: Path) -> bool:
    """Whether every descriptor on ``path`` is closed within a few seconds."""
    deadline = time.monotonic() + 5
    while open_descriptors(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(CONTENT)
    return path


# Construction


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("notes.txt", "text/plain; charset=utf-8"),
        ("page.html", "text/html; charset=utf-8"),
        ("image.png", "image/png"),
        ("data.json", "application/json"),
        ("backup.tar.gz", "application/gzip"),
        ("log.bz2", "application/x-bzip2"),
        ("mystery.shallot-unknown", "application/octet-stream"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_guess_content_type(name: str, content_type: str) -> None:
    assert guess_content_type(name) == content_type


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        FileResponse(tmp_path / "missing.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        FileResponse(tmp_path)


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        FileResponse(fifo)


@pytest.mark.parametrize("chunk_size", [0, -1, 1.5])
def test_bad_chunk_size(data_file: Path, chunk_size: int) -> None:
    with pytest.raises(ValueError, match="chunk_size must be a positive int"):
        FileResponse(data_file, chunk_size=chunk_size)


def test_attributes(data_file: Path) -> None:
    response = FileResponse(str(data_file), headers={"Cache-Control": "max-age=60"})
    assert response.path == str(data_file)
    assert response.content_type == "application/octet-stream"
    assert response.status_code == 200
    assert response.headers.items() == [
        ("Cache-Control", "max-age=60"),
        ("Content-Type", "application/octet-stream"),
    ]
    assert FileResponse(data_file, "image/webp").content_type == "image/webp"
    assert DEFAULT_CHUNK_SIZE > 0


# Served


@needs_proc
def test_served_whole_file(serve: Serve, data_file: Path) -> None:
    bodies: list[object] = []
    base = serve(validated(FileResponse(data_file, "application/x-test"), bodies))
    reply = fetch(base)
    info = os.stat(data_file)
    assert (reply.status, reply.reason) == (200, "OK")
    assert reply.headers["Content-Length"] == str(len(CONTENT))
    assert reply.headers["Content-Type"] == "application/x-test"
    assert reply.headers["ETag"] == str(make_etag(info.st_size, info.st_mtime_ns, info.st_ino))
    assert reply.headers["Last-Modified"] == http_date(info.st_mtime)
    assert reply.headers["Accept-Ranges"] == "bytes"
    assert reply.body == CONTENT
    wrapper = bodies[0]
    assert type(wrapper).__name__ == "FileWrapper"
    assert wait_until_closed(data_file)


@needs_proc
def test_served_without_file_wrapper(serve: Serve, data_file: Path) -> None:
    response = FileResponse(data_file, chunk_size=1000)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        del environ["wsgi.file_wrapper"]
        return response(environ, start_response)

    reply = fetch(serve(validated(app)))
    assert (reply.status, reply.headers["Content-Length"]) == (200, str(len(CONTENT)))
    assert reply.body == CONTENT
    assert wait_until_closed(data_file)


@needs_proc
def test_served_head(serve: Serve, data_file: Path) -> None:
    base = serve(validated(FileResponse(data_file)))
    reply = fetch(base, method="HEAD")
    assert (reply.status, reply.body) == (200, b"")
    assert reply.headers["Content-Length"] == str(len(CONTENT))
    assert "ETag" in reply.headers
    assert wait_until_closed(data_file)


def test_served_empty_file(serve: Serve, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    base = serve(validated(FileResponse(empty)))
    reply = fetch(base)
    assert (reply.status, reply.headers["Content-Length"], reply.body) == (200, "0", b"")
    reply = fetch(base, headers={"Range": "bytes=0-"})
    assert (reply.status, reply.headers["Content-Range"]) == (416, "bytes */0")


def test_served_file_as_it_is_when_sent(serve: Serve, data_file: Path) -> None:
    response = FileResponse(data_file)
    base = serve(validated(response))
    first = fetch(base)
    data_file.write_bytes(b"rewritten")
    os.utime(data_file, ns=(0, 10**18))
    second = fetch(base)
    assert second.body == b"rewritten"
    assert second.headers["Content-Length"] == "9"
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.headers["Last-Modified"] != first.headers["Last-Modified"]


def test_served_file_gone_or_replaced(serve: Serve, data_file: Path) -> None:
    response = FileResponse(data_file)
    base = serve(validated(response))
    data_file.unlink()
    reply = fetch(base)
    assert (reply.status, reply.body) == (404, b"404 Not Found\n")
    data_file.mkdir()
    assert fetch(base).status == 404


def answer_as_nobody(app: WSGIApplication) -> tuple[str, bytes]:
    """Call ``app`` in a forked child that dropped root's rights (root reads any file).

    The child runs with uid/gid 65534 and reports the status line and body through a pipe.
    """
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child, which never returns
        try:
            os.setgid(65534)
            os.setuid(65534)
            seen: list[str] = []

            def start_response(
                status: str, headers: list[tuple[str, str]], exc_info: object = None
            ) -> Callable[[bytes], object]:
                seen.append(status)
                return lambda data: None

            environ: dict[str, object] = {}
            setup_testing_defaults(environ)
            body = b"".join(app(environ, start_response))
            os.write(writing, seen[0].encode() + b"\n" + body)
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        status, _, body = pipe.read().partition(b"\n")
    os.waitpid(child, 0)
    return status.decode(), body


def test_served_unreadable_file(serve: Serve, data_file: Path) -> None:
    response = FileResponse(data_file)
    data_file.chmod(0)
    if os.geteuid() == 0:
        assert answer_as_nobody(response) == ("403 Forbidden", b"403 Forbidden\n")
    else:
        reply = fetch(serve(validated(response)))
        assert (reply.status, reply.body) == (403, b"403 Forbidden\n")


def test_served_given_validators(serve: Serve, data_file: Path) -> None:
    headers = {"ETag": '"custom"', "Last-Modified": "Sun, 06 Nov 1994 08:49:37 GMT"}
    base = serve(validated(FileResponse(data_file, headers=headers)))
    reply = fetch(base)
    assert reply.headers.get_all("ETag") == ['"custom"']
    assert reply.headers.get_all("Last-Modified") == ["Sun, 06 Nov 1994 08:49:37 GMT"]
    assert fetch(base, headers={"If-None-Match": '"custom"'}).status == 304
    since = {"If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"}
    assert fetch(base, headers=since).status == 304


def test_served_conditional_requests(serve: Serve, data_file: Path) -> None:
    bodies: list[object] = []
    base = serve(validated(FileResponse(data_file, headers={"Cache-Control": "no-cache"}), bodies))
    full = fetch(base)
    etag, last_modified = full.headers["ETag"], full.headers["Last-Modified"]

    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", W/{etag}'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": last_modified},
        {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"},
    ):
        reply = fetch(base, headers=headers)
        assert (reply.status, reply.reason, reply.body) == (304, "Not Modified", b""), headers
        assert reply.headers["ETag"] == etag
        assert reply.headers["Last-Modified"] == last_modified
        assert reply.headers["Cache-Control"] == "no-cache"
        assert "Content-Type" not in reply.headers
        assert "Accept-Ranges" not in reply.headers

    assert fetch(base, "/", "HEAD", {"If-None-Match": etag}).status == 304

    for headers in (
        {"If-None-Match": '"other"'},
        {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"},
        {"If-Modified-Since": "not a date"},
        {"If-Match": etag},
        {"If-Match": "*"},
        {"If-Unmodified-Since": last_modified},
    ):
        reply = fetch(base, headers=headers)
        assert (reply.status, reply.body) == (200, CONTENT), headers

    for method, headers in (
        ("GET", {"If-Match": '"other"'}),
        ("GET", {"If-Match": f"W/{etag}"}),
        ("GET", {"If-Match": "unquoted"}),
        ("GET", {"If-Unmodified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}),
        ("POST", {"If-None-Match": etag}),
    ):
        reply = fetch(base, "/", method, headers)
        assert (reply.status, reply.reason) == (412, "Precondition Failed"), headers
        assert reply.body == b"412 Precondition Failed\n"


def test_served_ranges(serve: Serve, data_file: Path) -> None:
    base = serve(validated(FileResponse(data_file, "application/x-test", chunk_size=7)))
    etag = fetch(base, method="HEAD").headers["ETag"]
    size = len(CONTENT)

    reply = fetch(base, headers={"Range": "bytes=100-199"})
    assert (reply.status, reply.reason) == (206, "Partial Content")
    assert reply.headers["Content-Range"] == f"bytes 100-199/{size}"
    assert reply.headers["Content-Length"] == "100"
    assert reply.headers["Content-Type"] == "application/x-test"
    assert reply.body == CONTENT[100:200]

    reply = fetch(base, headers={"Range": "bytes=-10"})
    assert (reply.status, reply.body) == (206, CONTENT[-10:])
    reply = fetch(base, headers={"Range": f"bytes={size - 5}-{size * 2}"})
    assert (reply.headers["Content-Range"], reply.body) == (
        f"bytes {size - 5}-{size - 1}/{size}",
        CONTENT[-5:],
    )

    reply = fetch(base, headers={"Range": "bytes=0-9, 20-29, 25-39, -3"})
    assert reply.status == 206
    assert reply.headers["Content-Length"] == str(len(reply.body))
    content_type = reply.headers["Content-Type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + reply.body
    )
    parts = [
        (str(part["Content-Type"]), str(part["Content-Range"]), part.get_payload(decode=True))
        for part in message.iter_parts()
    ]
    assert parts == [
        ("application/x-test", f"bytes 0-9/{size}", CONTENT[0:10]),
        ("application/x-test", f"bytes 20-39/{size}", CONTENT[20:40]),
        ("application/x-test", f"bytes {size - 3}-{size - 1}/{size}", CONTENT[-3:]),
    ]

    reply = fetch(base, headers={"Range": f"bytes={size}-"})
    assert (reply.status, reply.reason) == (416, "Range Not Satisfiable")
    assert reply.headers["Content-Range"] == f"bytes */{size}"
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reply.body == b"416 Range Not Satisfiable\n"

    for invalid in ("bytes=20-10", "bytes=-", "lines=1-2", "bytes=1-2,x"):
        reply = fetch(base, headers={"Range": invalid})
        assert (reply.status, reply.body) == (200, CONTENT), invalid

    reply = fetch(base, "/", "HEAD", {"Range": "bytes=0-9"})
    assert (reply.status, reply.headers["Content-Length"]) == (200, str(size))

    ranged = {"Range": "bytes=0-9"}
    assert fetch(base, headers={**ranged, "If-Range": etag}).status == 206
    assert fetch(base, headers={**ranged, "If-Range": '"stale"'}).status == 200
    reply = fetch(base, headers={**ranged, "If-None-Match": etag})
    assert reply.status == 304
    assert fetch(base, headers={**ranged, "If-Match": '"stale"'}).status == 412


@needs_proc
def test_file_closed_when_the_client_goes_away(serve: Serve, tmp_path: Path) -> None:
    path = tmp_path / "large.bin"
    with open(path, "wb") as file:
        file.truncate(256 * 1024 * 1024)
    base = serve(FileResponse(path))
    url = urlsplit(base)
    for request in (b"GET / HTTP/1.0\r\n\r\n", b"GET / HTTP/1.0\r\nRange: bytes=10-,0-5\r\n\r\n"):
        with socket.create_connection((url.hostname or "", url.port or 80), timeout=10) as client:
            client.sendall(request)
            assert client.recv(1024).startswith(b"HTTP/1.0 2")
        assert wait_until_closed(path)


def test_served_with_other_statuses(serve: Serve, data_file: Path) -> None:
    page = FileResponse(data_file, "text/plain")
    page.status_code = 404
    bodiless = FileResponse(data_file, "text/plain")
    bodiless.status_code = 204
    bodies: list[object] = []
    apps = {"/page": validated(page), "/bodiless": validated(bodiless, bodies)}
    base = serve(
        lambda environ, start_response: apps[environ["PATH_INFO"]](environ, start_response)
    )
    reply = fetch(base, "/page", headers={"If-None-Match": "*", "Range": "bytes=0-1"})
    assert (reply.status, reply.body) == (404, CONTENT)
    reply = fetch(base, "/bodiless")
    assert (reply.status, reply.body) == (204, b"")
    assert "Content-Type" not in reply.headers
    assert bodies == [[]]


def read_stream(
    response: http.client.HTTPResponse, start: int, limit: int, markers: Mapping[int, bytes]
) -> tuple[int, int]:
    """Read up to ``limit`` bytes of a body that starts at file offset ``start``, 1 MiB at a time.

    Checks every marker (file offset -> bytes) that falls in what is read; returns the number of
    bytes read and of markers checked.
    """
    buffer = bytearray(1024 * 1024)
    received = checked_markers = 0
    with memoryview(buffer) as view:
        while received < limit:
            filled = 0
            while filled < len(buffer):
                count = response.readinto(view[filled:])
                if not count:
                    break
                filled += count
            for offset, marker in markers.items():
                if start + received <= offset < start + received + filled:
                    at = offset - start - received
                    assert buffer[at : at + len(marker)] == marker
                    checked_markers += 1
            received += filled
            if filled < len(buffer):
                break
    return received, checked_markers


@needs_proc
def test_huge_sparse_file_in_flat_memory(serve: Serve, tmp_path: Path) -> None:
    size = 2**31 + 64
    markers = {0: b"first", 2**30: b"middle", 2**31: b"past 2 GiB", size - 4: b"last"}
    path = tmp_path / "huge.bin"
    with open(path, "wb") as file:
        file.truncate(size)
        for offset, marker in markers.items():
            file.seek(offset)
            file.write(marker)
    base = serve(FileResponse(path))
    assert fetch(base, method="HEAD").headers["Content-Length"] == str(size)

    spec = ", ".join(f"{offset}-{offset + len(marker) - 1}" for offset, marker in markers.items())
    reply = fetch(base, headers={"Range": f"bytes={spec}"})
    assert reply.status == 206
    for offset, marker in markers.items():
        assert f"Content-Range: bytes {offset}-{offset + len(marker) - 1}/{size}".encode() in (
            reply.body
        )
        assert reply.body.count(marker) == 1

    before = resident_set_size()
    tail_start = 2**31 - 128 * 1024 * 1024
    with connect(base) as connection:
        connection.request("GET", "/", headers={"Range": f"bytes={tail_start}-"})
        response = connection.getresponse()
        assert response.status == 206
        assert response.getheader("Content-Range") == f"bytes {tail_start}-{size - 1}/{size}"
        assert response.getheader("Content-Length") == str(size - tail_start)
        assert read_stream(response, tail_start, size, markers) == (size - tail_start, 2)

    head_part = 128 * 1024 * 1024
    with connect(base) as connection:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert (response.status, response.getheader("Content-Length")) == (200, str(size))
        assert read_stream(response, 0, head_part, markers) == (head_part, 1)
        response.close()
    assert wait_until_closed(path)
    assert resident_set_size() - before < 8 * 1024 * 1024
