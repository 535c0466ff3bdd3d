"""Security: the classes of bug WsgiDAV and Werkzeug have had advisories for, through a real server.

Every case is sent over a socket to the whole stack (wsgiref on loopback, via the ``serve``
fixture), and each is answered with a precise 4xx, never a 500 and never a secret.
"""

from __future__ import annotations

import os
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from shallot.dav import DAVConfig, build_app
from shallot.dav.filesystem import TEMP_PREFIX
from shallot.dav.handlers.put import SMALL_BODY
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from shallot.dav import DAVApplication
    from shallot.testing import Serve

SECRET = b"top secret"
LOCKINFO = (
    b'<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:">'
    b"<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>"
)


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """``share`` to serve, ``share_evil`` beside it, and secrets outside both."""
    share = tmp_path / "share"
    share.mkdir()
    (share / "public.txt").write_bytes(b"public")
    (share / "folder").mkdir()
    evil = tmp_path / "share_evil"
    evil.mkdir()
    (evil / "secret.txt").write_bytes(SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (share / "file-link").symlink_to(tmp_path / "secret.txt")
    (share / "parent-link").symlink_to(evil)
    (share / "folder" / "up").symlink_to(tmp_path)
    return share


@pytest.fixture
def app(layout: Path) -> Iterator[DAVApplication]:
    dav = build_app(DAVConfig(shares={"/": layout}, max_xml_size=4096))
    yield dav
    dav.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/folder/..%2F..%2Fsecret.txt",
        "/.%2e/secret.txt",
        "/%2e./share_evil/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/folder%5c..%5c..%5csecret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%252e%252e/secret.txt",
        "/../share_evil/secret.txt",
        "//..//secret.txt",
        "/public.txt%00.html",
        "/a%00",
        "/CON",
        "/nul.txt",
        "/folder/com1",
        "/c:/windows/win.ini",
        "/C:%5cboot.ini",
        "/file-link",
        "/parent-link/secret.txt",
        "/folder/up/secret.txt",
        "/folder/up/share_evil/secret.txt",
    ],
)
@pytest.mark.parametrize("method", ["GET", "PROPFIND", "PUT", "DELETE"])
def test_nothing_escapes_the_share(
    serve: Serve, app: DAVApplication, layout: Path, path: str, method: str
) -> None:
    headers = {"Depth": "0"} if method == "PROPFIND" else {}
    body = b"overwritten" if method == "PUT" else None
    reply = fetch(serve(app), path, method, headers, body)
    assert reply.status in (400, 403, 404, 409), (path, reply.status)
    assert SECRET not in reply.body
    assert (layout.parent / "secret.txt").read_bytes() == SECRET
    assert (layout.parent / "share_evil" / "secret.txt").read_bytes() == SECRET


def test_precise_statuses(serve: Serve, app: DAVApplication) -> None:
    base = serve(app)
    assert fetch(base, "/%2e%2e/secret.txt").status == 400
    assert fetch(base, "/a%00").status == 400
    assert fetch(base, "/CON").status == 400
    assert fetch(base, "/file-link").status == 403
    assert fetch(base, "/parent-link/secret.txt").status == 403
    assert fetch(base, "/%252e%252e/secret.txt").status == 404
    listing = fetch(base, "/", "PROPFIND", {"Depth": "1"})
    assert listing.status == 207
    assert b"file-link" not in listing.body
    assert b"parent-link" not in listing.body


XML_ATTACKS = [
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;">]><D:propfind xmlns:D="DAV:"><D:prop><x>&c;</x></D:prop>'
    b"</D:propfind>",
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<D:propfind xmlns:D="DAV:"><D:prop><x>&e;</x></D:prop></D:propfind>',
    b'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:1/evil.dtd">'
    b'<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>',
    b'<D:propfind xmlns:D="DAV:"><D:prop>',
]


@pytest.mark.parametrize("body", XML_ATTACKS)
@pytest.mark.parametrize("method", ["PROPFIND", "PROPPATCH", "LOCK"])
def test_xml_attacks_get_400(serve: Serve, app: DAVApplication, body: bytes, method: str) -> None:
    reply = fetch(serve(app), "/public.txt", method, {"Depth": "0"}, body)
    assert reply.status == 400
    assert b"root:" not in reply.body


def test_oversized_xml_gets_413(serve: Serve, app: DAVApplication) -> None:
    huge = b'<D:propfind xmlns:D="DAV:"><D:prop>' + b"<x/>" * 2000 + b"</D:prop></D:propfind>"
    base = serve(app)
    assert fetch(base, "/", "PROPFIND", {"Depth": "0"}, huge).status == 413
    assert fetch(base, "/", "PROPFIND", {"Depth": "0"}, iter([huge])).status == 413


def test_hostile_names_in_the_directory_browser(
    serve: Serve, app: DAVApplication, layout: Path
) -> None:
    (layout / "<script>alert(1)<\\script>.html").write_text("x")
    (layout / '"><img src=x onerror=alert(2)>').write_text("x")
    reply = fetch(serve(app), "/")
    assert reply.status == 200
    page = reply.body.decode()
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;\\script&gt;.html" in page
    assert 'href="%3Cscript%3Ealert(1)%3C%5Cscript%3E.html"' in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page


