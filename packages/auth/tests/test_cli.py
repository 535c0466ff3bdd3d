"""``python -m shallot.auth passwd``: through real subprocesses, on a pipe and on a terminal."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from typing import TYPE_CHECKING

from shallot.auth import PasswordMap
from shallot.auth.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    from packages.auth.tests.conftest import Kit

PROGRAM = [sys.executable, "-m", "shallot.auth", "passwd"]


def md5_ha1(user: str, realm: str, password: str) -> str:
    return hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()


def passwd(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PROGRAM, *arguments], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_reads_the_password_from_a_pipe_and_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    done = passwd(str(path), "files", "alice", stdin="s3cret pass\n")
    assert done.returncode == 0, done.stderr
    assert "Adding user 'alice' in realm 'files'" in done.stdout
    assert path.read_text() == f"alice:files:{md5_ha1('alice', 'files', 's3cret pass')}\n"
    changed = passwd(str(path), "files", "alice", stdin="other\n")
    assert changed.returncode == 0
    assert "Changing password for user 'alice'" in changed.stdout
    added = passwd(str(path), "admin", "bob", stdin="builder")
    assert added.returncode == 0
    passwords = PasswordMap(path)
    passwords.load()
    assert passwords.verify("files", "alice", "other")
    assert passwords.verify("admin", "bob", "builder")
    assert "other" not in done.stdout + changed.stdout + changed.stderr


def test_delete(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    path.write_text(
        f"alice:files:{md5_ha1('alice', 'files', 'a')}\nbob:files:{md5_ha1('bob', 'files', 'b')}\n"
    )
    done = passwd(str(path), "files", "alice", "--delete")
    assert done.returncode == 0
    assert path.read_text() == f"bob:files:{md5_ha1('bob', 'files', 'b')}\n"
    again = passwd(str(path), "files", "alice", "--delete")
    assert again.returncode == 1
    assert "no user 'alice'" in again.stderr
    missing = passwd(str(tmp_path / "absent"), "files", "alice", "--delete")
    assert missing.returncode == 1
    assert not (tmp_path / "absent").exists()


def test_refusals_leave_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    original = f"alice:files:{md5_ha1('alice', 'files', 'a')}\n"
    path.write_text(original)
    for arguments, stdin, message in [
        (("files", "alice"), "", "no password"),
        (("files", "alice"), "\n", "empty password"),
        (("files", "al:ice"), "pw\n", "contains ':'"),
        (("", "alice"), "pw\n", "realm"),
    ]:
        done = passwd(str(path), *arguments, stdin=stdin)
        assert done.returncode == 1, arguments
        assert message in done.stderr
    assert path.read_text() == original
    assert [entry.name for entry in tmp_path.iterdir()] == ["users.htdigest"]


def test_a_broken_file_is_reported_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    path.write_text("this is not an htdigest file\n")
    done = passwd(str(path), "files", "alice", stdin="pw\n")
    assert done.returncode == 1
    assert f"{path}:1" in done.stderr
    assert path.read_text() == "this is not an htdigest file\n"


def test_usage_errors_exit_2() -> None:
    assert passwd().returncode == 2
    done = subprocess.run(
        [sys.executable, "-m", "shallot.auth"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "passwd" in done.stderr


def test_prompts_twice_without_echo_on_a_terminal(kit: Kit, tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    output, status = kit.run_in_terminal(
        [*PROGRAM, str(path), "files", "alice"],
        [("New password: ", "t0p-secret"), ("Re-type new password: ", "t0p-secret")],
    )
    assert status == 0, output
    assert "t0p-secret" not in output
    assert path.read_text() == f"alice:files:{md5_ha1('alice', 'files', 't0p-secret')}\n"


def test_different_entries_on_a_terminal_change_nothing(kit: Kit, tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    output, status = kit.run_in_terminal(
        [*PROGRAM, str(path), "files", "alice"],
        [("New password: ", "one"), ("Re-type new password: ", "two")],
    )
    assert status == 1
    assert "do not match" in output
    assert not path.exists()


def test_main_in_process(tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(
        ["passwd", str(path), "files", "carol"],
        stdin=io.StringIO("pw\r\n"),
        stdout=stdout,
        stderr=stderr,
    )
    assert status == 0, stderr.getvalue()
    passwords = PasswordMap(path)
    passwords.load()
    assert passwords.verify("files", "carol", "pw")
