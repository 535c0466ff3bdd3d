"""SHA-crypt (``$5$`` SHA-256, ``$6$`` SHA-512), as ``htpasswd -2`` / ``-5`` and glibc write it.

Python 3.13 removed the ``crypt`` module, so the algorithm (Ulrich Drepper's "Unix crypt using
SHA-256 and SHA-512" specification) is implemented here for verifying such hashes. A hash may name
its round count (``$5$rounds=10000$salt$digest``); without it, 5000 rounds are used, and a count
outside 1000..999,999,999 is clamped, as the specification says.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from shallot.auth.crypt_base64 import encode_groups

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["parse_sha_crypt", "sha_crypt"]

DEFAULT_ROUNDS = 5000
MIN_ROUNDS = 1000
MAX_ROUNDS = 999_999_999
_MAX_SALT = 16

_GROUPS_256 = (
    (0, 10, 20), (21, 1, 11), (12, 22, 2), (3, 13, 23), (24, 4, 14),
    (15, 25, 5), (6, 16, 26), (27, 7, 17), (18, 28, 8), (9, 19, 29), (31, 30),
)  # fmt: skip
_GROUPS_512 = (
    (0, 21, 42), (22, 43, 1), (44, 2, 23), (3, 24, 45), (25, 46, 4), (47, 5, 26), (6, 27, 48),
    (28, 49, 7), (50, 8, 29), (9, 30, 51), (31, 52, 10), (53, 11, 32), (12, 33, 54), (34, 55, 13),
    (56, 14, 35), (15, 36, 57), (37, 58, 16), (59, 17, 38), (18, 39, 60), (40, 61, 19),
    (62, 20, 41), (63,),
)  # fmt: skip

_VARIANTS: dict[str, tuple[Callable[[bytes], bytes], tuple[tuple[int, ...], ...]]] = {
    "5": (lambda data: hashlib.sha256(data).digest(), _GROUPS_256),
    "6": (lambda data: hashlib.sha512(data).digest(), _GROUPS_512),
}


def parse_sha_crypt(hashed: str) -> tuple[str, int | None, str] | None:
    """Split ``$5$[rounds=N$]salt$digest`` into variant (``"5"``/``"6"``), rounds and salt.

    ``rounds`` is ``None`` when the hash does not name it; the result is ``None`` when ``hashed``
    is not a SHA-crypt hash.
    """
    parts = hashed.split("$")
    if len(parts) not in (4, 5) or parts[0] or parts[1] not in _VARIANTS:
        return None
    rounds: int | None = None
    if len(parts) == 5:
        setting = parts[2]
        if not setting.startswith("rounds=") or not setting[7:].isdigit():
            return None
        rounds = int(setting[7:])
    return parts[1], rounds, parts[-2]


def sha_crypt(password: str, salt: str, variant: str = "5", rounds: int | None = None) -> str:
    """The full SHA-crypt hash of ``password`` (hashed as UTF-8) with ``salt``.

    ``variant`` is ``"5"`` (SHA-256) or ``"6"`` (SHA-512); ``rounds`` ``None`` means the default
    5000 and leaves it out of the result, as the specification does. Only the first 16 characters
    of ``salt`` count. An unknown variant raises :class:`ValueError`.
    """
    try:
        digest_of, groups = _VARIANTS[variant]
    except KeyError:
        raise ValueError(f"unknown SHA-crypt variant {variant!r}") from None
    count = DEFAULT_ROUNDS if rounds is None else min(max(rounds, MIN_ROUNDS), MAX_ROUNDS)
    secret = password.encode("utf-8")
    salt = salt[:_MAX_SALT]
    salt_bytes = salt.encode("utf-8")
    size = len(digest_of(b""))

    alternate = digest_of(secret + salt_bytes + secret)
    first = bytearray(secret + salt_bytes)
    first += _stretch(alternate, len(secret), size)
    length = len(secret)
    while length:
        first += alternate if length & 1 else secret
        length >>= 1
    digest = digest_of(bytes(first))

    password_sequence = _stretch(digest_of(secret * len(secret)), len(secret), size)
    salt_sequence = _stretch(digest_of(salt_bytes * (16 + digest[0])), len(salt_bytes), size)
    for round_number in range(count):
        step = bytearray(password_sequence if round_number & 1 else digest)
        if round_number % 3:
            step += salt_sequence
        if round_number % 7:
            step += password_sequence
        step += digest if round_number & 1 else password_sequence
        digest = digest_of(bytes(step))

    setting = "" if rounds is None else f"rounds={count}$"
    return f"${variant}${setting}{salt}${encode_groups(digest, groups)}"


def _stretch(block: bytes, length: int, size: int) -> bytes:
    """``block`` repeated to exactly ``length`` bytes (``size`` is the block's length)."""
    return block * (length // size) + block[: length % size]
