"""LOCK: exclusive and shared locks, depth, timeout, refresh, conflicts, unmapped URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.dav.errors import DAVError
from shallot.dav.handlers.lock import REMEMBERED_SIZE, LockRequest, read_lockinfo

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client, Result

D = "{DAV:}"


def lockinfo(scope: str = "exclusive", owner: str = "") -> bytes:
    return (
        f'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:{scope}/></D:lockscope>'
        f"<D:locktype><D:write/></D:locktype>{owner}</D:lockinfo>"
    ).encode()


def lock(dav: Client, path: str, scope: str = "exclusive", **headers: str) -> Result:
    return dav("LOCK", path, headers, lockinfo(scope))


def test_exclusive_lock_answer(dav: Client) -> None:
    dav.put("/a")
    result = dav(
        "LOCK",
        "/a",
        {"Timeout": "Second-600", "Depth": "0"},
        lockinfo(owner="<D:owner><D:href>mailto:ann@example.org</D:href></D:owner>"),
    )
    assert result.status == 200
    token = result.headers["lock-token"]
    assert token.startswith("<urn:uuid:")
    active = result.xml().find(f"{D}lockdiscovery/{D}activelock")
    assert active is not None
    assert active.findtext(f"{D}locktoken/{D}href") == token[1:-1]
    assert active.findtext(f"{D}depth") == "0"
    assert active.findtext(f"{D}timeout") == "Second-600"
    assert active.findtext(f"{D}owner/{D}href") == "mailto:ann@example.org"
    assert active.find(f"{D}lockscope/{D}exclusive") is not None


def test_conflicts_and_shared_locks(dav: Client) -> None:
    dav.put("/a")
    assert lock(dav, "/a", "shared").status == 200
    assert lock(dav, "/a", "shared").status == 200
    refused = lock(dav, "/a")
    assert refused.status == 423
    assert b"no-conflicting-lock" in refused.body
    assert b"<D:href>/a</D:href>" in refused.body


def test_depth_infinity_lock_covers_members(dav: Client) -> None:
    dav("MKCOL", "/folder")
    token = lock(dav, "/folder").headers["lock-token"]
    assert dav.put("/folder/new.txt") == 423
    assert dav.put("/folder/new.txt", headers={"If": "(<urn:uuid:other>)"}) == 412
    assert dav.put("/folder/new.txt", headers={"If": f"({token})"}) == 201
    assert dav.put("/folder/new.txt", headers={"If": f"</folder> ({token})"}) == 204
    assert lock(dav, "/folder/new.txt").status == 423


def test_refresh(dav: Client) -> None:
    dav.put("/a")
    token = lock(dav, "/a", Timeout="Second-100").headers["lock-token"]
    refreshed = dav("LOCK", "/a", {"If": f"({token})", "Timeout": "Second-500"})
    assert refreshed.status == 200
    assert "lock-token" not in refreshed.headers
    assert refreshed.xml().findtext(f"{D}lockdiscovery/{D}activelock/{D}timeout") == "Second-500"
    assert dav("LOCK", "/a", {"If": "(<urn:uuid:unknown>)"}).status == 412
    assert dav("LOCK", "/a").status == 400


def test_locking_an_unmapped_url_creates_an_empty_resource(dav: Client) -> None:
    result = lock(dav, "/new.docx")
    assert result.status == 201
    got = dav("GET", "/new.docx")
    assert (got.status, got.body) == (200, b"")
    token = result.headers["lock-token"]
    assert dav.put("/new.docx", b"content", {"If": f"({token})"}) == 204
    assert lock(dav, "/missing/parent/x").status == 409
    assert dav.app.locks.discover("/missing/parent/x") == []


def test_bad_lock_requests(dav: Client) -> None:
    dav.put("/a")
    assert dav("LOCK", "/a", {"Timeout": "Whenever"}, lockinfo()).status == 400
    assert dav("LOCK", "/a", {"Depth": "1"}, lockinfo()).status == 400
    assert dav("LOCK", "/a", body=b"<D:lockinfo xmlns:D='DAV:'/>").status == 400
    read = lockinfo().replace(b"<D:write/>", b"<D:read/>")
    assert dav("LOCK", "/a", body=read).status == 400


def test_the_same_lockinfo_again_is_remembered_not_parsed_again() -> None:
    body = lockinfo("shared", "<D:owner>remembered</D:owner>")
    first = read_lockinfo(body)
    assert first == LockRequest(exclusive=False, owner='<owner xmlns="DAV:">remembered</owner>')
    assert read_lockinfo(bytes(body)) is first
    padded = body.replace(b"<D:owner>", b" " * REMEMBERED_SIZE + b"<D:owner>")
    assert read_lockinfo(padded) == first
    assert read_lockinfo(padded) is not read_lockinfo(padded)


def test_a_bad_lockinfo_is_refused_every_time(dav: Client) -> None:
    """Errors are not remembered: the same bad body is parsed, and refused, again."""
    dav.put("/a")
    bad = lockinfo().replace(b"<D:write/>", b"<D:read/>")
    for _ in range(2):
        with pytest.raises(DAVError):
            read_lockinfo(bad)
        assert dav("LOCK", "/a", body=bad).status == 400
        assert dav("LOCK", "/a", body=b"<D:lockinfo").status == 400
    token = lock(dav, "/a").headers["lock-token"]
    assert dav("UNLOCK", "/a", {"Lock-Token": token}).status == 204
    assert lock(dav, "/a").status == 200


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("MKCOL", "/folder/sub", {}),
        ("DELETE", "/folder/member.txt", {}),
        ("MOVE", "/folder/member.txt", {"Destination": "/outside.txt"}),
        ("MOVE", "/outside.txt", {"Destination": "/folder/in.txt"}),
        ("COPY", "/outside.txt", {"Destination": "/folder/in.txt"}),
    ],
)
def test_a_depth_0_lock_on_a_folder_guards_its_members_coming_and_going(
    dav: Client, method: str, path: str, headers: dict[str, str]
) -> None:
    """Creating or removing a member changes the folder: its lock's token must be submitted,
    and the 423 names the folder."""
    dav("MKCOL", "/folder")
    dav.put("/folder/member.txt", b"m")
    dav.put("/outside.txt", b"o")
    token = lock(dav, "/folder", Depth="0").headers["lock-token"]
    refused = dav(method, path, headers)
    assert refused.status == 423
    assert b"lock-token-submitted" in refused.body
    assert b"<D:href>/folder</D:href>" in refused.body
    assert dav("PROPFIND", "/folder", {"Depth": "1"}).text.count("<D:response>") == 2
    done = dav(method, path, {**headers, "If": f"</folder> ({token})"})
    assert done.status in (201, 204)
