"""The value of a cookie session: JSON, compressed when that helps, optionally encrypted, signed,
base64url.

Layout of the signed payload (see :mod:`shallot.sessions.signing` for the version byte and the
signature around it)::

    flags (1 byte) | expires at (8 bytes, epoch seconds, big-endian; 0 = no expiry) | body

``body`` is the session as a JSON object (never pickle: a forged cookie must not be able to run
code even if a secret leaks), deflated with zlib when that makes it shorter (flag 1), then
encrypted with AES-256-GCM when the codec encrypts (flag 2, the flags and expiry authenticated as
associated data). The expiry is inside the signature, so a client cannot extend a session by
keeping its cookie longer than ``Max-Age`` told it to: a replayed expired cookie is refused.

Compression and encryption together reveal something about the content through the length, if an
attacker can put chosen text into the same session as a secret and watch the cookie size; pass
``compress=False`` when that matters more than cookie size.

Everything a client can send is checked, and every fault raises
:class:`~shallot.sessions.errors.InvalidSession` (or its subclasses
:class:`~shallot.sessions.errors.ExpiredSession` and
:class:`~shallot.sessions.errors.OversizedSession`), never another exception: over-long values,
characters outside base64url, non-canonical base64 (so no two cookie strings decode alike), bad
signatures, unknown versions or flags, undecryptable or undecompressible bodies (inflating is
bounded), and JSON that is not an object.
"""

from __future__ import annotations

import json
import struct
import time
import zlib
from typing import TYPE_CHECKING, NamedTuple

from shallot.sessions.base64url import decode_base64url, encode_base64url
from shallot.sessions.errors import ExpiredSession, InvalidSession, OversizedSession
from shallot.sessions.signing import Signer

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shallot.http import JSONValue
    from shallot.sessions.encryption import AESGCMCipher
    from shallot.sessions.signing import SecretKey

__all__ = ["MAX_COOKIE_SIZE", "CookieCodec", "DecodedSession"]

MAX_COOKIE_SIZE = 4096
"""Bytes of ``name=value`` and attributes browsers are required to keep for one cookie (RFC 6265
section 6.1): the most this package ever sends, and the most it reads."""

MAX_INFLATED_SIZE = 1 << 20
"""Bytes a compressed body may inflate to; a larger one is refused rather than unpacked."""

COMPRESS_FROM = 256
"""Bodies shorter than this many bytes are not worth trying to compress."""

_COMPRESSED = 1
_ENCRYPTED = 2
_KNOWN_FLAGS = _COMPRESSED | _ENCRYPTED
_HEADER = struct.Struct(">BQ")


class DecodedSession(NamedTuple):
    """A session read from a cookie: its data, its signed expiry (``None`` for none), and which
    secret signed it (0 is the current one; more means it is re-signed when next written)."""

    data: dict[str, JSONValue]
    expires_at: float | None
    key_index: int


def _inflate(body: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        inflated = inflater.decompress(body, MAX_INFLATED_SIZE)
    except zlib.error:
        raise InvalidSession("the compressed session does not inflate") from None
    if inflater.unconsumed_tail:
        raise InvalidSession(f"the session inflates past {MAX_INFLATED_SIZE} bytes")
    if not inflater.eof or inflater.unused_data:
        raise InvalidSession("the compressed session is cut short or has trailing bytes")
    return inflated


class CookieCodec:
    """Turns a session's data into a cookie value and back (see the module documentation).

    ``secret_key`` is one secret or a sequence for rotation (the first signs and encrypts, all
    are accepted). ``encrypt`` needs ``cryptography``; an encrypting codec still reads signed
    plain cookies (they were made by this server), so encryption can be switched on without
    dropping every session. ``compress=False`` never compresses. A codec holds no per-request
    state and may be shared between threads.
    """

    __slots__ = ("_cipher", "_signer", "compress")

    _cipher: AESGCMCipher | None

    def __init__(
        self, secret_key: SecretKey, *, encrypt: bool = False, compress: bool = True
    ) -> None:
        self._signer = Signer(secret_key, purpose="cookie session")
        if encrypt:
            from shallot.sessions.encryption import AESGCMCipher

            self._cipher = AESGCMCipher(secret_key)
        else:
            self._cipher = None
        self.compress = compress

    @property
    def encrypts(self) -> bool:
        """Whether :meth:`encode` encrypts."""
        return self._cipher is not None

    def encode(self, data: Mapping[str, JSONValue], expires_at: float | None = None) -> str:
        """The cookie value holding ``data``, valid until ``expires_at`` (epoch seconds).

        Raises :class:`TypeError` (or :class:`ValueError` for circular data) when ``data`` is
        not JSON: a bug in the application, never the client's doing.
        """
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        flags = 0
        if self.compress and len(body) >= COMPRESS_FROM:
            deflated = zlib.compress(body)
            if len(deflated) < len(body):
                body = deflated
                flags |= _COMPRESSED
        if self._cipher is not None:
            flags |= _ENCRYPTED
        header = _HEADER.pack(flags, 0 if expires_at is None else max(int(expires_at), 1))
        if self._cipher is not None:
            body = self._cipher.encrypt(body, header)
        return encode_base64url(self._signer.sign(header + body))

    def decode(self, value: str, now: float | None = None) -> DecodedSession:
        """The session in cookie ``value`` as of ``now`` (default: the current time).

        Raises :class:`~shallot.sessions.errors.OversizedSession` for a value over
        :data:`MAX_COOKIE_SIZE` characters, :class:`~shallot.sessions.errors.ExpiredSession` for a
        genuine cookie past its expiry, and :class:`~shallot.sessions.errors.InvalidSession` for
        every other fault (see the module documentation).
        """
        if len(value) > MAX_COOKIE_SIZE:
            raise OversizedSession(len(value), MAX_COOKIE_SIZE)
        payload, key_index = self._signer.verify(decode_base64url(value))
        if len(payload) < _HEADER.size:
            raise InvalidSession("the session has no header")
        flags, expires_at = _HEADER.unpack_from(payload)
        if flags & ~_KNOWN_FLAGS:
            raise InvalidSession(f"unknown session flags {flags:#x}")
        if expires_at and expires_at <= (time.time() if now is None else now):
            raise ExpiredSession(expires_at)
        body = payload[_HEADER.size :]
        if flags & _ENCRYPTED:
            if self._cipher is None:
                raise InvalidSession("the session is encrypted, and this codec does not decrypt")
            body = self._cipher.decrypt(body, payload[: _HEADER.size], key_index)
        if flags & _COMPRESSED:
            body = _inflate(body)
        try:
            data = json.loads(body)
        except ValueError:
            raise InvalidSession("the session is not JSON") from None
        if not isinstance(data, dict):
            raise InvalidSession("the session is not a JSON object")
        return DecodedSession(data, float(expires_at) if expires_at else None, key_index)
