"""Client quirks WsgiDAV users met, each a regression test over a real server.

Windows Explorer (LOCK before PUT, Win32 properties, case-insensitive targets), macOS Finder
(chunked PUT and PUT without a length, ``._*`` and ``.DS_Store``), rclone and ownCloud
(``X-OC-Mtime``), and a reverse proxy in front (``Destination`` with another scheme,
``X-Forwarded-*`` believed only when configured).
"""

from __future__ import annotations

import http.client
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from shallot.dav import DAVConfig, build_app
from shallot.testing import connect, fetch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from _typeshed.wsgi import WSGIApplication

    from shallot.dav import DAVApplication
    from shallot.testing import Serve

LOCKINFO = (
    b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
    b"<D:locktype><D:write/></D:locktype><D:owner>WIN\\ann</D:owner></D:lockinfo>"
)


@pytest.fixture
def make(share: Path) -> Iterator[Callable[..., DAVApplication]]:
    made: list[DAVApplication] = []

    def build(**options: object) -> DAVApplication:
        app = build_app(DAVConfig(shares={"/": share}, **options))  # type: ignore[arg-type]
        made.append(app)
        return app

    yield build
    for app in made:
        app.close()


def test_explorer_locks_before_it_puts(
    serve: Serve, make: Callable[..., DAVApplication], share: Path
) -> None:
    base = serve(make())
    locked = fetch(base, "/New%20Document.docx", "LOCK", {"Timeout": "Second-3600"}, LOCKINFO)
    assert locked.status == 201
    assert (share / "New Document.docx").read_bytes() == b""
    token = locked.headers["Lock-Token"]
    assert fetch(base, "/New%20Document.docx", "PUT", {}, b"content").status == 423
    put = fetch(base, "/New%20Document.docx", "PUT", {"If": f"({token})"}, b"content")
    assert put.status == 204
    proppatch = (
        b'<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:" '
        b'xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop>'
        b"<Z:Win32CreationTime>Tue, 02 Jan 2024 10:00:00 GMT</Z:Win32CreationTime>"
        b"<Z:Win32LastAccessTime>Tue, 02 Jan 2024 10:00:00 GMT</Z:Win32LastAccessTime>"
        b"<Z:Win32FileAttributes>00000020</Z:Win32FileAttributes>"
        b"</D:prop></D:set></D:propertyupdate>"
    )
    patched = fetch(base, "/New%20Document.docx", "PROPPATCH", {"If": f"({token})"}, proppatch)
    assert patched.status == 207
    assert b"HTTP/1.1 200 OK" in patched.body
    assert b"424" not in patched.body
    found = fetch(base, "/New%20Document.docx", "PROPFIND", {"Depth": "0"})
    assert b"00000020" in found.body
    unlocked = fetch(base, "/New%20Document.docx", "UNLOCK", {"Lock-Token": token})
    assert unlocked.status == 204


def test_explorer_case_insensitive_targets(
    serve: Serve, make: Callable[..., DAVApplication], share: Path
) -> None:
    (share / "Report.TXT").write_text("old")
    (share / "draft.txt").write_text("new")
    (share / "Folder").mkdir()
    strict = serve(make())
    assert fetch(strict, "/draft.txt", "COPY", {"Destination": "/report.txt"}).status == 201
    (share / "report.txt").unlink()
    base = serve(make(case_insensitive_targets=True))
    replaced = fetch(base, "/draft.txt", "COPY", {"Destination": "/REPORT.txt"})
    assert replaced.status == 204
    assert (share / "Report.TXT").read_text() == "new"
    assert not (share / "REPORT.txt").exists()
    moved = fetch(base, "/draft.txt", "MOVE", {"Destination": "/folder/Draft.txt"})
    assert moved.status == 201
    assert (share / "Folder" / "Draft.txt").read_text() == "new"
    renamed = fetch(base, "/Folder/Draft.txt", "MOVE", {"Destination": "/Folder/draft.TXT"})
    assert renamed.status == 201
    assert [path.name for path in (share / "Folder").iterdir()] == ["draft.TXT"]


