"""PasswordMap: load, set, delete, find, verify, and an atomic save htdigest files agree with."""

from __future__ import annotations

import hashlib
import os
import stat
from typing import TYPE_CHECKING

import pytest

from shallot.auth.errors import InvalidEntry, PasswordFileError
from shallot.auth.password_map import PasswordMap, parse_htdigest

if TYPE_CHECKING:
    from pathlib import Path

    from packages.auth.tests.conftest import Kit


def md5_ha1(user: str, realm: str, password: str) -> str:
    return hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()


def test_set_find_verify_delete() -> None:
    passwords = PasswordMap()
    passwords.set("files", "alice", "secret")
    assert passwords.find("files", "alice") == md5_ha1("alice", "files", "secret")
    assert passwords.verify("files", "alice", "secret")
    assert not passwords.verify("files", "alice", "wrong")
    assert not passwords.verify("admin", "alice", "secret")
    assert ("files", "alice") in passwords
    assert len(passwords) == 1
    assert passwords.delete("files", "alice")
    assert not passwords.delete("files", "alice")
    assert passwords.find("files", "alice") is None


def test_realms_users_and_order() -> None:
    passwords = PasswordMap()
    passwords.set("files", "bob", "1")
    passwords.set("admin", "alice", "2")
    passwords.set("files", "alice", "3")
    passwords.set("files", "bob", "4")
    assert passwords.realms() == ["files", "admin"]
    assert passwords.users("files") == ["bob", "alice"]
    assert list(passwords) == [("files", "bob"), ("admin", "alice"), ("files", "alice")]
    assert passwords.dumps().splitlines()[0] == f"bob:files:{md5_ha1('bob', 'files', '4')}"


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    passwords = PasswordMap(path)
    passwords.set("files", "alice", "secret")
    passwords.set_digest("files", "bob", md5_ha1("bob", "files", "pw").upper())
    passwords.save()
    again = PasswordMap(path)
    again.load()
    assert again.verify("files", "alice", "secret")
    assert again.verify("files", "bob", "pw")
    assert path.read_text() == passwords.dumps()
    assert [entry.name for entry in tmp_path.iterdir()] == ["users.htdigest"]


def test_htdigest_accepts_what_we_save(kit: Kit, htdigest: str, tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    passwords = PasswordMap(path)
    passwords.set("files", "alice", "secret")
    passwords.save()
    # htdigest adding bob must keep alice's line byte for byte.
    output, status = kit.run_in_terminal(
        [htdigest, str(path), "files", "bob"],
        [("New password:", "builder"), ("Re-type new password:", "builder")],
    )
    assert status == 0, output
    passwords.load()
    assert passwords.verify("files", "alice", "secret")
    assert passwords.verify("files", "bob", "builder")


def test_save_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    path.write_text("")
    os.chmod(path, 0o640)
    passwords = PasswordMap(path)
    passwords.set("files", "alice", "secret")
    passwords.save()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_a_failed_save_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "users.htdigest"
    target.mkdir()
    (target / "keep").write_text("old")
    passwords = PasswordMap()
    passwords.set("files", "alice", "secret")
    with pytest.raises(IsADirectoryError):
        passwords.save(target)
    assert (target / "keep").read_text() == "old"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["users.htdigest"]


def test_a_failed_load_leaves_the_entries(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    path.write_text("alice:files:not-a-digest\n")
    passwords = PasswordMap(path)
    passwords.set("files", "bob", "pw")
    with pytest.raises(PasswordFileError, match="32 hex"):
        passwords.load()
    with pytest.raises(FileNotFoundError):
        passwords.load(tmp_path / "absent")
    path.write_bytes(b"\xff\n")
    with pytest.raises(PasswordFileError, match="UTF-8"):
        passwords.load()
    assert list(passwords) == [("files", "bob")]


def test_without_a_path() -> None:
    with pytest.raises(ValueError, match="no path"):
        PasswordMap().save()
    with pytest.raises(ValueError, match="no path"):
        PasswordMap().load()


@pytest.mark.parametrize(
    ("realm", "user", "field"),
    [("files", "", "user name"), ("", "alice", "realm"), ("files", "a:b", "user name"),
     ("fi:les", "alice", "realm"), ("files", "al\nice", "user name")],
)  # fmt: skip
def test_entries_a_file_cannot_hold_are_refused(realm: str, user: str, field: str) -> None:
    with pytest.raises(InvalidEntry) as raised:
        PasswordMap().set(realm, user, "pw")
    assert raised.value.field == field


def test_set_digest_checks_the_digest() -> None:
    with pytest.raises(InvalidEntry, match="32 hex"):
        PasswordMap().set_digest("files", "alice", "abc")


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("alice:files\n", 1, "user:realm:digest"),
        ("\n# c\na:b:c:d\n", 3, "user:realm:digest"),
        (f"a:files:{'0' * 32}\na:files:{'1' * 32}\n", 2, "twice"),
        (f":files:{'0' * 32}\n", 1, "empty"),
    ],
)
def test_parse_errors_name_the_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(PasswordFileError, match=reason) as raised:
        parse_htdigest(text)
    assert raised.value.line == line
