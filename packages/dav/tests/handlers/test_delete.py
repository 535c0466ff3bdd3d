"""DELETE: files, whole trees with their properties and locks, 404, the root."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client


def test_delete_a_file_and_a_tree(dav: Client) -> None:
    dav.put("/file")
    assert dav("DELETE", "/file").status == 204
    assert dav("GET", "/file").status == 404
    dav("MKCOL", "/tree")
    dav("MKCOL", "/tree/sub")
    dav.put("/tree/sub/leaf.txt")
    dav.app.props.patch("/tree/sub/leaf.txt", set={"{urn:x}p": "<p xmlns='urn:x'/>"})
    assert dav("DELETE", "/tree").status == 204
    assert dav("PROPFIND", "/tree/sub", {"Depth": "0"}).status == 404
    assert dav.app.props.get_all("/tree/sub/leaf.txt") == {}
    dav("MKCOL", "/tree")
    dav.put("/tree/sub")
    assert dav("PROPFIND", "/tree", {"Depth": "1"}).status == 207


def test_delete_refusals(dav: Client) -> None:
    assert dav("DELETE", "/missing").status == 404
    assert dav("DELETE", "/").status == 403
    dav("MKCOL", "/tree")
    assert dav("DELETE", "/tree", {"Depth": "0"}).status == 400


def test_delete_of_a_locked_member_needs_its_token(dav: Client) -> None:
    dav("MKCOL", "/tree")
    dav.put("/tree/locked.txt")
    lock = dav(
        "LOCK",
        "/tree/locked.txt",
        body=b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
        b"<D:locktype><D:write/></D:locktype></D:lockinfo>",
    )
    token = lock.headers["lock-token"]
    refused = dav("DELETE", "/tree")
    assert refused.status == 423
    assert b"lock-token-submitted" in refused.body
    assert b"/tree/locked.txt" in refused.body
    assert dav("GET", "/tree/locked.txt").status == 200
    assert dav("DELETE", "/tree", {"If": f"({token})"}).status == 412
    tagged = {"If": f"<http://localhost/tree/locked.txt> ({token})"}
    assert dav("DELETE", "/tree", tagged).status == 204
    assert dav.app.locks.discover("/tree/locked.txt") == []
