"""The base64 variant of Unix ``crypt`` hashes (``./0-9A-Za-z``, little-endian 6-bit groups).

MD5-crypt (``$apr1$``, ``$1$``) and SHA-crypt (``$5$``, ``$6$``) write their digests with it, each
taking the digest's bytes three at a time in its own fixed order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["CRYPT_ALPHABET", "encode_groups"]

CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
"""The 64 characters of crypt's base64, in value order."""


def encode_groups(digest: bytes, groups: Sequence[tuple[int, ...]]) -> str:
    """Encode ``digest`` as crypt base64, reading the bytes in the order ``groups`` gives.

    Each group names up to three byte indices, most significant first; a full group gives four
    characters, a group of two gives three and a group of one gives two.
    """
    chars: list[str] = []
    for group in groups:
        value = 0
        for index in group:
            value = (value << 8) | digest[index]
        for _ in range(len(group) + 1):
            chars.append(CRYPT_ALPHABET[value & 0x3F])
            value >>= 6
    return "".join(chars)
