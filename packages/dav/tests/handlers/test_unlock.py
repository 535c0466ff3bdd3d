"""UNLOCK: the token must name a lock on the resource, taken by the same user."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client

LOCKINFO = (
    b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
    b"<D:locktype><D:write/></D:locktype></D:lockinfo>"
)


def test_unlock(dav: Client) -> None:
    dav("MKCOL", "/folder")
    dav.put("/folder/a")
    token = dav("LOCK", "/folder", body=LOCKINFO).headers["lock-token"]
    assert dav("UNLOCK", "/other", {"Lock-Token": token}).status == 409
    assert dav("UNLOCK", "/folder/a", {"Lock-Token": "<urn:uuid:nope>"}).status == 409
    assert dav("UNLOCK", "/folder/a", {"Lock-Token": token[1:-1]}).status == 400
    assert dav("UNLOCK", "/folder/a").status == 400
    assert dav("UNLOCK", "/folder/a", {"Lock-Token": token}).status == 204
    assert dav("UNLOCK", "/folder", {"Lock-Token": token}).status == 409


def test_unlock_by_another_user_is_forbidden(dav: Client) -> None:
    dav.put("/a")
    ann = {"REMOTE_USER": "ann"}
    token = dav("LOCK", "/a", body=LOCKINFO, environ=ann).headers["lock-token"]
    bob = {"REMOTE_USER": "bob"}
    assert dav("UNLOCK", "/a", {"Lock-Token": token}, environ=bob).status == 403
    assert dav.put("/a", b"x", {"If": f"({token})"}) == 423
    assert dav("PUT", "/a", {"If": f"({token})"}, b"x", environ=bob).status == 423
    assert dav("PUT", "/a", {"If": f"({token})"}, b"x", environ=ann).status == 204
    assert dav("UNLOCK", "/a", {"Lock-Token": token}, environ=ann).status == 204
