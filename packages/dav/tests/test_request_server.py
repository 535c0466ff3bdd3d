"""RequestServer: dispatch by method, on its own or behind the stack, and whole-server options."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from shallot.dav import (
    DAVConfig,
    DAVSettings,
    ErrorPrinter,
    Failure,
    MemoryProvider,
    RequestServer,
    Shares,
    build_app,
)
from shallot.dav.handlers.get_head import PlainFileResponse
from shallot.locks import LockManager, MemoryLockStorage
from shallot.props import MemoryPropertyStorage, PropertyManager

if TYPE_CHECKING:
    from collections.abc import Callable

    from packages.dav.tests.conftest import Result


class StubbornProvider(MemoryProvider):
    """Deletes trees but for one member, which it reports as failed (403)."""

    def delete(self, path: str) -> list[Failure]:
        if path == "/tree":
            return [Failure("/tree/stuck.txt", 403)]
        return super().delete(path)


def settings(provider: MemoryProvider, **options: bool) -> DAVSettings:
    return DAVSettings(
        shares=Shares({"/": provider}),
        locks=LockManager(MemoryLockStorage()),
        props=PropertyManager(MemoryPropertyStorage()),
        **options,
    )


def test_dispatch_without_the_rest_of_the_stack(send: Callable[..., Result]) -> None:
    server = ErrorPrinter(RequestServer(settings(MemoryProvider())))
    assert send(server, "PUT", "/a", body=b"a").status == 201
    assert send(server, "GET", "/a").body == b"a"
    assert send(server, "GET", "/../x").status == 400
    assert send(server, "BREW", "/a").status == 405


def test_partial_delete_is_a_207(send: Callable[..., Result]) -> None:
    provider = StubbornProvider()
    server = ErrorPrinter(RequestServer(settings(provider)))
    send(server, "MKCOL", "/tree")
    result = send(server, "DELETE", "/tree")
    assert result.status == 207
    assert b"<D:href>/tree/stuck.txt</D:href>" in result.body
    assert b"HTTP/1.1 403 Forbidden" in result.body
    assert b"<D:href>/tree/</D:href>" not in result.body


def test_propfind_infinity_when_enabled(send: Callable[..., Result]) -> None:
    provider = MemoryProvider()
    server = ErrorPrinter(RequestServer(settings(provider, propfind_infinity=True)))
    send(server, "MKCOL", "/a")
    send(server, "MKCOL", "/a/b")
    send(server, "PUT", "/a/b/c.txt", body=b"c")
    result = send(server, "PROPFIND", "/", {"Depth": "infinity"})
    hrefs = [part.split("<")[0] for part in result.text.split("<D:href>")[1:]]
    assert hrefs == ["/", "/a/", "/a/b/", "/a/b/c.txt"]


def test_quota_through_put(tmp_path: Path, send: Callable[..., Result]) -> None:
    share = tmp_path / "share"
    share.mkdir()
    app = build_app(DAVConfig(shares={"/": share}, quota_bytes=10))
    assert send(app, "PUT", "/a", body=b"12345678").status == 201
    assert send(app, "PUT", "/b", body=b"12345").status == 507
    assert send(app, "PUT", "/a", body=b"1234567890").status == 204
    assert sorted(os.listdir(share)) == ["a"]
    app.close()


def test_a_file_that_vanishes_before_it_is_sent(
    tmp_path: Path, send: Callable[..., Result]
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    (share / "a").write_text("a")
    app = build_app(DAVConfig(shares={"/": share}))
    (share / "a").unlink()
    gone = send(ErrorPrinter(PlainFileResponse(str(share / "a"), "text/plain", '"x"')), "GET")
    assert gone.status == 404
    app.close()


def test_the_target_resolved_in_front_is_used(send: Callable[..., Result]) -> None:
    provider = MemoryProvider()
    app = build_app(DAVConfig(shares={"/": Path("/unused")}), providers={"/dav": provider})
    assert send(app, "PUT", "/dav/x", body=b"x").status == 201
    assert send(app, "OPTIONS", "/elsewhere").status == 404
    assert send(app, "PROPFIND", "/dav/", {"Depth": "1"}).status == 207
    app.close()
