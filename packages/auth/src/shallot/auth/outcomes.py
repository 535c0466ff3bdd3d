"""What an authentication attempt comes to: :class:`Authenticated`, or a :class:`Failure` with why.

Failures are values, not exceptions: a wrong password is the ordinary answer to a request. Each
:class:`FailureReason` fixes the HTTP status it is answered with (400 for credentials that break
their syntax or name another URI, 413 for an ``auth-int`` body too large to hash, 401 otherwise)
and whether the answer says ``stale=true`` (the credentials were right, only the nonce or its
count was not, so the client retries without asking its user).
"""

from __future__ import annotations

import dataclasses
import enum

__all__ = ["Authenticated", "Failure", "FailureReason"]


class FailureReason(enum.Enum):
    """Why credentials were not accepted; the value is what the log says."""

    NO_CREDENTIALS = "no credentials"
    MALFORMED = "malformed credentials"
    SCHEME_NOT_OFFERED = "scheme not offered"
    INSECURE_TRANSPORT = "Basic credentials over plain HTTP"
    WRONG_REALM = "wrong realm"
    WRONG_URI = "uri does not match the request"
    UNSUPPORTED_ALGORITHM = "algorithm not offered"
    UNSUPPORTED_QOP = "qop not offered"
    WRONG_OPAQUE = "wrong opaque"
    INVALID_NONCE = "invalid nonce"
    STALE_NONCE = "stale nonce"
    REPLAYED_NONCE_COUNT = "nonce count replayed"
    UNKNOWN_USER = "unknown user, or no secret for this algorithm"
    WRONG_PASSWORD = "wrong password"
    BODY_TOO_LARGE = "auth-int body too large"
    BODY_UNREADABLE = "auth-int body unreadable"


_STATUS = {
    FailureReason.MALFORMED: 400,
    FailureReason.WRONG_URI: 400,
    FailureReason.BODY_UNREADABLE: 400,
    FailureReason.BODY_TOO_LARGE: 413,
}
_STALE = frozenset({FailureReason.STALE_NONCE, FailureReason.REPLAYED_NONCE_COUNT})


@dataclasses.dataclass(frozen=True, slots=True)
class Authenticated:
    """Credentials accepted: ``username`` in ``realm``, by ``scheme`` (``"digest"``/``"basic"``)."""

    username: str
    realm: str
    scheme: str


@dataclasses.dataclass(frozen=True, slots=True)
class Failure:
    """Credentials refused for ``reason``.

    ``username`` is the name the client claimed (or its userhash), when it got that far: what the
    log may show. ``detail`` says more for malformed credentials; it never quotes a secret.
    """

    reason: FailureReason
    username: str | None = None
    detail: str = ""

    @property
    def status(self) -> int:
        """The HTTP status to answer with: 400, 413 or 401."""
        return _STATUS.get(self.reason, 401)

    @property
    def stale(self) -> bool:
        """Whether the Digest challenge in the answer carries ``stale=true``."""
        return self.reason in _STALE
