"""Local trees: recursive delete with partial failures, copy through links, sizes, statuses."""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from shallot.dav import DAVError
from shallot.dav.local_trees import (
    TEMP_PREFIX,
    _copy_contents,
    copy_tree,
    delete_tree,
    os_status,
    tree_size,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from shallot.dav.errors import Failure


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


def test_a_folder_copy_goes_into_place_whole(tmp_path: Path) -> None:
    """A folder's copy is made hidden beside the destination and renamed into place at the end:
    while it is made, the destination does not exist (seen from the ``inside`` callback, which
    the copy calls at the link); afterwards nothing hidden is left and the folder has the
    source's times."""
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.txt").write_text("b")
    (source / "zlink").symlink_to(source / "a.txt")
    os.utime(source, ns=(1_600_000_000_000_000_000, 1_500_000_000_000_000_000))
    seen: list[tuple[bool, list[str]]] = []

    def inside(local: str) -> bool:
        hidden = [name for name in os.listdir(tmp_path) if name.startswith(TEMP_PREFIX)]
        seen.append(((tmp_path / "dst").exists(), hidden))
        return True

    failures = copy_tree(str(source), str(tmp_path / "dst"), "/dst", recursive=True, inside=inside)
    assert failures == []
    assert len(seen) == 1
    assert seen[0][0] is False
    assert len(seen[0][1]) == 1
    assert sorted(os.listdir(tmp_path)) == ["dst", "src"]
    assert sorted(os.listdir(tmp_path / "dst")) == ["a.txt", "sub", "zlink"]
    assert (tmp_path / "dst" / "sub" / "b.txt").read_text() == "b"
    assert (tmp_path / "dst" / "zlink").read_text() == "a"
    assert os.stat(tmp_path / "dst").st_mtime_ns == 1_500_000_000_000_000_000


def test_a_folder_copy_that_cannot_go_into_place_leaves_nothing(tmp_path: Path) -> None:
    """A folder made at the destination while the copy was made (with a member: not replaced)
    keeps what it holds; the copy is 409 and its hidden folder is gone. A destination already
    there is 409 before anything is made."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("a")
    (source / "link").symlink_to(source / "a.txt")
    target = tmp_path / "dst"

    def inside(local: str) -> bool:
        target.mkdir()
        (target / "theirs.txt").write_text("theirs")
        return True

    with pytest.raises(DAVError) as raised:
        copy_tree(str(source), str(target), "/dst", recursive=True, inside=inside)
    assert raised.value.status == 409
    assert sorted(os.listdir(tmp_path)) == ["dst", "src"]
    assert os.listdir(target) == ["theirs.txt"]
    with pytest.raises(DAVError) as again:
        _copy_anywhere(source, target, recursive=True)
    assert again.value.status == 409
    assert sorted(os.listdir(tmp_path)) == ["dst", "src"]


def _copy_anywhere(source: Path, target: Path, *, recursive: bool) -> list[Failure]:
    """copy_tree with every link taken as inside the share."""
    return copy_tree(
        str(source), str(target), "/" + target.name, recursive=recursive, inside=lambda _: True
    )


def test_copy_keeps_content_mode_and_times(tmp_path: Path) -> None:
    content = os.urandom(2 * 1024 * 1024 + 12_345)  # more than one step of the copy
    source = tmp_path / "big.bin"
    source.write_bytes(content)
    source.chmod(0o640)
    os.utime(source, ns=(1_600_000_000_123_456_789, 1_500_000_000_987_654_321))
    assert _copy_anywhere(source, tmp_path / "copy.bin", recursive=False) == []
    copied = os.stat(tmp_path / "copy.bin")
    assert (tmp_path / "copy.bin").read_bytes() == content
    assert stat.S_IMODE(copied.st_mode) == 0o640
    assert copied.st_mtime_ns == 1_500_000_000_987_654_321
    assert copied.st_atime_ns == 1_600_000_000_123_456_789
    assert sorted(os.listdir(tmp_path)) == ["big.bin", "copy.bin"]  # no temporary file left


def test_copy_contents_without_the_kernel_copy(tmp_path: Path) -> None:
    # copy_file_range refuses a pipe (EINVAL), as it refuses another file system on an older
    # kernel: the copy goes on by reads and writes.
    content = os.urandom(300_000)
    reading, feeding = os.pipe()

    def feed() -> None:
        os.write(feeding, content)
        os.close(feeding)

    feeder = threading.Thread(target=feed)
    feeder.start()
    target = os.open(tmp_path / "out", os.O_WRONLY | os.O_CREAT)
    try:
        _copy_contents(reading, target)
    finally:
        os.close(target)
        os.close(reading)
        feeder.join()
    assert (tmp_path / "out").read_bytes() == content


def test_copy_leaves_out_what_is_never_shown(tmp_path: Path) -> None:
    """Pipes, sockets, devices and dangling links are not resources: a folder's COPY skips
    them (opening a pipe to read would wait for a writer forever), and one named as the source
    is refused, with nothing left behind."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "file").write_text("f")
    os.mkfifo(source / "pipe")
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(source / "socket"))
    (source / "dangling").symlink_to(tmp_path / "nowhere")
    outcome: list[object] = []

    def copy() -> None:
        outcome.append(_copy_anywhere(source, tmp_path / "dst", recursive=True))

    worker = threading.Thread(target=copy, daemon=True)
    worker.start()
    worker.join(10)
    listening.close()
    assert outcome == [[]]
    assert os.listdir(tmp_path / "dst") == ["file"]
    with pytest.raises(DAVError) as raised:
        _copy_anywhere(source / "pipe", tmp_path / "pipe-copy", recursive=False)
    assert raised.value.status == 403
    assert sorted(os.listdir(tmp_path)) == ["dst", "src"]


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
