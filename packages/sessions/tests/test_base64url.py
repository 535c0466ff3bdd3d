from __future__ import annotations

import pytest

from shallot.sessions import InvalidSession
from shallot.sessions.base64url import decode_base64url, encode_base64url


@pytest.mark.parametrize("data", [b"", b"\x00", b"\xff\xfe", b"abc", bytes(range(256))])
def test_round_trip_without_padding_in_the_cookie_alphabet(data: bytes) -> None:
    encoded = encode_base64url(data)
    assert "=" not in encoded
    assert "+" not in encoded
    assert "/" not in encoded
    assert decode_base64url(encoded) == data


@pytest.mark.parametrize(
    "value",
    [
        "ab+c",  # standard alphabet, not url-safe
        "ab/c",
        "abc=",  # padding
        "a bc",
        "abcde",  # a length no byte string encodes to
        "abc\u00e9",  # not ASCII
        "ab.c",
        "abd",  # not canonical: the last character carries bits "abc" leaves zero
    ],
)
def test_anything_but_canonical_unpadded_base64url_is_refused(value: str) -> None:
    with pytest.raises(InvalidSession, match="base64url"):
        decode_base64url(value)
