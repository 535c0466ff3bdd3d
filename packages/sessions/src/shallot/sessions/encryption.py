"""AES-256-GCM encryption of session payloads, for cookies whose content the client may not read.

Signing alone (the default) keeps a cookie session from being changed, not from being read: the
client can base64-decode it. Encrypt when the session holds anything the user should not see.
This needs the ``cryptography`` package (``pip install 'shallot-sessions[crypto]'``), imported only
when a cipher is made, so the base install stays pure Python.

One AES-256 key per secret is derived with HKDF-SHA256 (info ``shallot.sessions aes-256-gcm``), so
the keys follow the same rotation as the signatures; every message gets a fresh random 96-bit
nonce, and the caller's associated data (the cookie's header bytes) is authenticated with it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from shallot.sessions.errors import InvalidSession
from shallot.sessions.signing import secret_keys

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from shallot.sessions.signing import SecretKey

__all__ = ["NONCE_SIZE", "TAG_SIZE", "AESGCMCipher"]

NONCE_SIZE = 12
"""Bytes of random nonce in front of every ciphertext."""

TAG_SIZE = 16
"""Bytes of GCM authentication tag at the end of every ciphertext."""


class AESGCMCipher:
    """Encrypts with the key of the first secret; decrypts with the key of the secret the caller
    names (the one whose signature matched, see :class:`~shallot.sessions.signing.Signer`)."""

    __slots__ = ("_ciphers",)

    _ciphers: tuple[AESGCM, ...]

    def __init__(self, secret_key: SecretKey) -> None:
        try:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF
        except ImportError as error:
            raise ImportError(
                "encrypted sessions need cryptography: pip install 'shallot-sessions[crypto]'"
            ) from error
        self._ciphers = tuple(
            AESGCM(
                HKDF(
                    algorithm=hashes.SHA256(),
                    length=32,
                    salt=None,
                    info=b"shallot.sessions aes-256-gcm",
                ).derive(secret)
            )
            for secret in secret_keys(secret_key)
        )

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> bytes:
        """``nonce + ciphertext + tag`` of ``plaintext`` under the first key."""
        nonce = os.urandom(NONCE_SIZE)
        return nonce + self._ciphers[0].encrypt(nonce, plaintext, associated_data)

    def decrypt(self, data: bytes, associated_data: bytes, key_index: int = 0) -> bytes:
        """The plaintext of what :meth:`encrypt` made with key ``key_index``.

        Raises :class:`~shallot.sessions.errors.InvalidSession` when ``data`` is too short or does
        not authenticate (another key, other associated data, or any byte changed).
        """
        from cryptography.exceptions import InvalidTag

        if len(data) < NONCE_SIZE + TAG_SIZE:
            raise InvalidSession("the encrypted session is too short")
        try:
            return self._ciphers[key_index].decrypt(
                data[:NONCE_SIZE], data[NONCE_SIZE:], associated_data
            )
        except InvalidTag:
            raise InvalidSession("the encrypted session does not authenticate") from None
