"""Challenges: the WWW-Authenticate values, quoting, realm names."""

from __future__ import annotations

import pytest

from shallot.auth.challenges import DigestChallenge, basic_challenge, check_realm_name, quote
from shallot.auth.digest import DigestAlgorithm, Qop
from shallot.http import parse_authorization


def test_digest_challenge_header() -> None:
    challenge = DigestChallenge(
        "files", "abc", DigestAlgorithm.SHA256, (Qop.AUTH, Qop.AUTH_INT), "xyz"
    )
    assert challenge.header() == (
        'Digest realm="files", qop="auth, auth-int", algorithm=SHA-256, nonce="abc", '
        'opaque="xyz", charset=UTF-8'
    )


def test_stale_and_userhash_flags() -> None:
    header = DigestChallenge(
        "files", "abc", DigestAlgorithm.MD5, (Qop.AUTH,), "xyz", stale=True, userhash=True
    ).header()
    params = parse_authorization(header).params
    assert params["stale"] == "true"
    assert params["userhash"] == "true"
    assert params["algorithm"] == "MD5"
    assert params["qop"] == "auth"


def test_quoted_values_round_trip_through_the_parser() -> None:
    header = DigestChallenge(
        'say "hi" \\ there', "n", DigestAlgorithm.MD5, (Qop.AUTH,), "o"
    ).header()
    assert parse_authorization(header).params["realm"] == 'say "hi" \\ there'


def test_quote_refuses_control_characters() -> None:
    assert quote("a b") == '"a b"'
    with pytest.raises(ValueError, match="control"):
        quote("a\r\nSet-Cookie: x=1")


def test_basic_challenge_announces_utf8() -> None:
    assert basic_challenge("files") == 'Basic realm="files", charset="UTF-8"'


@pytest.mark.parametrize("bad", ["", "caf\u00e9", "a\nb", "tab\there"])
def test_realm_names_must_be_printable_ascii(bad: str) -> None:
    with pytest.raises(ValueError, match="realm"):
        check_realm_name(bad)


def test_a_good_realm_name_is_returned() -> None:
    assert check_realm_name("My Files @ example.org") == "My Files @ example.org"
