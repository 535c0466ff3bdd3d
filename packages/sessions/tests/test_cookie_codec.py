from __future__ import annotations

import json
import struct
import time
import zlib
from typing import TYPE_CHECKING

import pytest

from shallot.sessions import (
    MAX_COOKIE_SIZE,
    CookieCodec,
    ExpiredSession,
    InvalidSession,
    OversizedSession,
    Signer,
)
from shallot.sessions.base64url import decode_base64url, encode_base64url
from shallot.sessions.cookie_codec import MAX_INFLATED_SIZE

if TYPE_CHECKING:
    from shallot.http import JSONValue

SECRET = "codec secret"
NOW = 1_700_000_000.0
DATA: dict[str, JSONValue] = {
    "user": "ann",
    "roles": ["admin", "editor"],
    "prefs": {"lang": "cs", "size": 12, "dark": True, "ratio": 0.5, "none": None},
    "note": "žluťoučký kůň",
    "history": [f"/page/{index}" for index in range(20)],
}


def forged(flags: int, expires_at: int, body: bytes, secret: str = SECRET) -> str:
    """A cookie signed with the codec's key around a header and body of our choosing."""
    payload = struct.pack(">BQ", flags, expires_at) + body
    return encode_base64url(Signer(secret, purpose="cookie session").sign(payload))


@pytest.mark.parametrize("encrypt", [False, True])
@pytest.mark.parametrize("compress", [False, True])
def test_round_trip_of_json_data(encrypt: bool, compress: bool) -> None:
    codec = CookieCodec(SECRET, encrypt=encrypt, compress=compress)
    value = codec.encode(DATA, NOW + 60)
    uncompressed = CookieCodec(SECRET, encrypt=encrypt, compress=False).encode(DATA, NOW + 60)
    assert (len(value) < len(uncompressed)) is compress
    decoded = codec.decode(value, now=NOW)
    assert decoded == (DATA, NOW + 60, 0)
    assert codec.encrypts is encrypt


def test_without_expiry_the_cookie_never_expires() -> None:
    codec = CookieCodec(SECRET)
    assert codec.decode(codec.encode({"a": 1}), now=4e9) == ({"a": 1}, None, 0)


def test_repetitive_data_is_compressed_and_short_data_is_not() -> None:
    codec = CookieCodec(SECRET)
    big: dict[str, JSONValue] = {"items": ["the same words again"] * 50}
    plain_size = len(json.dumps(big, separators=(",", ":")))
    assert len(codec.encode(big)) < plain_size / 2
    assert CookieCodec(SECRET, compress=False).decode(codec.encode(big)).data == big
    small = codec.encode({"a": 1})
    assert decode_base64url(small)[1] == 0  # no flags: not worth compressing


def test_signed_data_is_readable_and_encrypted_data_is_not() -> None:
    assert b"ann" in decode_base64url(CookieCodec(SECRET, compress=False).encode(DATA))
    encrypted = decode_base64url(CookieCodec(SECRET, encrypt=True, compress=False).encode(DATA))
    assert b"ann" not in encrypted
    assert b"roles" not in encrypted


@pytest.mark.parametrize("encrypt", [False, True])
def test_a_cookie_replayed_after_its_expiry_is_refused(encrypt: bool) -> None:
    codec = CookieCodec(SECRET, encrypt=encrypt)
    value = codec.encode(DATA, NOW + 60)
    assert codec.decode(value, now=NOW + 59).data == DATA
    with pytest.raises(ExpiredSession) as caught:
        codec.decode(value, now=NOW + 60)
    assert caught.value.expired_at == NOW + 60
    with pytest.raises(ExpiredSession):
        codec.decode(codec.encode(DATA, time.time() - 1))


