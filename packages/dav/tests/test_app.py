"""build_app: the stack for a configuration, its storages, and what it refuses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.dav import (
    ConfigError,
    DAVConfig,
    ErrorPrinter,
    RequestServer,
    build_app,
)
from shallot.locks import LockManager, MemoryLockStorage
from shallot.props import MemoryPropertyStorage, PropertyManager

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from packages.dav.tests.conftest import Result


def test_stack_and_storages(share: Path, tmp_path: Path, send: Callable[..., Result]) -> None:
    app = build_app(DAVConfig(shares={"/": share}, state=str(tmp_path / "state")))
    assert isinstance(app.app, ErrorPrinter)
    assert send(app, "PUT", "/a", body=b"a").status == 201
    token = send(
        app,
        "LOCK",
        "/a",
        body=b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>'
        b"<D:locktype><D:write/></D:locktype></D:lockinfo>",
    ).headers["lock-token"]
    app.close()
    again = build_app(DAVConfig(shares={"/": share}, state=str(tmp_path / "state")))
    assert again.locks.get(token[1:-1]) is not None
    assert send(again, "PUT", "/a", body=b"b").status == 423
    again.close()


def test_given_managers_are_used_and_not_closed(share: Path, send: Callable[..., Result]) -> None:
    locks = LockManager(MemoryLockStorage())
    props = PropertyManager(MemoryPropertyStorage())
    one = build_app(DAVConfig(shares={"/": share}), lock_manager=locks, property_manager=props)
    two = build_app(DAVConfig(shares={"/": share}), lock_manager=locks, property_manager=props)
    send(one, "PUT", "/a", body=b"a")
    send(
        one,
        "PROPPATCH",
        "/a",
        body=b'<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x>'
        b"</D:prop></D:set></D:propertyupdate>",
    )
    one.close()
    assert b"urn:x" in send(two, "PROPFIND", "/a", {"Depth": "0"}).body
    two.close()


def test_readonly_and_auth(share: Path, send: Callable[..., Result]) -> None:
    readonly = build_app(DAVConfig(shares={"/": share}, readonly=True))
    assert send(readonly, "PUT", "/a", body=b"a").status == 403
    assert send(readonly, "MKCOL", "/d").status == 403
    assert send(readonly, "PROPFIND", "/", {"Depth": "0"}).status == 207
    readonly.close()
    guarded = build_app(DAVConfig(shares={"/": share}, auth="digest", users={"ann": "pw"}))
    challenge = send(guarded, "PROPFIND", "/", {"Depth": "0"})
    assert challenge.status == 401
    assert challenge.headers["www-authenticate"].startswith("Digest ")
    guarded.close()
    basic = build_app(
        DAVConfig(shares={"/": share}, auth="basic", users={"ann": "pw"}, basic_over_http=True)
    )
    ok = send(basic, "PROPFIND", "/", {"Depth": "0", "Authorization": "Basic YW5uOnB3"})
    assert ok.status == 207
    basic.close()


def test_htdigest_users(share: Path, tmp_path: Path, send: Callable[..., Result]) -> None:
    from shallot.auth import PasswordMap

    file = tmp_path / "users.htdigest"
    passwords = PasswordMap(file)
    passwords.set("files", "ann", "pw")
    passwords.save()
    app = build_app(DAVConfig(shares={"/": share}, auth="digest", realm="files", htdigest=file))
    assert 'realm="files"' in send(app, "GET", "/").headers["www-authenticate"]
    app.close()


def test_missing_share_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        build_app(DAVConfig(shares={"/": tmp_path / "missing"}))
    assert raised.value.field == "shares"


def test_request_server_alone(share: Path, send: Callable[..., Result]) -> None:
    app = build_app(DAVConfig(shares={"/": share}))
    server = RequestServer(app.app.app.app.app.settings)  # type: ignore[attr-defined]
    assert send(server, "OPTIONS", "/").status == 200
    app.close()
