"""The directory browser: an accessible listing, sortable without JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav import DAVConfig, build_app

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from packages.dav.tests.conftest import Client, Result


def names_in_order(page: str, *names: str) -> list[int]:
    return [page.index(f">{name}</a>") for name in names]


def test_listing_and_sorting(fs: Client, share: Path) -> None:
    (share / "b.txt").write_bytes(b"x" * 3000)
    (share / "a.txt").write_bytes(b"x")
    (share / "zdir").mkdir()
    page = fs("GET", "/").text
    assert "<table>" in page
    assert 'aria-sort="ascending"' in page
    assert "<script" not in page
    folder, first, second = names_in_order(page, "zdir", "a.txt", "b.txt")
    assert folder < first < second
    assert "2.9 KiB" in page
    by_size = fs("GET", "/?sort=size&order=desc").text
    assert names_in_order(by_size, "b.txt", "a.txt") == sorted(
        names_in_order(by_size, "b.txt", "a.txt")
    )
    assert "sorted by size, descending" in by_size
    assert "Parent folder" not in page
    assert 'href="?sort=name&amp;order=desc"' in page


def test_subfolders_link_back_and_files_pass_through(fs: Client, share: Path) -> None:
    (share / "sub").mkdir()
    (share / "sub" / "caf\u00e9 & co.txt").write_text("x")
    page = fs("GET", "/sub/").text
    assert 'href="../"' in page
    assert 'href="caf%C3%A9%20&amp;%20co.txt"' in page
    assert 'Index of <span class="path">/sub/</span>' in page
    assert fs("GET", "/sub/caf\u00e9 & co.txt").body == b"x"
    assert fs("HEAD", "/sub/").body == b""


def test_browser_off(share: Path, send: Callable[..., Result]) -> None:
    app = build_app(DAVConfig(shares={"/": share}, browser=False))
    assert send(app, "GET", "/").status == 403
    app.close()
