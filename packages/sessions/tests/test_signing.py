from __future__ import annotations

import pytest

from shallot.sessions import InvalidSession, Signer
from shallot.sessions.signing import FORMAT_VERSION, SIGNATURE_SIZE, secret_keys


def test_a_signed_payload_verifies_and_says_the_current_secret_signed_it() -> None:
    signer = Signer("s3cret", purpose="test")
    token = signer.sign(b"payload")
    assert token[0] == FORMAT_VERSION
    assert len(token) == 1 + len(b"payload") + SIGNATURE_SIZE
    assert signer.verify(token) == (b"payload", 0)


def test_rotation_the_first_secret_signs_and_every_secret_verifies() -> None:
    old = Signer("old", purpose="test")
    rotated = Signer(["new", "old"], purpose="test")
    assert rotated.verify(old.sign(b"x")) == (b"x", 1)
    assert rotated.sign(b"x") == Signer("new", purpose="test").sign(b"x")
    with pytest.raises(InvalidSession, match="signature"):
        old.verify(rotated.sign(b"x"))


def test_a_secret_not_in_the_list_does_not_verify() -> None:
    with pytest.raises(InvalidSession, match="signature"):
        Signer("mine", purpose="test").verify(Signer("theirs", purpose="test").sign(b"x"))


def test_purposes_separate_the_keys_of_one_secret() -> None:
    token = Signer("s", purpose="cookie session").sign(b"x")
    with pytest.raises(InvalidSession):
        Signer("s", purpose="session id").verify(token)


def test_every_changed_bit_anywhere_in_the_token_is_refused() -> None:
    signer = Signer("s", purpose="test")
    token = signer.sign(b"some payload")
    for position in range(len(token)):
        for bit in (0x01, 0x80):
            changed = bytearray(token)
            changed[position] ^= bit
            with pytest.raises(InvalidSession):
                signer.verify(bytes(changed))


def test_every_truncation_and_extension_is_refused() -> None:
    signer = Signer("s", purpose="test")
    token = signer.sign(b"payload")
    for length in range(len(token)):
        with pytest.raises(InvalidSession):
            signer.verify(token[:length])
    with pytest.raises(InvalidSession):
        signer.verify(token + b"\x00")


def test_an_unknown_format_version_is_told_apart_from_tampering() -> None:
    signer = Signer("s", purpose="test")
    token = bytes((FORMAT_VERSION + 1,)) + signer.sign(b"x")[1:]
    with pytest.raises(InvalidSession, match="version 2"):
        signer.verify(token)


def test_secret_keys_accepts_one_or_several_and_refuses_none_or_empty() -> None:
    assert secret_keys("ä") == ("ä".encode(),)
    assert secret_keys(b"k") == (b"k",)
    assert secret_keys(["a", b"b"]) == (b"a", b"b")
    with pytest.raises(ValueError, match="at least one"):
        secret_keys([])
    with pytest.raises(ValueError, match="empty"):
        secret_keys("")
    with pytest.raises(ValueError, match="empty"):
        Signer(["good", ""], purpose="test")
