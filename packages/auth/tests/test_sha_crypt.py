"""SHA-crypt against the specification's vectors and hashes the real htpasswd wrote."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.auth.sha_crypt import parse_sha_crypt, sha_crypt

if TYPE_CHECKING:
    from packages.auth.tests.conftest import Kit

# From Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" specification.
SPEC_VECTORS = [
    ("5", None, "saltstring", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"),
    (
        "5",
        10000,
        "saltstringsaltstring",
        "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA",
    ),
    (
        "6",
        None,
        "saltstring",
        "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoE"
        "OfaS35inz1",
    ),
    (
        "6",
        10000,
        "saltstringsaltstring",
        "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vO"
        "uZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
    ),
]


@pytest.mark.parametrize(("variant", "rounds", "salt", "expected"), SPEC_VECTORS)
def test_specification_vectors(variant: str, rounds: int | None, salt: str, expected: str) -> None:
    assert sha_crypt("Hello world!", salt, variant, rounds) == expected


@pytest.mark.parametrize(
    ("options", "expected_variant", "expected_rounds"),
    [(["-2"], "5", None), (["-5"], "6", None), (["-2", "-r", "10000"], "5", 10000)],
)
@pytest.mark.parametrize("password", ["p", "correct horse battery staple", "heslo-ěščř"])
def test_matches_htpasswd(
    kit: Kit,
    htpasswd: str,
    options: list[str],
    expected_variant: str,
    expected_rounds: int | None,
    password: str,
) -> None:
    hashed = kit.htpasswd_line(htpasswd, options, "u", password).split(":", 1)[1]
    parsed = parse_sha_crypt(hashed)
    assert parsed is not None
    variant, rounds, salt = parsed
    assert (variant, rounds) == (expected_variant, expected_rounds)
    assert sha_crypt(password, salt, variant, rounds) == hashed


def test_rounds_are_clamped_to_the_minimum() -> None:
    clamped = sha_crypt("pw", "salt", "5", 10)
    assert clamped.startswith("$5$rounds=1000$salt$")
    assert clamped.split("$")[-1] == sha_crypt("pw", "salt", "5", 1000).split("$")[-1]


@pytest.mark.parametrize(
    "bad", ["$5$", "$7$salt$x", "$5$rounds=x$salt$x", "$5$a$b$c$d", "plain", "$6$rounds=$s$h"]
)
def test_parse_refuses_what_is_not_sha_crypt(bad: str) -> None:
    assert parse_sha_crypt(bad) is None


def test_unknown_variant() -> None:
    with pytest.raises(ValueError, match="variant"):
        sha_crypt("pw", "salt", "7")
