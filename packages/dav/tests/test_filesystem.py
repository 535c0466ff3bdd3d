"""FilesystemProvider: confinement, atomic writes, listings, and the filesystem's odd members."""

from __future__ import annotations

import os
import stat
import time
from typing import TYPE_CHECKING

import pytest

from shallot.dav import DAVError, FilesystemProvider, NamePolicy
from shallot.dav.filesystem import TEMP_PREFIX
from shallot.dav.local_trees import STALE_TEMPORARY_SECONDS

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


def test_root_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        FilesystemProvider(tmp_path / "missing")


def test_symlinks_leading_outside_are_refused_and_unlisted(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (root / "inside.txt").write_text("ok")
    (root / "file-link").symlink_to(outside / "secret.txt")
    (root / "dir-link").symlink_to(outside)
    (root / "good-link").symlink_to(root / "inside.txt")
    provider = FilesystemProvider(root)
    for path in ("/file-link", "/dir-link", "/dir-link/secret.txt"):
        with pytest.raises(DAVError) as raised:
            provider.info(path)
        assert raised.value.status == 403
    with pytest.raises(DAVError):
        provider.write("/dir-link/new.txt", [b"x"])
    assert not (outside / "new.txt").exists()
    assert sorted(member.name for member in provider.members("/")) == ["good-link", "inside.txt"]
    good = provider.info("/good-link")
    assert good is not None
    assert good.size == 2


def test_a_sibling_sharing_the_prefix_is_outside(root: Path, tmp_path: Path) -> None:
    evil = tmp_path / "share_evil"
    evil.mkdir()
    (evil / "loot").write_text("x")
    (root / "jump").symlink_to(evil)
    provider = FilesystemProvider(root)
    with pytest.raises(DAVError) as raised:
        provider.info("/jump/loot")
    assert raised.value.status == 403


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(root: Path) -> None:
    provider = FilesystemProvider(root)
    (root / "doc.txt").write_bytes(b"old content")
    os.chmod(root / "doc.txt", 0o640)

    def broken() -> object:
        yield b"new "
        raise DAVError(400, "the request body ended before its Content-Length")

    with pytest.raises(DAVError):
        provider.write("/doc.txt", broken())  # type: ignore[arg-type]
    assert (root / "doc.txt").read_bytes() == b"old content"
    assert os.listdir(root) == ["doc.txt"]
    written = provider.write("/doc.txt", [b"new"])
    info = provider.info("/doc.txt")
    assert info is not None
    assert (written.created, written.etag) == (False, info.etag)
    assert (root / "doc.txt").read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(root / "doc.txt").st_mode) == 0o640
    assert os.listdir(root) == ["doc.txt"]


def test_temporary_and_odd_members_are_invisible(root: Path) -> None:
    (root / f"{TEMP_PREFIX}abc").write_text("partial")
    os.mkfifo(root / "pipe")
    (root / os.fsdecode(b"bad\xffname")).write_text("x")
    (root / "ok").write_text("x")
    provider = FilesystemProvider(root)
    assert [member.name for member in provider.members("/")] == ["ok"]
    assert provider.info(f"/{TEMP_PREFIX}abc") is None
    with pytest.raises(DAVError) as raised:
        provider.open(f"/{TEMP_PREFIX}abc")
    assert raised.value.status == 404
    assert provider.info("/pipe") is None


