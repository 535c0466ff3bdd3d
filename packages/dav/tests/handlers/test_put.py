"""PUT: create and replace, 409 without a parent, chunked bodies, X-OC-Mtime, locks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.dav.handlers.put import SMALL_BODY

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client


def test_put_creates_then_replaces(dav: Client) -> None:
    created = dav("PUT", "/new.txt", body=b"one")
    assert created.status == 201
    assert created.headers["etag"].startswith('"')
    assert dav("HEAD", "/new.txt").headers["etag"] == created.headers["etag"]
    replaced = dav("PUT", "/new.txt", body=b"two!")
    assert replaced.status == 204
    assert replaced.headers["etag"] != created.headers["etag"]
    got = dav("GET", "/new.txt")
    assert (got.body, got.headers["etag"]) == (b"two!", replaced.headers["etag"])


def test_put_of_an_empty_body(dav: Client) -> None:
    assert dav.put("/empty", b"") == 201
    result = dav("GET", "/empty")
    assert (result.status, result.body) == (200, b"")


def test_put_without_a_parent_or_on_a_collection(dav: Client) -> None:
    assert dav.put("/no/such/parent.txt") == 409
    dav.put("/file")
    assert dav.put("/file/child") == 409
    dav("MKCOL", "/folder")
    assert dav.put("/folder") == 405
    assert dav.put("/folder/") == 405


def test_chunked_body_decoded_when_the_server_does_not(dav: Client) -> None:
    framed = b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n"
    result = dav("PUT", "/chunked.txt", {"Transfer-Encoding": "chunked"}, framed)
    assert result.status == 201
    assert dav("GET", "/chunked.txt").body == b"hello world"


def test_chunked_body_already_decoded_by_the_server(dav: Client) -> None:
    result = dav(
        "PUT",
        "/decoded.txt",
        {"Transfer-Encoding": "chunked"},
        b"plain bytes",
        environ={"wsgi.input_terminated": True},
    )
    assert result.status == 201
    assert dav("GET", "/decoded.txt").body == b"plain bytes"


def test_malformed_chunked_body_stores_nothing(dav: Client) -> None:
    dav.put("/kept.txt", b"old")
    result = dav("PUT", "/kept.txt", {"Transfer-Encoding": "chunked"}, b"zz\r\nabc")
    assert result.status == 400
    assert dav("GET", "/kept.txt").body == b"old"


def test_oc_mtime_sets_the_modification_time(dav: Client) -> None:
    result = dav("PUT", "/dated.txt", {"X-OC-Mtime": "1000000000"}, b"x")
    assert result.status == 201
    assert result.headers["x-oc-mtime"] == "accepted"
    got = dav("GET", "/dated.txt")
    assert got.headers["last-modified"] == "Sun, 09 Sep 2001 01:46:40 GMT"
    assert got.headers["etag"] == result.headers["etag"]  # the ETag of the time set
    assert dav("PUT", "/dated.txt", {"X-OC-Mtime": "soon"}, b"x").status == 400


def test_conditional_put(dav: Client) -> None:
    assert dav("PUT", "/c.txt", {"If-None-Match": "*"}, b"1").status == 201
    assert dav("PUT", "/c.txt", {"If-None-Match": "*"}, b"2").status == 412
    etag = dav("GET", "/c.txt").headers["etag"]
    assert dav("PUT", "/c.txt", {"If-Match": etag}, b"3").status == 204
    assert dav("PUT", "/c.txt", {"If-Match": etag}, b"4").status == 412
    assert dav("GET", "/c.txt").body == b"3"


LOCKINFO = (
    b'<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:">'
    b"<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>"
)


@pytest.mark.parametrize("size", [1, SMALL_BODY, SMALL_BODY + 1])
def test_locks_refuse_a_put_whatever_its_size(dav: Client, size: int) -> None:
    """Small bodies are read before their one lock check, larger ones checked before and after
    reading: a lock refuses both alike, and nothing is stored."""
    body = b"x" * size
    dav.put("/locked.txt", b"old")
    dav("MKCOL", "/folder")
    dav.put("/folder/member.txt", b"old")
    token = dav("LOCK", "/locked.txt", {"Timeout": "Second-60"}, LOCKINFO).headers["lock-token"]
    folder = {"Depth": "0", "Timeout": "Second-60"}
    assert dav("LOCK", "/folder", folder, LOCKINFO).status == 200
    assert dav.put("/locked.txt", body) == 423
    assert dav("GET", "/locked.txt").body == b"old"
    assert dav.put("/folder/new.txt", body) == 423  # a new member changes the locked folder
    assert dav("GET", "/folder/new.txt").status == 404
    assert dav.put("/folder/member.txt", body) == 204  # replacing a member does not
    assert dav.put("/locked.txt", body, {"If": f"({token})"}) == 204
    assert dav("GET", "/locked.txt").body == body


def test_a_partial_put_is_refused_and_the_file_kept(dav: Client) -> None:
    """Stored as the whole content, a ``Content-Range`` piece would replace the file (RFC 7231
    section 4.3.4 asks for 400)."""
    dav.put("/whole.txt", b"0123456789")
    piece = {"Content-Range": "bytes 2-3/10"}
    assert dav("PUT", "/whole.txt", piece, b"ab").status == 400
    assert dav("GET", "/whole.txt").body == b"0123456789"
    assert dav("PUT", "/new.txt", piece, b"ab").status == 400
    assert dav("GET", "/new.txt").status == 404