def put_pieces(base: str, path: str, pieces: list[bytes], headers: dict[str, str]) -> int:
    with connect(base) as connection:
        connection.putrequest("PUT", path)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        for piece in pieces:
            connection.send(piece)
        return connection.getresponse().status


@pytest.mark.parametrize("server", ["wsgiref", "cheroot"])
def test_finder_uploads_chunked_and_without_length(
    serve: Serve,
    cheroot_serve: Callable[[WSGIApplication], str],
    make: Callable[..., DAVApplication],
    share: Path,
    server: str,
) -> None:
    base = (serve if server == "wsgiref" else cheroot_serve)(make())
    pieces = [b"a" * 70_000, b"b" * 5, b"c" * 200_000]
    reply = fetch(base, "/chunked.bin", "PUT", {"X-Expected-Entity-Length": "270005"}, pieces)
    assert reply.status == 201
    assert (share / "chunked.bin").read_bytes() == b"".join(pieces)
    status = put_pieces(
        base, "/nolength.txt", [b"5\r\nhello\r\n", b"0\r\n\r\n"], {"Transfer-Encoding": "chunked"}
    )
    assert status == 201
    assert (share / "nolength.txt").read_bytes() == b"hello"
    assert put_pieces(base, "/empty.txt", [], {}) == 201
    assert (share / "empty.txt").read_bytes() == b""


def test_finder_metadata_files_refused_or_hidden(
    serve: Serve, make: Callable[..., DAVApplication], share: Path
) -> None:
    base = serve(make(refused_files=("._*",), hidden_files=(".DS_Store",)))
    assert fetch(base, "/._report.txt", "PUT", {}, b"resource fork").status == 403
    assert not (share / "._report.txt").exists()
    assert fetch(base, "/.DS_Store", "PUT", {}, b"finder").status == 201
    assert fetch(base, "/.DS_Store").body == b"finder"
    listing = fetch(base, "/", "PROPFIND", {"Depth": "1"})
    assert b".DS_Store" not in listing.body
    assert b".DS_Store" not in fetch(base, "/").body


def test_oc_mtime_from_sync_clients(
    serve: Serve, make: Callable[..., DAVApplication], share: Path
) -> None:
    base = serve(make())
    reply = fetch(base, "/synced.txt", "PUT", {"X-OC-Mtime": "1234567890"}, b"x")
    assert (reply.status, reply.headers["X-OC-MTime"]) == (201, "accepted")
    assert (share / "synced.txt").stat().st_mtime == 1234567890
    found = fetch(base, "/synced.txt", "PROPFIND", {"Depth": "0"})
    assert b"Fri, 13 Feb 2009 23:31:30 GMT" in found.body


def test_behind_a_reverse_proxy(serve: Serve, make: Callable[..., DAVApplication]) -> None:
    direct = serve(make())
    host = urlsplit(direct).netloc
    fetch(direct, "/a.txt", "PUT", {}, b"a")
    tls = fetch(direct, "/a.txt", "COPY", {"Destination": f"https://{host.split(':')[0]}/b.txt"})
    assert tls.status == 201
    forwarded = {"X-Forwarded-Host": "files.example", "X-Forwarded-Proto": "https"}
    public = {"Destination": "https://files.example/c.txt", **forwarded}
    assert fetch(direct, "/a.txt", "COPY", public).status == 502
    proxied = serve(make(trusted_proxies=1))
    assert fetch(proxied, "/a.txt", "COPY", public).status == 201
    spoofed = {**public, "X-Forwarded-Host": "attacker.example, files.example"}
    assert fetch(proxied, "/a.txt", "COPY", {**spoofed, "Overwrite": "T"}).status == 204
    other = {**public, "X-Forwarded-Host": "files.example, attacker.example"}
    assert fetch(proxied, "/a.txt", "COPY", other).status == 502


def test_http_client_sees_well_formed_answers(
    serve: Serve, make: Callable[..., DAVApplication]
) -> None:
    base = serve(make())
    with connect(base) as connection:
        connection.request("OPTIONS", "/")
        response = connection.getresponse()
        assert isinstance(response, http.client.HTTPResponse)
        assert response.getheader("DAV") == "1, 2"