@pytest.mark.parametrize("encrypt", [False, True])
def test_every_character_changed_anywhere_in_the_cookie_is_refused(encrypt: bool) -> None:
    codec = CookieCodec(SECRET, encrypt=encrypt)
    value = codec.encode(DATA, NOW + 60)
    for position, character in enumerate(value):
        for replacement in {"A", "b", "-", "_"} - {character}:
            tampered = value[:position] + replacement + value[position + 1 :]
            with pytest.raises(InvalidSession):
                codec.decode(tampered, now=NOW)


@pytest.mark.parametrize("encrypt", [False, True])
def test_every_truncation_is_refused(encrypt: bool) -> None:
    codec = CookieCodec(SECRET, encrypt=encrypt)
    value = codec.encode(DATA, NOW + 60)
    for length in range(len(value)):
        with pytest.raises(InvalidSession):
            codec.decode(value[:length], now=NOW)


@pytest.mark.parametrize(
    "garbage", ["", "=", "not base64!", "é", "a" * 45, "AQ==", "%00", '"quoted"', "a\x00b"]
)
def test_base64_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidSession):
        CookieCodec(SECRET).decode(garbage)


def test_a_cookie_over_4096_characters_is_not_even_verified() -> None:
    with pytest.raises(OversizedSession) as caught:
        CookieCodec(SECRET).decode("A" * (MAX_COOKIE_SIZE + 1))
    assert (caught.value.size, caught.value.limit) == (MAX_COOKIE_SIZE + 1, MAX_COOKIE_SIZE)


def test_key_rotation_reads_old_cookies_and_writes_with_the_new_secret() -> None:
    old_cookie = CookieCodec("old").encode(DATA)
    rotated = CookieCodec(["new", "old"])
    assert rotated.decode(old_cookie) == (DATA, None, 1)
    new_cookie = rotated.encode(DATA)
    assert CookieCodec("new").decode(new_cookie).key_index == 0
    with pytest.raises(InvalidSession, match="signature"):
        CookieCodec("old").decode(new_cookie)


def test_encryption_follows_rotation_too() -> None:
    old_cookie = CookieCodec("old", encrypt=True).encode(DATA)
    assert CookieCodec(["new", "old"], encrypt=True).decode(old_cookie).data == DATA


def test_an_encrypted_cookie_needs_an_encrypting_codec_but_not_the_reverse() -> None:
    encrypted = CookieCodec(SECRET, encrypt=True).encode(DATA)
    with pytest.raises(InvalidSession, match="encrypted"):
        CookieCodec(SECRET).decode(encrypted)
    assert CookieCodec(SECRET, encrypt=True).decode(CookieCodec(SECRET).encode(DATA)).data == DATA


@pytest.mark.parametrize(
    ("flags", "body", "reason"),
    [
        (0, b"[1, 2]", "not a JSON object"),
        (0, b"null", "not a JSON object"),
        (0, b"{broken", "not JSON"),
        (0, b"\xff\xfe", "not JSON"),
        (4, b"{}", "unknown session flags"),
        (1, b"not zlib", "does not inflate"),
        (1, zlib.compress(b"{}")[:-3], "cut short"),
        (1, zlib.compress(b"{}") + b"x", "trailing"),
        (1, zlib.compress(b" " * (MAX_INFLATED_SIZE + 1) + b"{}"), "inflates past"),
    ],
)
def test_a_genuine_signature_over_a_bad_body_is_still_refused(
    flags: int, body: bytes, reason: str
) -> None:
    with pytest.raises(InvalidSession, match=reason):
        CookieCodec(SECRET).decode(forged(flags, 0, body))


def test_a_signed_payload_without_a_header_is_refused() -> None:
    value = encode_base64url(Signer(SECRET, purpose="cookie session").sign(b"\x00"))
    with pytest.raises(InvalidSession, match="no header"):
        CookieCodec(SECRET).decode(value)


def test_data_that_is_not_json_is_the_application_s_error() -> None:
    with pytest.raises(TypeError):
        CookieCodec(SECRET).encode({"when": object()})  # type: ignore[dict-item]  # the point
