"""rclone (a real WebDAV client) syncing folder trees to ``shallot dav`` and back.

The tree is random but seeded: nested folders, spaces and non-ASCII names, empty, small and
multi-megabyte files. Checksums are compared three ways: the source, the server's folder on disk,
and what rclone downloads again.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
from typing import TYPE_CHECKING

import pytest
from dav_servers import dav_server

from shallot.testing import require_service

if TYPE_CHECKING:
    from pathlib import Path

NAMES = ["a", "notes", "Ünïcödé", "with space", "x.y.z", "日本", "dash-under_score"]


def random_tree(root: Path, seed: int) -> None:
    """Write a tree of ~40 files in up to three levels of folders."""
    rng = random.Random(seed)
    folders = [root]
    for index in range(8):
        parent = rng.choice(folders)
        folder = parent / f"{rng.choice(NAMES)} {index}"
        folder.mkdir(parents=True, exist_ok=True)
        folders.append(folder)
    for index in range(40):
        size = rng.choice([0, 1, 100, 4096, 65537, 300_000])
        (rng.choice(folders) / f"{rng.choice(NAMES)}-{index}.bin").write_bytes(rng.randbytes(size))
    (root / "large.bin").write_bytes(rng.randbytes(6 * 1024 * 1024 + 3))


def checksums(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``root``."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def rclone(tmp_path: Path) -> list[str]:
    """The rclone command, with an empty configuration of the test's own."""
    executable = require_service("rclone", "apt-get install rclone")
    config = tmp_path / "rclone.conf"
    config.write_text("")
    return [executable, "--config", str(config)]


def run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{command}:\n{done.stdout}{done.stderr}"


def remote(url: str, *options: str) -> list[str]:
    return ["--webdav-url", url, *options]


def test_sync_up_and_back_keeps_every_byte(rclone: list[str], tmp_path: Path) -> None:
    source, root, back = tmp_path / "source", tmp_path / "root", tmp_path / "back"
    for folder in (source, root, back):
        folder.mkdir()
    random_tree(source, seed=6)
    expected = checksums(source)
    with dav_server(root, str(tmp_path / "state")) as server:
        run([*rclone, "sync", str(source), ":webdav:synced", *remote(server.url)])
        assert checksums(root / "synced") == expected
        run([*rclone, "sync", ":webdav:synced", str(back), *remote(server.url)])
        assert checksums(back) == expected

        # Change the source: one file rewritten, one removed, one added; sync again.
        changed = sorted(p for p in source.rglob("*.bin") if p.stat().st_size > 0)
        changed[0].write_bytes(b"rewritten")
        changed[1].unlink()
        (source / "added.txt").write_bytes(b"added")
        expected = checksums(source)
        run([*rclone, "sync", str(source), ":webdav:synced", *remote(server.url)])
        assert checksums(root / "synced") == expected
        run([*rclone, "sync", ":webdav:synced", str(back), *remote(server.url)])
        assert checksums(back) == expected


def test_owncloud_mode_keeps_modification_times(rclone: list[str], tmp_path: Path) -> None:
    """rclone's ownCloud mode sends ``X-OC-Mtime``; the server sets the files' times from it, and
    ``rclone check`` then finds nothing to do."""
    source, root = tmp_path / "source", tmp_path / "root"
    source.mkdir()
    root.mkdir()
    random_tree(source, seed=7)
    for offset, path in enumerate(sorted(source.rglob("*.bin"))):
        stamp = 1_500_000_000 + offset * 3_600
        os.utime(path, (stamp, stamp))
    owncloud = ("--webdav-vendor", "owncloud")
    with dav_server(root, str(tmp_path / "state"), "--user", "ann:pw", "--auth", "basic") as server:
        credentials = ("--webdav-user", "ann", "--webdav-pass", obscure(rclone, "pw"))
        target = remote(server.url, *owncloud, *credentials)
        run([*rclone, "sync", str(source), ":webdav:mtimes", *target])
        run([*rclone, "check", str(source), ":webdav:mtimes", *target])
    for path in source.rglob("*.bin"):
        served = root / "mtimes" / path.relative_to(source)
        assert int(served.stat().st_mtime) == int(path.stat().st_mtime), path
    assert checksums(root / "mtimes") == checksums(source)


def obscure(rclone: list[str], password: str) -> str:
    """The password in rclone's obscured form, which ``--webdav-pass`` takes."""
    done = subprocess.run(
        [*rclone, "obscure", password], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()
