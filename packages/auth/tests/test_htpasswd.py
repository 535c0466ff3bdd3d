"""HtpasswdUserStore over files the real htpasswd wrote, every hash variant, reloaded on change."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from shallot.auth.digest import DigestAlgorithm, ha1
from shallot.auth.errors import PasswordFileError
from shallot.auth.htpasswd import HtpasswdUserStore, parse_htpasswd

if TYPE_CHECKING:
    from pathlib import Path

USERS = {
    "bea": ("-B", "bcrypt pw"),
    "max": ("-m", "apr1 pw"),
    "sid": ("-s", "sha1 pw"),
    "tom": ("-2", "sha256 pw"),
    "fay": ("-5", "sha512 pw"),
    "pat": ("-p", "plain pw"),
}


def htpasswd_set(program: str, path: Path, option: str, user: str, password: str) -> None:
    create = [] if path.exists() else ["-c"]
    subprocess.run(
        [program, "-b", *create, option, str(path), user, password],
        capture_output=True,
        check=True,
    )


@pytest.fixture
def users_file(htpasswd: str, tmp_path: Path) -> Path:
    path = tmp_path / "users.htpasswd"
    for user, (option, password) in USERS.items():
        htpasswd_set(htpasswd, path, option, user, password)
    return path


def test_every_variant_htpasswd_writes(users_file: Path) -> None:
    store = HtpasswdUserStore(users_file)
    assert sorted(store.usernames("any")) == sorted(USERS)
    for user, (_option, password) in USERS.items():
        assert store.check_password("any realm", user, password), user
        assert not store.check_password("any realm", user, password.upper()), user
    assert not store.check_password("r", "nobody", "x")


def test_digest_needs_plain_text_entries(users_file: Path) -> None:
    store = HtpasswdUserStore(users_file)
    assert store.digest_ha1("files", "pat", DigestAlgorithm.SHA256_SESS) == ha1(
        DigestAlgorithm.SHA256, "pat", "files", "plain pw"
    )
    for user in ("bea", "max", "sid", "tom", "fay", "nobody"):
        assert store.digest_ha1("files", user, DigestAlgorithm.MD5) is None


def test_changes_made_by_htpasswd_take_effect(htpasswd: str, users_file: Path) -> None:
    store = HtpasswdUserStore(users_file)
    htpasswd_set(htpasswd, users_file, "-B", "max", "new pw")
    assert store.check_password("r", "max", "new pw")
    assert not store.check_password("r", "max", "apr1 pw")
    subprocess.run([htpasswd, "-D", str(users_file), "sid"], capture_output=True, check=True)
    assert not store.check_password("r", "sid", "sha1 pw")
    assert "sid" not in list(store.usernames("r"))


def test_plain_text_keeps_spaces_and_comments_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "users"
    path.write_text("# admins\n\nann: padded \n")
    store = HtpasswdUserStore(path)
    assert store.check_password("r", "ann", " padded ")
    assert not store.check_password("r", "ann", "padded")


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("no colon here\n", 1, "user:hash"),
        ("ok:pw\n:pw\n", 2, "empty user"),
        ("a:1\na:2\n", 2, "twice"),
        ("a:$y$j9T$salt$hash\n", 1, r"\$y\$"),
    ],
)
def test_parse_errors_name_the_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(PasswordFileError, match=reason) as raised:
        parse_htpasswd(text)
    assert raised.value.line == line


def test_bcrypt_lines_without_bcrypt_name_the_extra_when_loading(
    users_file: Path,
) -> None:
    script = (
        "import sys; sys.modules['bcrypt'] = None\n"
        "from shallot.auth import HtpasswdUserStore, MissingExtra\n"
        "try:\n"
        "    HtpasswdUserStore(sys.argv[1])\n"
        "except MissingExtra as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(users_file)], capture_output=True, text=True, check=True
    )
    assert "pip install 'shallot-auth[bcrypt]'" in done.stdout
    assert str(users_file) in done.stdout


def test_digest_ha1_follows_changes_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "users"
    path.write_text("pat:plain pw\nann:other\n")
    store = HtpasswdUserStore(path)
    for _ in range(2):
        assert store.digest_ha1("files", "pat", DigestAlgorithm.MD5) == ha1(
            DigestAlgorithm.MD5, "pat", "files", "plain pw"
        )
    path.write_text("pat:a longer new password\n")
    assert store.digest_ha1("files", "pat", DigestAlgorithm.MD5) == ha1(
        DigestAlgorithm.MD5, "pat", "files", "a longer new password"
    )
    assert store.digest_ha1("files", "ann", DigestAlgorithm.MD5) is None
    path.unlink()
    assert store.digest_ha1("files", "pat", DigestAlgorithm.MD5) is None
