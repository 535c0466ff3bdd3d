"""HMAC-SHA256 signatures over a versioned payload, with key rotation.

A signed token is ``version byte + payload + 32-byte HMAC-SHA256`` of the version and the payload.
The version byte lets a future format be told apart instead of failing as tampering. Secrets rotate:
give a sequence, the first signs and every one verifies, so cookies signed before a rotation keep
working until they are next written (then under the first secret) or expire; drop an old secret
once the longest session lifetime has passed since it stopped signing.

Secrets are never used as HMAC keys directly: each is turned into one key per ``purpose``
(HMAC-SHA256 of the purpose under the secret), so the key that signs cookie sessions differs from
the one that signs session ids or derives encryption keys, even under one application secret.
Signatures are compared in constant time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import NamedTuple, TypeAlias

from shallot.sessions.errors import InvalidSession

__all__ = ["FORMAT_VERSION", "SIGNATURE_SIZE", "SecretKey", "Signer", "Verified", "secret_keys"]

SecretKey: TypeAlias = str | bytes | Sequence[str | bytes]
"""One secret, or several for rotation (the first signs, all verify); ``str`` is UTF-8 encoded."""

FORMAT_VERSION = 1
"""The first byte of every signed token this code writes."""

SIGNATURE_SIZE = 32
"""Bytes of HMAC-SHA256 at the end of a signed token."""


def secret_keys(secret_key: SecretKey) -> tuple[bytes, ...]:
    """``secret_key`` as a non-empty tuple of non-empty byte strings; :class:`ValueError` else."""
    secrets = (secret_key,) if isinstance(secret_key, (str, bytes)) else tuple(secret_key)
    if not secrets:
        raise ValueError("at least one secret key is needed")
    keys = tuple(s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in secrets)
    if not all(keys):
        raise ValueError("a secret key may not be empty")
    return keys


class Verified(NamedTuple):
    """What :meth:`Signer.verify` found: the payload, and which secret signed it (0 = current)."""

    payload: bytes
    key_index: int


class Signer:
    """Signs with the first of ``secret_key``'s secrets and verifies with any of them.

    ``purpose`` separates the keys of different uses of one secret (see the module documentation).
    """

    __slots__ = ("_keys", "_version")

    def __init__(self, secret_key: SecretKey, *, purpose: str) -> None:
        label = f"shallot.sessions {purpose}".encode()
        self._keys = tuple(
            hmac.digest(secret, label, "sha256") for secret in secret_keys(secret_key)
        )
        self._version = bytes((FORMAT_VERSION,))

    def sign(self, payload: bytes) -> bytes:
        """The token: format version, ``payload``, then the signature under the first secret."""
        message = self._version + payload
        return message + hmac.digest(self._keys[0], message, "sha256")

    def verify(self, token: bytes) -> Verified:
        """The payload of a token one of the secrets signed.

        Raises :class:`~shallot.sessions.errors.InvalidSession` for a token too short to hold a
        signature, of another format version, or whose signature no secret made.
        """
        if len(token) <= SIGNATURE_SIZE:
            raise InvalidSession("the token is too short to be signed")
        if token[0] != FORMAT_VERSION:
            raise InvalidSession(f"unknown token format version {token[0]}")
        message = token[:-SIGNATURE_SIZE]
        signature = token[-SIGNATURE_SIZE:]
        for index, key in enumerate(self._keys):
            if hmac.compare_digest(hmac.digest(key, message, "sha256"), signature):
                return Verified(message[1:], index)
        raise InvalidSession("the signature does not match")
