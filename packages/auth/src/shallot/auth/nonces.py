"""Stateless Digest nonces: the issue time and a random part, signed with the server's secret.

A nonce is ``base64url(issued_ms || random || mac)`` where ``issued_ms`` is the issue time in
milliseconds (8 bytes, big-endian), ``random`` 12 random bytes and ``mac`` the first 16 bytes of
``HMAC-SHA256(secret, "nonce:" || issued_ms || random)``. The server needs nothing per nonce: any
process holding the same secret can check one, which is what lets several workers (or machines)
behind a load balancer share clients. (A manager remembers the nonces it verified lately, in a
bounded cache, so that the many requests a client makes with one nonce pay for its MAC once; the
answers are the same with or without it.) Checking says one of three things:

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
import re
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
_ENCODED = re.compile(rf"[A-Za-z0-9_-]{{{_RAW_LENGTH * 4 // 3}}}")  # base64url, no padding needed
_MIN_SECRET_BYTES = 16
_MAX_CACHED_OPAQUES = 256
_MAX_VERIFIED_NONCES = 10_000


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


_INVALID = NonceCheck(NonceStatus.INVALID)


class NonceManager:
    """Issue and check signed nonces (and the per-realm ``opaque``).

    ``secret`` signs them: give the same secret (at least 16 bytes; ``str`` is encoded as UTF-8) to
    every process that must accept the others' nonces. Without one, a random secret is made, which
    suits a single process: nonces then die with it, and clients re-authenticate silently after a
    restart. :attr:`timeout` is a nonce's lifetime in seconds; ``clock`` gives the time (a wall
    clock, since other processes read the issue time too), injectable for tests.
    """

    __slots__ = ("_clock", "_nonce_hmac", "_opaques", "_secret", "_timeout", "_verified")

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
        self._nonce_hmac = hmac.new(secret, b"nonce:", "sha256")
        self._clock = clock
        self._opaques: dict[str, str] = {}
        # What check() found for the nonces whose MAC it verified lately, all VALID results.
        self._verified: dict[str, NonceCheck] = {}
        self._timeout = timeout

    @property
    def timeout(self) -> float:
        """A nonce's lifetime in seconds; changing it applies to every nonce, old ones too."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: float) -> None:
        # In this order, a check() that finds the new (empty) cache also finds the new timeout.
        self._timeout = value
        self._verified = {}

    def _mac(self, purpose: bytes, data: bytes) -> bytes:
        """The MAC of ``data``; ``purpose`` keeps nonce and opaque MACs from ever standing in
        for each other."""
        return hmac.digest(self._secret, purpose + data, "sha256")[:_MAC_BYTES]

    def _nonce_mac(self, body: bytes) -> bytes:
        """``_mac(b"nonce:", body)``, from a copy of an HMAC already keyed and fed the purpose,
        which is cheaper than keying one anew."""
        mac = self._nonce_hmac.copy()
        mac.update(body)
        return mac.digest()[:_MAC_BYTES]

    def issue(self) -> str:
        """A new nonce, valid for :attr:`timeout` seconds from now (48 base64url characters)."""
        issued_ms = int(self._clock() * 1000)
        body = issued_ms.to_bytes(_TIME_BYTES, "big") + secrets.token_bytes(_RANDOM_BYTES)
        return base64.urlsafe_b64encode(body + self._nonce_mac(body)).decode("ascii")

    def check(self, nonce: str) -> NonceCheck:
        """Whether ``nonce`` is ours and still fresh; the MAC is compared in constant time."""
        verified = self._verified
        valid = verified.get(nonce)
        if valid is None:
            issued_at = self._issue_time(nonce)
            if issued_at is None:
                return _INVALID
            valid = NonceCheck(NonceStatus.VALID, issued_at, issued_at + self._timeout)
            if len(verified) >= _MAX_VERIFIED_NONCES:
                verified.clear()
            verified[nonce] = valid
        if self._clock() < valid.expires_at:
            return valid
        return NonceCheck(NonceStatus.STALE, valid.issued_at, valid.expires_at)

    def _issue_time(self, nonce: str) -> float | None:
        """The issue time ``nonce`` carries when its MAC is ours, else ``None``."""
        if _ENCODED.fullmatch(nonce) is None:
            return None
        # _RAW_LENGTH is a multiple of 3, so these characters always decode, to that many bytes.
        raw = binascii.a2b_base64(nonce.replace("-", "+").replace("_", "/"))
        body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._nonce_mac(body)):
            return None
        return int.from_bytes(body[:_TIME_BYTES], "big") / 1000

    def opaque(self, realm: str) -> str:
        """The ``opaque`` value for ``realm``: the same for every challenge of this secret."""
        opaque = self._opaques.get(realm)
        if opaque is None:
            mac = self._mac(b"opaque:", realm.encode("utf-8"))
            opaque = base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")
            if len(self._opaques) < _MAX_CACHED_OPAQUES:
                self._opaques[realm] = opaque
        return opaque
