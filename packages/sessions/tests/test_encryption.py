from __future__ import annotations

import pytest

from shallot.sessions import InvalidSession
from shallot.sessions.encryption import NONCE_SIZE, TAG_SIZE, AESGCMCipher


def test_round_trip_with_a_fresh_nonce_each_time() -> None:
    cipher = AESGCMCipher("secret")
    first = cipher.encrypt(b"plain text", b"header")
    second = cipher.encrypt(b"plain text", b"header")
    assert first != second
    assert len(first) == NONCE_SIZE + len(b"plain text") + TAG_SIZE
    assert b"plain text" not in first
    assert cipher.decrypt(first, b"header") == cipher.decrypt(second, b"header") == b"plain text"


def test_every_changed_byte_fails_to_authenticate() -> None:
    cipher = AESGCMCipher("secret")
    data = cipher.encrypt(b"plain", b"header")
    for position in range(len(data)):
        changed = bytearray(data)
        changed[position] ^= 0x01
        with pytest.raises(InvalidSession, match="authenticate"):
            cipher.decrypt(bytes(changed), b"header")


def test_other_associated_data_or_another_key_fails() -> None:
    data = AESGCMCipher("secret").encrypt(b"plain", b"header")
    with pytest.raises(InvalidSession):
        AESGCMCipher("secret").decrypt(data, b"other header")
    with pytest.raises(InvalidSession):
        AESGCMCipher("other").decrypt(data, b"header")


def test_rotation_decrypts_with_the_key_the_caller_names() -> None:
    data = AESGCMCipher("old").encrypt(b"plain", b"")
    rotated = AESGCMCipher(["new", "old"])
    assert rotated.decrypt(data, b"", key_index=1) == b"plain"
    with pytest.raises(InvalidSession):
        rotated.decrypt(data, b"", key_index=0)


def test_data_too_short_to_hold_nonce_and_tag_is_refused() -> None:
    with pytest.raises(InvalidSession, match="too short"):
        AESGCMCipher("secret").decrypt(b"\x00" * (NONCE_SIZE + TAG_SIZE - 1), b"")