@pytest.mark.parametrize("readonly", [False, True])
def test_a_leftover_temporary_file_goes_when_its_folder_is_listed(
    root: Path, readonly: bool
) -> None:
    """A server killed mid-upload leaves its temporary file: hidden, but taking space and quota.
    Listing the folder removes one nothing wrote to for a day; a live upload's stays, and a
    read-only share changes nothing."""
    (root / "folder").mkdir()
    stale = root / "folder" / f"{TEMP_PREFIX}old"
    live = root / "folder" / f"{TEMP_PREFIX}new"
    stale.write_text("partial")
    live.write_text("partial")
    stale_copy = root / "folder" / f"{TEMP_PREFIX}copy"  # a folder's copy, cut short
    (stale_copy / "sub").mkdir(parents=True)
    (stale_copy / "sub" / "member.txt").write_text("copied")
    hour_ago = time.time() - STALE_TEMPORARY_SECONDS - 5
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(stale_copy, (hour_ago, hour_ago))
    provider = FilesystemProvider(root, readonly=readonly)
    assert list(provider.members("/folder")) == []
    assert stale.exists() == readonly
    assert stale_copy.exists() == readonly
    assert live.exists()


def test_hidden_and_refused_names(root: Path) -> None:
    provider = FilesystemProvider(root, names=NamePolicy(hidden=[".DS_Store"], refused=["._*"]))
    provider.write("/.DS_Store", [b"finder"])
    assert provider.info("/.DS_Store") is not None
    assert list(provider.members("/")) == []
    with pytest.raises(DAVError) as refused:
        provider.write("/._doc", [b"fork"])
    assert refused.value.status == 403
    (root / "._old").write_text("x")
    assert provider.info("/._old") is None
    with pytest.raises(DAVError) as unreachable:
        provider.delete("/._old")
    assert unreachable.value.status == 404


def test_tree_operations_and_quota(root: Path) -> None:
    provider = FilesystemProvider(root, quota_bytes=100)
    provider.make_collection("/a")
    provider.make_collection("/a/b")
    written = provider.write("/a/b/f", [b"x" * 10], modified=1_000_000_000)
    assert os.stat(root / "a/b/f").st_mtime == 1_000_000_000
    info = provider.info("/a/b/f")
    assert info is not None
    assert (written.created, written.etag) == (True, info.etag)
    assert provider.copy("/a", "/c", recursive=True) == []
    assert os.stat(root / "c/b/f").st_mtime == 1_000_000_000
    assert provider.copy("/a", "/d", recursive=False) == []
    assert os.listdir(root / "d") == []
    assert provider.move("/c", "/e") == []
    assert sorted(os.listdir(root)) == ["a", "d", "e"]
    assert provider.quota("/") == (20, 80)
    assert provider.quota("/a") == (10, 80)
    with pytest.raises(DAVError) as full:
        provider.write("/big", [b"x" * 50], size=81)
    assert full.value.status == 507
    with pytest.raises(DAVError) as streamed:
        provider.write("/big", [b"x" * 50, b"y" * 50])
    assert streamed.value.status == 507
    assert not (root / "big").exists()
    provider.write("/fill", [b"x" * 75])
    with pytest.raises(DAVError) as copied:
        provider.copy("/e", "/f", recursive=True)
    assert (copied.value.status, copied.value.condition) == (507, "quota-not-exceeded")
    assert provider.delete("/a") == []
    assert provider.match_case("/E/B/F") == "/e/b/f"
    assert provider.match_case("/E/none") is None


def test_statuses_of_refused_changes(root: Path) -> None:
    provider = FilesystemProvider(root)
    (root / "file").write_text("x")
    cases: list[tuple[Callable[[], object], int]] = [
        (lambda: provider.make_collection("/file"), 405),
        (lambda: provider.make_collection("/missing/x"), 409),
        (lambda: provider.write("/missing/x", [b""]), 409),
        (lambda: provider.write("/file/x", [b""]), 409),
        (lambda: provider.delete("/missing"), 404),
        (lambda: provider.move("/missing", "/x"), 404),
        (lambda: provider.copy("/file", "/missing/x", recursive=True), 409),
        (lambda: provider.write("/", [b""]), 405),
    ]
    for action, status in cases:
        with pytest.raises(DAVError) as raised:
            action()
        assert raised.value.status == status
    readonly = FilesystemProvider(root, readonly=True)
    with pytest.raises(DAVError) as refused:
        readonly.write("/new", [b""])
    assert refused.value.status == 403
