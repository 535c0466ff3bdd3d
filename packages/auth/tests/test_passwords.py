"""verify_password on every hash variant the real htpasswd writes; unknown schemes; bcrypt extra."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from shallot.auth.errors import UnsupportedHash
from shallot.auth.passwords import HashScheme, identify_hash, verify_password

if TYPE_CHECKING:
    from packages.auth.tests.conftest import Kit

VARIANTS = [
    (["-B"], HashScheme.BCRYPT),
    (["-B", "-C", "4"], HashScheme.BCRYPT),
    (["-m"], HashScheme.APR1),
    (["-s"], HashScheme.SHA1),
    (["-2"], HashScheme.SHA256_CRYPT),
    (["-5"], HashScheme.SHA512_CRYPT),
    (["-2", "-r", "2000"], HashScheme.SHA256_CRYPT),
    (["-p"], HashScheme.PLAIN),
]


@pytest.mark.parametrize(("options", "scheme"), VARIANTS)
@pytest.mark.parametrize("password", ["s3cret", "pass:with:colons", "ünïcödé ☃"])
def test_every_htpasswd_variant_verifies(
    kit: Kit, htpasswd: str, options: list[str], scheme: HashScheme, password: str
) -> None:
    hashed = kit.htpasswd_line(htpasswd, options, "user", password).split(":", 1)[1]
    assert identify_hash(hashed) is scheme
    assert verify_password(password, hashed)
    assert not verify_password(password + "x", hashed)
    assert not verify_password("", hashed)


def test_bcrypt_reads_72_bytes_as_apache_does(kit: Kit, htpasswd: str) -> None:
    long_password = "x" * 80
    hashed = kit.htpasswd_line(htpasswd, ["-B", "-C", "4"], "u", long_password).split(":", 1)[1]
    assert verify_password(long_password, hashed)
    assert verify_password("x" * 72, hashed)
    assert not verify_password("x" * 71, hashed)


def test_identify_by_prefix() -> None:
    assert identify_hash("$2b$05$" + "a" * 53) is HashScheme.BCRYPT
    assert identify_hash("$2a$05$" + "a" * 53) is HashScheme.BCRYPT
    assert identify_hash("$1$salt$hash") is HashScheme.MD5_CRYPT
    assert identify_hash("plain text") is HashScheme.PLAIN
    assert identify_hash("$notahash") is HashScheme.PLAIN


@pytest.mark.parametrize("hashed", ["$y$j9T$salt$hash", "$argon2id$v=19$m=65536$x$y", "$7$x$y"])
def test_unknown_schemes_are_refused_not_taken_for_plain_text(hashed: str) -> None:
    with pytest.raises(UnsupportedHash) as raised:
        verify_password(hashed, hashed)
    assert raised.value.scheme == hashed[: hashed.index("$", 1) + 1]


@pytest.mark.parametrize(
    "hashed",
    ["$2y$05$tooshort", "$apr1$", "$5$rounds=abc$salt$x", "{SHA}not-base64", "$6$onlysalt"],
)
def test_malformed_hashes_of_known_schemes_match_nothing(hashed: str) -> None:
    assert not verify_password("anything", hashed)


def test_plain_text_comparison_is_exact() -> None:
    assert verify_password("pw ", "pw ")
    assert not verify_password("pw", "pw ")


def test_a_bcrypt_hash_without_bcrypt_names_the_extra(kit: Kit, htpasswd: str) -> None:
    hashed = kit.htpasswd_line(htpasswd, ["-B", "-C", "4"], "u", "pw").split(":", 1)[1]
    script = (
        "import sys; sys.modules['bcrypt'] = None\n"  # what an install without the extra sees
        "from shallot.auth import MissingExtra, verify_password\n"
        "try:\n"
        "    verify_password('pw', sys.argv[1])\n"
        "except MissingExtra as error:\n"
        "    print(error.extra, '|', error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, hashed], capture_output=True, text=True, check=True
    )
    extra, _, message = done.stdout.partition(" | ")
    assert extra == "bcrypt"
    assert "shallot-auth[bcrypt]" in message
