"""COPY and MOVE: Depth, Overwrite, Destination forms, properties following, locks staying."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client

PROP = "{urn:x}colour"
VALUE = '<colour xmlns="urn:x">red</colour>'
LOCKINFO = (
    b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
    b"<D:locktype><D:write/></D:locktype></D:lockinfo>"
)


def tree(dav: Client) -> None:
    dav("MKCOL", "/src")
    dav("MKCOL", "/src/sub")
    dav.put("/src/a.txt", b"a")
    dav.put("/src/sub/b.txt", b"b")
    dav.app.props.patch("/src/sub/b.txt", set={PROP: VALUE})
    dav.app.props.patch("/src", set={PROP: VALUE})


@pytest.mark.parametrize("method", ["COPY", "MOVE"])
def test_trees_and_their_properties(dav: Client, method: str) -> None:
    tree(dav)
    result = dav(method, "/src", {"Destination": "http://localhost/dst"})
    assert result.status == 201
    assert dav("GET", "/dst/sub/b.txt").body == b"b"
    assert dav.app.props.get("/dst/sub/b.txt", PROP) == VALUE
    assert dav.app.props.get("/dst", PROP) == VALUE
    source_left = dav("GET", "/src/a.txt").status
    assert source_left == (200 if method == "COPY" else 404)
    assert (dav.app.props.get("/src/sub/b.txt", PROP) is None) == (method == "MOVE")


def test_copy_depth_zero_copies_the_collection_alone(dav: Client) -> None:
    tree(dav)
    result = dav("COPY", "/src", {"Destination": "/shallow", "Depth": "0"})
    assert result.status == 201
    assert list(dav.propfind("/shallow")) == ["/shallow/"]
    assert dav.app.props.get_all("/shallow") == {PROP: VALUE}
    assert dav("COPY", "/src", {"Destination": "/x", "Depth": "1"}).status == 400
    assert dav("MOVE", "/src", {"Destination": "/x", "Depth": "0"}).status == 400


@pytest.mark.parametrize("method", ["COPY", "MOVE"])
def test_overwrite(dav: Client, method: str) -> None:
    dav.put("/one", b"1")
    dav.put("/two", b"2")
    refused = dav(method, "/one", {"Destination": "/two", "Overwrite": "F"})
    assert refused.status == 412
    assert dav("GET", "/two").body == b"2"
    replaced = dav(method, "/one", {"Destination": "/two", "Overwrite": "T"})
    assert replaced.status == 204
    assert dav("GET", "/two").body == b"1"
    assert dav(method, "/two", {"Destination": "/z", "Overwrite": "maybe"}).status == 400


def test_replacing_a_collection_with_a_file_removes_the_tree(dav: Client) -> None:
    tree(dav)
    dav.put("/file", b"f")
    assert dav("MOVE", "/file", {"Destination": "/src"}).status == 204
    assert dav("GET", "/src").body == b"f"
    assert dav.app.props.get_all("/src/sub/b.txt") == {}


def test_destination_forms(dav: Client) -> None:
    dav.put("/a", b"a")
    assert dav("COPY", "/a", {"Destination": "/caf%C3%A9%20x"}).status == 201
    assert dav("GET", "/café x").body == b"a"
    assert dav("COPY", "/a", {"Destination": "https://localhost/secure"}).status == 201
    assert dav("COPY", "/a", {"Destination": "http://LOCALHOST:80/port"}).status == 201
    assert dav("COPY", "/a", {"Destination": "http://elsewhere.example/a2"}).status == 502
    assert dav("COPY", "/a", {"Destination": "http://localhost:8080/a3"}).status == 502
    assert dav("COPY", "/a", {"Destination": "ftp://localhost/a4"}).status == 502
    assert dav("COPY", "/a").status == 400
    assert dav("COPY", "/a", {"Destination": "/no/parent"}).status == 409
    assert dav("COPY", "/missing", {"Destination": "/b"}).status == 404


def test_a_malformed_destination_or_depth_is_400(dav: Client) -> None:
    """``urlsplit`` raises on an unclosed IPv6 bracket: that was a 500. A Depth means nothing for
    a single resource, but a value that is no Depth is still refused."""
    dav.put("/a", b"a")
    assert dav("COPY", "/a", {"Destination": "http://[::1/b"}).status == 400
    assert dav("MOVE", "/a", {"Destination": "http://[::1/b"}).status == 400
    assert dav("COPY", "/a", {"Destination": "/b%zz"}).status == 400
    assert dav("COPY", "/a", {"Destination": "/b", "Depth": "banana"}).status == 400
    assert dav("GET", "/b").status == 404
    assert dav("COPY", "/a", {"Destination": "/b", "Depth": "0"}).status == 201
    tagged = {"If": '<http://[::1/a> ([W/"nothing"])'}  # a tag that names no resource
    assert dav("PUT", "/a", tagged, b"new").status == 412
    assert dav("GET", "/a").body == b"a"


def test_overlapping_source_and_destination(dav: Client) -> None:
    tree(dav)
    assert dav("COPY", "/src", {"Destination": "/src"}).status == 403
    assert dav("MOVE", "/src", {"Destination": "/src/sub/inside"}).status == 403
    assert dav("COPY", "/src", {"Destination": "/src/sub/inside"}).status == 403
    assert dav("MOVE", "/src/sub", {"Destination": "/src"}).status == 403
    assert dav("COPY", "/src/sub", {"Destination": "/src"}).status == 403
    assert dav("GET", "/src/sub/b.txt").status == 200


def test_locks_stay_with_the_url(dav: Client) -> None:
    dav.put("/locked", b"l")
    token = dav("LOCK", "/locked", body=LOCKINFO).headers["lock-token"]
    copied = dav("COPY", "/locked", {"Destination": "/copy"})
    assert copied.status == 201
    assert dav.app.locks.discover("/copy") == []
    assert dav("MOVE", "/locked", {"Destination": "/moved"}).status == 423
    moved = dav("MOVE", "/locked", {"Destination": "/moved", "If": f"({token})"})
    assert moved.status == 201
    assert dav.app.locks.discover("/moved") == []
    assert dav.app.locks.discover("/locked") == []


def test_locked_destination_needs_its_token(dav: Client) -> None:
    dav.put("/a", b"a")
    dav.put("/target", b"t")
    token = dav("LOCK", "/target", body=LOCKINFO).headers["lock-token"]
    assert dav("COPY", "/a", {"Destination": "/target"}).status == 423
    tagged = {"Destination": "/target", "If": f"</target> ({token})"}
    assert dav("COPY", "/a", tagged).status == 204
    assert dav("GET", "/target").body == b"a"
