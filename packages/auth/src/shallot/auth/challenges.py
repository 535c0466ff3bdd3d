"""``WWW-Authenticate`` challenges for Digest (RFC 7616 section 3.3) and Basic (RFC 7617).

A server offering several Digest algorithms sends one challenge per algorithm, most preferred
first, so each client picks the first it knows (RFC 7616 section 3.7). All of them carry the same
nonce and opaque: clients that fold repeated header fields into one line (requests, httpx) then
still read one consistent set of values whichever challenge they end up with.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shallot.auth.digest import DigestAlgorithm, Qop

__all__ = ["DigestChallenge", "basic_challenge", "check_realm_name", "quote"]


def check_realm_name(realm: str) -> str:
    """Return ``realm`` if it can be sent in a challenge, else raise :class:`ValueError`.

    A realm must be non-empty printable ASCII (spaces allowed): clients disagree about how they
    decode anything else, and the realm is part of every stored HA1, so a realm one client reads
    differently from another would lock that client out.
    """
    if not realm or not realm.isascii() or not realm.isprintable():
        raise ValueError(f"a realm must be non-empty printable ASCII: {realm!r}")
    return realm


def quote(value: str) -> str:
    """``value`` as an HTTP quoted-string; raises :class:`ValueError` on control characters."""
    if any((char < " " and char != "\t") or char == "\x7f" for char in value):
        raise ValueError("control characters cannot be sent in a quoted-string")
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@dataclasses.dataclass(frozen=True, slots=True)
class DigestChallenge:
    """One Digest challenge; :meth:`header` renders the ``WWW-Authenticate`` value.

    ``qops`` are offered in the order given; ``stale`` tells the client its nonce expired but its
    credentials were right, so it retries without asking the user; ``userhash`` invites the client
    to send ``H(username:realm)`` instead of the name. ``charset=UTF-8`` is always sent: every
    hash input is UTF-8 here.
    """

    realm: str
    nonce: str
    algorithm: DigestAlgorithm
    qops: tuple[Qop, ...]
    opaque: str
    stale: bool = False
    userhash: bool = False

    def header(self) -> str:
        """The ``WWW-Authenticate`` field value, e.g. ``Digest realm="files", qop="auth", ...``."""
        parts = [
            f"Digest realm={quote(self.realm)}",
            f'qop="{", ".join(qop.value for qop in self.qops)}"',
            f"algorithm={self.algorithm.value}",
            f"nonce={quote(self.nonce)}",
            f"opaque={quote(self.opaque)}",
            "charset=UTF-8",
        ]
        if self.userhash:
            parts.append("userhash=true")
        if self.stale:
            parts.append("stale=true")
        return ", ".join(parts)


def basic_challenge(realm: str) -> str:
    """The Basic challenge for ``realm``, announcing UTF-8 credentials (RFC 7617 section 2.1)."""
    return f'Basic realm={quote(realm)}, charset="UTF-8"'
