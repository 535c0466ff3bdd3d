"""GET and HEAD: content, entity tags that match PROPFIND's, ranges and conditional requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client


def test_get_returns_the_content_and_its_validators(dav: Client) -> None:
    assert dav.put("/a.txt", b"hello world") == 201
    result = dav("GET", "/a.txt")
    assert (result.status, result.body) == (200, b"hello world")
    assert result.headers["content-type"] == "text/plain; charset=utf-8"
    assert result.headers["content-length"] == "11"
    etag = dav.prop_value(dav.propfind("/a.txt", depth="0")["/a.txt"], "{DAV:}getetag")
    assert etag is not None
    assert result.headers["etag"] == etag.text
    assert "last-modified" in result.headers


def test_head_sends_headers_only(dav: Client) -> None:
    dav.put("/a.bin", b"x" * 100)
    result = dav("HEAD", "/a.bin")
    assert (result.status, result.body, result.headers["content-length"]) == (200, b"", "100")


def test_ranges_and_conditions(dav: Client) -> None:
    dav.put("/a.txt", b"0123456789")
    ranged = dav("GET", "/a.txt", {"Range": "bytes=2-4"})
    assert (ranged.status, ranged.body) == (206, b"234")
    etag = dav("GET", "/a.txt").headers["etag"]
    assert dav("GET", "/a.txt", {"If-None-Match": etag}).status == 304
    assert dav("GET", "/a.txt", {"If-Match": '"other"'}).status == 412
    assert dav("GET", "/a.txt", {"Range": "bytes=50-60"}).status == 416


def test_missing_resources_and_collections(dav: Client) -> None:
    assert dav("GET", "/missing").status == 404
    dav("MKCOL", "/folder")
    listing = dav("GET", "/folder/")
    assert listing.status == 200
    assert listing.headers["content-type"].startswith("text/html")