def test_destination_on_another_host(serve: Serve, app: DAVApplication) -> None:
    base = serve(app)
    for destination in (
        "http://attacker.example/stolen.txt",
        f"http://{urlsplit(base).hostname}:1/stolen.txt",
        "http://user@attacker.example/x",
    ):
        reply = fetch(base, "/public.txt", "COPY", {"Destination": destination})
        assert reply.status == 502
    assert fetch(base, "/public.txt", "COPY", {"Destination": f"{base}/copy.txt"}).status == 201


def test_a_lock_token_of_another_user(serve: Serve, layout: Path) -> None:
    config = DAVConfig(
        shares={"/": layout}, auth="basic", basic_over_http=True, users={"ann": "a", "bob": "b"}
    )
    app = build_app(config)
    base = serve(app)
    ann = {"Authorization": "Basic YW5uOmE="}
    bob = {"Authorization": "Basic Ym9iOmI="}
    lockinfo = (
        b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
        b"<D:locktype><D:write/></D:locktype></D:lockinfo>"
    )
    assert fetch(base, "/public.txt").status == 401
    token = fetch(base, "/public.txt", "LOCK", ann, lockinfo).headers["Lock-Token"]
    stolen = {**bob, "If": f"({token})"}
    assert fetch(base, "/public.txt", "PUT", stolen, b"bob was here").status == 423
    assert fetch(base, "/public.txt", "DELETE", stolen).status == 423
    assert fetch(base, "/public.txt", "UNLOCK", {**bob, "Lock-Token": token}).status == 403
    assert fetch(base, "/public.txt", "LOCK", stolen).status == 403
    assert (layout / "public.txt").read_bytes() == b"public"
    assert fetch(base, "/public.txt", "PUT", {**ann, "If": f"({token})"}, b"ann").status == 204
    app.close()


def test_an_upload_cut_off_half_way(serve: Serve, app: DAVApplication, layout: Path) -> None:
    base = urlsplit(serve(app))
    with socket.create_connection((base.hostname, base.port or 80)) as connection:
        connection.sendall(
            b"PUT /public.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n"
            + b"x" * 300_000
        )
    deadline = time.monotonic() + 30
    while any(name.startswith(TEMP_PREFIX) for name in os.listdir(layout)):
        assert time.monotonic() < deadline, "the temporary file was never removed"
        time.sleep(0.05)
    assert (layout / "public.txt").read_bytes() == b"public"
    listing = fetch(f"{base.scheme}://{base.netloc}", "/", "PROPFIND", {"Depth": "1"})
    assert TEMP_PREFIX.encode() not in listing.body
    assert fetch(f"{base.scheme}://{base.netloc}", f"/{TEMP_PREFIX}x").status == 404


def answer_status(connection: socket.socket) -> int:
    """The status of the answer arriving on ``connection`` (read up to the end of its head)."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection without answering"
        answer += chunk
    return int(answer.split(b"\r\n", 1)[0].split()[1])


def test_a_large_upload_to_a_locked_resource_is_refused_before_its_body(
    serve: Serve, app: DAVApplication, layout: Path
) -> None:
    """Over ``SMALL_BODY`` the locks are checked before the body is read: the 423 comes while the
    client has sent only the head, so a refused upload costs no transfer."""
    base = urlsplit(serve(app))
    url = f"{base.scheme}://{base.netloc}"
    assert fetch(url, "/public.txt", "LOCK", {"Timeout": "Second-60"}, LOCKINFO).status == 200
    with socket.create_connection((base.hostname, base.port or 80), timeout=30) as upload:
        upload.sendall(
            b"PUT /public.txt HTTP/1.1\r\nHost: localhost\r\n"
            + f"Content-Length: {SMALL_BODY + 1}\r\n\r\n".encode()
        )
        assert answer_status(upload) == 423
    assert (layout / "public.txt").read_bytes() == b"public"


def test_a_lock_taken_during_a_slow_upload_wins(
    serve: Serve, app: DAVApplication, layout: Path
) -> None:
    """Locks are checked again once the body is complete: the upload that started before the
    lock is refused (423), the old content stays, and nothing temporary is left."""
    base = urlsplit(serve(app))
    url = f"{base.scheme}://{base.netloc}"
    with socket.create_connection((base.hostname, base.port or 80), timeout=30) as upload:
        upload.sendall(
            b"PUT /public.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 600000\r\n\r\n"
            + b"x" * 300_000
        )
        deadline = time.monotonic() + 30
        while not any(name.startswith(TEMP_PREFIX) for name in os.listdir(layout)):
            assert time.monotonic() < deadline, "the upload never started"
            time.sleep(0.02)
        lock = fetch(url, "/public.txt", "LOCK", {"Timeout": "Second-60"}, LOCKINFO)
        assert lock.status == 200
        upload.sendall(b"y" * 300_000)
        assert answer_status(upload) == 423
    assert (layout / "public.txt").read_bytes() == b"public"
    assert not any(name.startswith(TEMP_PREFIX) for name in os.listdir(layout))
    token = lock.headers["Lock-Token"]
    put = fetch(url, "/public.txt", "PUT", {"If": f"({token})"}, b"the lock holder's")
    assert put.status == 204
    assert (layout / "public.txt").read_bytes() == b"the lock holder's"
