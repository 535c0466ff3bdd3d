"""Shares: several providers in one app, resolved by the longest mount, segment by segment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shallot.dav import DAVConfig, DAVError, MemoryProvider, Shares, build_app
from shallot.dav.shares import TARGET_KEY

if TYPE_CHECKING:
    from collections.abc import Callable

    from packages.dav.tests.conftest import Result


def test_resolution() -> None:
    root, photos, deep = MemoryProvider(), MemoryProvider(), MemoryProvider()
    shares = Shares({"/": root, "/photos": photos, "/photos/raw": deep})
    assert shares.resolve("/photos2/x") == (shares.resolve("/")[0], "/photos2/x")  # type: ignore[index]
    target = shares.resolve("/photos/raw/a.nef")
    assert target is not None
    assert (target.share.provider, target.path, target.url) == (deep, "/a.nef", "/photos/raw/a.nef")
    top = shares.resolve("/photos")
    assert top is not None
    assert (top.share.provider, top.path, top.url) == (photos, "/", "/photos")
    only = Shares({"/dav": root})
    assert only.resolve("/other") is None
    with pytest.raises(DAVError) as raised:
        only.target({"PATH_INFO": "/other"})
    assert raised.value.status == 404
    environ: dict[str, object] = {"PATH_INFO": "/dav/a%20b"}
    assert only.target(environ).url == "/dav/a%2520b"
    assert environ[TARGET_KEY] == only.target(environ)


def test_several_shares_in_one_app(send: Callable[..., Result]) -> None:
    one, two = MemoryProvider(), MemoryProvider()
    app = build_app(DAVConfig(shares={"/": Path("/unused")}), providers={"/one": one, "/two": two})
    assert send(app, "PUT", "/one/a.txt", body=b"a").status == 201
    assert send(app, "GET", "/two/a.txt").status == 404
    assert send(app, "GET", "/three/a.txt").status == 404
    copied = send(app, "COPY", "/one/a.txt", {"Destination": "/two/b.txt"})
    assert copied.status == 201
    assert send(app, "GET", "/two/b.txt").body == b"a"
    send(app, "MKCOL", "/one/dir")
    send(app, "PUT", "/one/dir/x", body=b"x")
    moved = send(app, "MOVE", "/one/dir", {"Destination": "/two/dir"})
    assert moved.status == 201
    assert send(app, "GET", "/two/dir/x").body == b"x"
    assert send(app, "GET", "/one/dir/x").status == 404
    found = send(app, "PROPFIND", "/two", {"Depth": "1"})
    assert b"<D:href>/two/dir/</D:href>" in found.body
    app.close()


def test_options_star_is_answered_without_a_share_at_the_root(
    send: Callable[..., Result],
) -> None:
    app = build_app(DAVConfig(shares={"/": Path("/unused")}), providers={"/one": MemoryProvider()})
    star = send(app, "OPTIONS", "/*", environ={"REQUEST_URI": "*"})
    assert star.status == 200
    assert "MKCOL" in star.headers["allow"]
    assert send(app, "OPTIONS", "/*").status == 404  # a resource named "*", outside every share
    assert send(app, "GET", "/*", environ={"REQUEST_URI": "*"}).status == 404
    app.close()
