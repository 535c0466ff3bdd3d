from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING

import pytest

from shallot.cli.main import main

if TYPE_CHECKING:
    from pathlib import Path


def ha1(user: str, realm: str, password: str) -> str:
    return hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()


def test_adds_changes_and_deletes_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "users.htdigest"
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    assert main(["passwd", str(file), "files", "ann"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("hidden\n"))
    assert main(["passwd", "--", str(file), "files", "-bob"]) == 0
    assert file.read_text().splitlines() == [
        f"ann:files:{ha1('ann', 'files', 'secret')}",
        f"-bob:files:{ha1('-bob', 'files', 'hidden')}",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("changed\n"))
    assert main(["passwd", str(file), "files", "ann"]) == 0
    assert main(["passwd", "--delete", "--", str(file), "files", "-bob"]) == 0
    assert file.read_text().splitlines() == [f"ann:files:{ha1('ann', 'files', 'changed')}"]
    out = capsys.readouterr().out
    assert "Adding user 'ann' in realm 'files'." in out
    assert "Changing password for user 'ann'" in out
    assert "Deleted user '-bob'" in out


def test_refusals_exit_1_and_leave_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "users.htdigest"
    file.write_text(f"ann:files:{ha1('ann', 'files', 'secret')}\n")
    before = file.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["passwd", str(file), "files", "ann"]) == 1
    assert main(["passwd", str(file), "files", "nobody", "--delete"]) == 1
    assert main(["passwd", str(file), "fi:les", "ann"]) == 1
    assert file.read_bytes() == before
    errors = capsys.readouterr().err
    assert "empty password" in errors
    assert "no user 'nobody'" in errors
    assert "realm" in errors


def test_missing_arguments_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["passwd", "file", "realm"])
    assert raised.value.code == 2
    assert "USER" in capsys.readouterr().err
