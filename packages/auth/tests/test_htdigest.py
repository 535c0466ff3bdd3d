"""HtdigestUserStore over files the real htdigest wrote (typed at on a terminal), reloaded."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest

from shallot.auth.digest import DigestAlgorithm
from shallot.auth.errors import PasswordFileError
from shallot.auth.htdigest import HtdigestUserStore

if TYPE_CHECKING:
    from pathlib import Path

    from packages.auth.tests.conftest import Kit


def htdigest_set(kit: Kit, program: str, path: Path, realm: str, user: str, password: str) -> None:
    """Add or change a user with the real htdigest, typing the password on a terminal."""
    create = [] if path.exists() else ["-c"]
    output, status = kit.run_in_terminal(
        [program, *create, str(path), realm, user],
        [("New password:", password), ("Re-type new password:", password)],
    )
    assert status == 0, output
    assert password not in output


def test_a_file_written_by_htdigest(kit: Kit, htdigest: str, tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    htdigest_set(kit, htdigest, path, "files", "alice", "wonderland")
    htdigest_set(kit, htdigest, path, "admin", "alice", "other secret")
    store = HtdigestUserStore(path)
    expected = hashlib.md5(b"alice:files:wonderland").hexdigest()
    assert store.digest_ha1("files", "alice", DigestAlgorithm.MD5) == expected
    assert store.digest_ha1("files", "alice", DigestAlgorithm.MD5_SESS) == expected
    assert store.digest_ha1("files", "alice", DigestAlgorithm.SHA256) is None
    assert store.digest_ha1("files", "bob", DigestAlgorithm.MD5) is None
    assert store.check_password("files", "alice", "wonderland")
    assert store.check_password("admin", "alice", "other secret")
    assert not store.check_password("admin", "alice", "wonderland")
    assert list(store.usernames("files")) == ["alice"]
    assert str(store.path) == str(path)


def test_a_password_changed_by_htdigest_takes_effect(
    kit: Kit, htdigest: str, tmp_path: Path
) -> None:
    path = tmp_path / "users.htdigest"
    htdigest_set(kit, htdigest, path, "files", "alice", "first")
    store = HtdigestUserStore(path)
    assert store.check_password("files", "alice", "first")
    htdigest_set(kit, htdigest, path, "files", "alice", "second")
    htdigest_set(kit, htdigest, path, "files", "bob", "builder")
    assert not store.check_password("files", "alice", "first")
    assert store.check_password("files", "alice", "second")
    assert store.check_password("files", "bob", "builder")
    assert sorted(store.usernames("files")) == ["alice", "bob"]


def test_bad_files_are_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    path.write_text("# comment\n\nalice:files:" + "0" * 32 + "\nbob:files\n")
    with pytest.raises(PasswordFileError) as raised:
        HtdigestUserStore(path)
    assert raised.value.line == 4
    assert "0" * 32 not in str(raised.value)
