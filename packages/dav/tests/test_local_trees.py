"""Local trees: recursive delete with partial failures, copy through links, sizes, statuses."""

from __future__ import annotations

import errno
import os
import subprocess
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from shallot.dav import DAVError
from shallot.dav.local_trees import TEMP_PREFIX, copy_tree, delete_tree, os_status, tree_size

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@contextmanager
def undeletable(file: Path) -> Iterator[None]:
    """Make ``file`` impossible to unlink for this process: immutable when running as root
    (who ignores permissions), its folder read-only otherwise."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(file)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(file)], check=True)
    else:
        file.parent.chmod(0o500)
        try:
            yield
        finally:
            file.parent.chmod(0o700)


def test_partial_delete_reports_the_member_not_its_ancestors(tmp_path: Path) -> None:
    top = tmp_path / "top"
    (top / "keep" / "deeper").mkdir(parents=True)
    (top / "gone").mkdir()
    (top / "gone" / "a").write_text("a")
    stuck = top / "keep" / "deeper" / "stuck.txt"
    stuck.write_text("x")
    (top / "keep" / "sibling.txt").write_text("y")
    with undeletable(stuck):
        failures = delete_tree(str(top), "/top")
    assert [(failure.href, failure.status) for failure in failures] == [
        ("/top/keep/deeper/stuck.txt", 403)
    ]
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "top",
        "top/keep",
        "top/keep/deeper",
        "top/keep/deeper/stuck.txt",
    ]


def test_delete_removes_links_not_their_targets(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_text("p")
    top = tmp_path / "top"
    top.mkdir()
    (top / "link").symlink_to(outside)
    assert delete_tree(str(top), "/top") == []
    assert (outside / "precious").read_text() == "p"
    assert not top.exists()


def test_copy_follows_links_inside_only(tmp_path: Path) -> None:
    share = tmp_path / "share"
    (share / "src" / "sub").mkdir(parents=True)
    (share / "src" / "sub" / "f").write_text("f")
    (share / "src" / f"{TEMP_PREFIX}partial").write_text("no")
    (share / "other").mkdir()
    (share / "other" / "g").write_text("g")
    (share / "src" / "inside").symlink_to(share / "other")
    (share / "src" / "outside").symlink_to(tmp_path)

    def inside(local: str) -> bool:
        return os.path.realpath(local).startswith(str(share) + os.sep)

    failures = copy_tree(
        str(share / "src"), str(share / "dst"), "/dst", recursive=True, inside=inside
    )
    assert failures == []
    assert sorted(os.listdir(share / "dst")) == ["inside", "sub"]
    assert (share / "dst" / "inside" / "g").read_text() == "g"
    assert not (share / "dst" / "inside").is_symlink()
    with pytest.raises(DAVError) as raised:
        copy_tree(str(share / "src"), str(share / "dst"), "/dst", recursive=True, inside=inside)
    assert raised.value.status == 409


def test_sizes_and_statuses(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").write_bytes(b"x" * 10)
    (tmp_path / "two").write_bytes(b"x" * 5)
    (tmp_path / "link").symlink_to(tmp_path / "two")
    assert tree_size(str(tmp_path)) == 15
    assert os_status(OSError(errno.EACCES, "x")) == 403
    assert os_status(OSError(errno.ENOSPC, "x")) == 507
    assert os_status(OSError(errno.ENOENT, "x")) == 404
    assert os_status(OSError(errno.ENOTEMPTY, "x")) == 409
