"""MD5-crypt against hashes the real htpasswd wrote, and the classic ``$1$`` form."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.auth.apr1 import md5_crypt

if TYPE_CHECKING:
    from packages.auth.tests.conftest import Kit


@pytest.mark.parametrize(
    "password", ["", "p", "secret", "a much longer password, 32 bytes+", "žluťoučký kůň"]
)
def test_matches_htpasswd_m(kit: Kit, htpasswd: str, password: str) -> None:
    hashed = kit.htpasswd_line(htpasswd, ["-m"], "user", password).split(":", 1)[1]
    assert hashed.startswith("$apr1$")
    salt = hashed.split("$")[2]
    assert md5_crypt(password, salt) == hashed


def test_unix_md5_crypt_vector() -> None:
    # As produced by glibc's crypt("password", "$1$saltstri").
    assert md5_crypt("password", "saltstri", "$1$") == "$1$saltstri$qQY4WxjABChYG1ccLpfkz/"


def test_only_eight_salt_characters_count() -> None:
    assert md5_crypt("pw", "abcdefghijkl") == md5_crypt("pw", "abcdefgh")
