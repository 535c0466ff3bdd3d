"""Stateless Digest nonces: the issue time and a random part, signed with the server's secret.

A nonce is ``base64url(issued_ms || random || mac)`` where ``issued_ms`` is the issue time in
milliseconds (8 bytes, big-endian), ``random`` 12 random bytes and ``mac`` the first 16 bytes of
``HMAC-SHA256(secret, "nonce:" || issued_ms || random)``. The server keeps nothing per nonce: any
process holding the same secret can check one, which is what lets several workers (or machines)
behind a load balancer share clients. Checking says one of three things:

- :attr:`NonceStatus.VALID`: ours, and younger than the timeout;
- :attr:`NonceStatus.STALE`: ours, but expired; the server answers ``stale=true`` so the client
  retries with a fresh nonce without asking its user again;
- :attr:`NonceStatus.INVALID`: not ours (tampered, truncated, signed with another secret); a
  plain 401, never ``stale``.

The ``opaque`` value is signed with the same secret (``HMAC(secret, "opaque:" + realm)``): constant
per realm, so it needs no state either, and a client returning another one is refused.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import enum
import hmac
import secrets
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["NonceCheck", "NonceManager", "NonceStatus"]

_TIME_BYTES = 8
_RANDOM_BYTES = 12
_MAC_BYTES = 16
_RAW_LENGTH = _TIME_BYTES + _RANDOM_BYTES + _MAC_BYTES
_ENCODED_LENGTH = 48
_BASE64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_MIN_SECRET_BYTES = 16
_MAX_CACHED_OPAQUES = 256


class NonceStatus(enum.Enum):
    """What checking a nonce found; see the module documentation."""

    VALID = "valid"
    STALE = "stale"
    INVALID = "invalid"


@dataclasses.dataclass(frozen=True, slots=True)
class NonceCheck:
    """The result of :meth:`NonceManager.check`.

    ``issued_at`` and ``expires_at`` are POSIX timestamps (``0.0`` for an invalid nonce).
    """

    status: NonceStatus
    issued_at: float = 0.0
    expires_at: float = 0.0


class NonceManager:
    """Issue and check signed nonces (and the per-realm ``opaque``).

    ``secret`` signs them: give the same secret (at least 16 bytes; ``str`` is encoded as UTF-8) to
    every process that must accept the others' nonces. Without one, a random secret is made, which
    suits a single process: nonces then die with it, and clients re-authenticate silently after a
    restart. ``timeout`` is a nonce's lifetime in seconds; ``clock`` gives the time (a wall clock,
    since other processes read the issue time too), injectable for tests.
    """

    __slots__ = ("_clock", "_opaques", "_secret", "timeout")

    def __init__(
        self,
        secret: bytes | str | None = None,
        timeout: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if secret is None:
            secret = secrets.token_bytes(32)
        elif isinstance(secret, str):
            secret = secret.encode("utf-8")
        if len(secret) < _MIN_SECRET_BYTES:
            raise ValueError(f"a nonce secret needs at least {_MIN_SECRET_BYTES} bytes")
        if not timeout > 0:
            raise ValueError("the nonce timeout must be positive")
        self._secret = secret
        self._clock = clock
        self._opaques: dict[str, str] = {}
        self.timeout = timeout

    def _mac(self, purpose: bytes, data: bytes) -> bytes:
        """The MAC of ``data``; ``purpose`` keeps nonce and opaque MACs from ever standing in
        for each other."""
        return hmac.digest(self._secret, purpose + data, "sha256")[:_MAC_BYTES]

    def issue(self) -> str:
        """A new nonce, valid for :attr:`timeout` seconds from now (48 base64url characters)."""
        issued_ms = int(self._clock() * 1000)
        body = issued_ms.to_bytes(_TIME_BYTES, "big") + secrets.token_bytes(_RANDOM_BYTES)
        return base64.urlsafe_b64encode(body + self._mac(b"nonce:", body)).decode("ascii")

    def check(self, nonce: str) -> NonceCheck:
        """Whether ``nonce`` is ours and still fresh; the MAC is compared in constant time."""
        if len(nonce) != _ENCODED_LENGTH or not _BASE64URL.issuperset(nonce):
            return NonceCheck(NonceStatus.INVALID)
        try:
            raw = base64.urlsafe_b64decode(nonce)
        except (binascii.Error, ValueError):
            return NonceCheck(NonceStatus.INVALID)
        if len(raw) != _RAW_LENGTH:
            return NonceCheck(NonceStatus.INVALID)
        body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(b"nonce:", body)):
            return NonceCheck(NonceStatus.INVALID)
        issued_at = int.from_bytes(body[:_TIME_BYTES], "big") / 1000
        expires_at = issued_at + self.timeout
        status = NonceStatus.VALID if self._clock() < expires_at else NonceStatus.STALE
        return NonceCheck(status, issued_at, expires_at)

    def opaque(self, realm: str) -> str:
        """The ``opaque`` value for ``realm``: the same for every challenge of this secret."""
        opaque = self._opaques.get(realm)
        if opaque is None:
            mac = self._mac(b"opaque:", realm.encode("utf-8"))
            opaque = base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")
            if len(self._opaques) < _MAX_CACHED_OPAQUES:
                self._opaques[realm] = opaque
        return opaque
