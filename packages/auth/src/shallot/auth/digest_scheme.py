"""``DigestScheme``: HTTP Digest authentication (RFC 7616) on the server side.

A challenge offers one ``WWW-Authenticate: Digest`` per configured algorithm (SHA-256 first by
default, then MD5 for older clients), all with the same signed nonce and opaque. Credentials are
checked in this order, cheapest and most specific first:

1. syntax (:func:`~shallot.auth.credentials.parse_digest_credentials`): 400 when broken;
2. realm, algorithm and qop must be ones offered, opaque must be ours: 401;
3. ``uri`` must name this request (RFC 7616 section 3.4.6): 400 when it does not;
4. the nonce must carry our signature: 401 (not stale) when tampered;
5. the user must exist and the store must give an HA1 for the algorithm: 401;
6. the response digest must match (constant-time): 401;
7. only then: an expired nonce gives 401 ``stale=true``, and so does a nonce count that does not
   grow (a replay), so an honest client retries silently with a fresh nonce while a replayed
   request gets nowhere.

``qop=auth-int`` covers the body as well; it is read (bounded by the request limits) and put back
into ``wsgi.input`` for the application.
"""

from __future__ import annotations

import hmac
import io
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes, urlsplit

from shallot.auth.challenges import DigestChallenge
from shallot.auth.credentials import read_digest_fields
from shallot.auth.digest import DigestAlgorithm, Qop, compute_response, userhash
from shallot.auth.errors import DigestUnavailable, MalformedCredentials
from shallot.auth.nonce_counts import MemoryNonceCounter
from shallot.auth.nonces import NonceManager, NonceStatus
from shallot.auth.outcomes import Authenticated, Failure, FailureReason
from shallot.auth.stores import supports_digest
from shallot.http import HTTPException, raw_request_target

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import WSGIEnvironment

    from shallot.auth.credentials import DigestFields
    from shallot.auth.nonce_counts import NonceCounter
    from shallot.auth.realms import Realm
    from shallot.http import Authorization, Request

__all__ = ["DigestScheme", "uri_matches"]

_DEFAULT_ALGORITHMS = (DigestAlgorithm.SHA256, DigestAlgorithm.MD5)
_DEFAULT_QOPS = (Qop.AUTH, Qop.AUTH_INT)
# Read on every request, so bound once: before Python 3.12 each attribute read on an Enum class
# goes through EnumType.__getattr__, which costs about as much as a function call.
_parse_algorithm = DigestAlgorithm.parse
_parse_qop = Qop.parse
_AUTH_INT = Qop.AUTH_INT
_INVALID = NonceStatus.INVALID
_STALE = NonceStatus.STALE


class DigestScheme:
    """Digest authentication, shared by every realm, handler and thread of an application.

    ``algorithms`` are offered in this order (most preferred first); ``qops`` likewise.
    ``userhash`` invites clients to send ``H(username:realm)`` instead of the name (each such
    request then costs one hash per user of the realm to find who it is). ``nonces`` signs and
    checks nonces (default: a :class:`~shallot.auth.nonces.NonceManager` with a random secret and
    a 300-second timeout); ``counter`` remembers nonce counts (default: a
    :class:`~shallot.auth.nonce_counts.MemoryNonceCounter`). Processes that serve the same clients
    need the same ``nonces`` secret and a shared counter
    (:class:`~shallot.auth.redis.RedisNonceCounter`).
    """

    scheme = "digest"

    __slots__ = ("algorithms", "counter", "nonces", "qops", "userhash")

    def __init__(
        self,
        *,
        algorithms: Iterable[DigestAlgorithm] = _DEFAULT_ALGORITHMS,
        qops: Iterable[Qop] = _DEFAULT_QOPS,
        userhash: bool = False,
        nonces: NonceManager | None = None,
        counter: NonceCounter | None = None,
    ) -> None:
        self.algorithms = tuple(dict.fromkeys(algorithms))
        self.qops = tuple(dict.fromkeys(qops))
        if not self.algorithms:
            raise ValueError("DigestScheme needs at least one algorithm")
        if not self.qops:
            raise ValueError("DigestScheme needs at least one qop")
        self.userhash = userhash
        self.nonces = NonceManager() if nonces is None else nonces
        self.counter: NonceCounter = MemoryNonceCounter() if counter is None else counter

    def check_realm(self, realm: Realm) -> None:
        """Refuse ``realm`` when its store can never give an HA1 (PAM, say):
        :class:`~shallot.auth.errors.DigestUnavailable`. The ``Authenticator`` and ``check_digest``
        call it with every realm they know of when they are set up."""
        if not supports_digest(realm.users):
            raise DigestUnavailable(realm.name, type(realm.users).__name__)

    def challenges(self, request: Request, realm: Realm, stale: bool = False) -> list[str]:
        """One challenge per algorithm, in order, sharing a fresh nonce."""
        nonce = self.nonces.issue()
        opaque = self.nonces.opaque(realm.name)
        return [
            DigestChallenge(
                realm.name, nonce, algorithm, self.qops, opaque, stale, self.userhash
            ).header()
            for algorithm in self.algorithms
        ]

    def verify(
        self, request: Request, authorization: Authorization, realm: Realm
    ) -> Authenticated | Failure:
        """Check Digest credentials against ``realm`` (the steps in the module documentation)."""
        try:
            credentials = read_digest_fields(authorization)
        except MalformedCredentials as error:
            return Failure(FailureReason.MALFORMED, detail=error.reason)
        claimed = credentials.username
        realm_name = realm.name
        if credentials.realm != realm_name:
            return Failure(FailureReason.WRONG_REALM, claimed)
        algorithm = _parse_algorithm(credentials.algorithm)
        if algorithm is None or algorithm not in self.algorithms:
            return Failure(FailureReason.UNSUPPORTED_ALGORITHM, claimed)
        qop = _parse_qop(credentials.qop)
        if qop is None or qop not in self.qops:
            return Failure(FailureReason.UNSUPPORTED_QOP, claimed)
        opaque = self.nonces.opaque(realm_name)
        if credentials.opaque is None or not hmac.compare_digest(
            credentials.opaque.encode("utf-8"), opaque.encode("ascii")
        ):
            return Failure(FailureReason.WRONG_OPAQUE, claimed)
        if not uri_matches(credentials.uri, request.environ):
            return Failure(FailureReason.WRONG_URI, claimed)
        nonce = self.nonces.check(credentials.nonce)
        if nonce.status is _INVALID:
            return Failure(FailureReason.INVALID_NONCE, claimed)
        username = (
            self._username(credentials, algorithm, realm) if credentials.userhash else claimed
        )
        stored_ha1 = (
            None if username is None else realm.users.digest_ha1(realm_name, username, algorithm)
        )
        if username is None or stored_ha1 is None:
            return Failure(FailureReason.UNKNOWN_USER, claimed)
        body = b""
        if qop is _AUTH_INT:
            try:
                body = _read_body(request)
            except HTTPException as error:
                reason = (
                    FailureReason.BODY_TOO_LARGE
                    if error.status_code == 413
                    else FailureReason.BODY_UNREADABLE
                )
                return Failure(reason, username)
        expected = compute_response(
            algorithm,
            stored_ha1=stored_ha1,
            method=request.method,
            uri=credentials.uri,
            nonce=credentials.nonce,
            nc=credentials.nc,
            cnonce=credentials.cnonce,
            qop=qop,
            body=body,
        )
        # Both are ASCII: hex digits (the response was checked when it was read).
        if not hmac.compare_digest(expected, credentials.response):
            return Failure(FailureReason.WRONG_PASSWORD, username)
        if nonce.status is _STALE:
            return Failure(FailureReason.STALE_NONCE, username)
        if not self.counter.record(
            credentials.nonce, credentials.nonce_count, nonce.issued_at, nonce.expires_at
        ):
            return Failure(FailureReason.REPLAYED_NONCE_COUNT, username)
        return Authenticated(username, realm_name, "digest")

    def _username(
        self, credentials: DigestFields, algorithm: DigestAlgorithm, realm: Realm
    ) -> str | None:
        """The user a userhash names, found among the realm's users; ``None`` when none is."""
        sent = credentials.username.lower().encode("ascii", "replace")
        for candidate in realm.users.usernames(realm.name):
            computed = userhash(algorithm, candidate, realm.name).encode("ascii")
            if hmac.compare_digest(computed, sent):
                return candidate
        return None


def _read_body(request: Request) -> bytes:
    """The request body for ``auth-int``, put back into ``wsgi.input`` for the application."""
    body = request.body
    environ = request.environ
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _split_target(target: str) -> tuple[bytes, str]:
    """A request-target's path (percent-decoded bytes) and query; absolute form accepted."""
    if "://" in target.partition("?")[0]:
        parts = urlsplit(target)
        path, query = parts.path or "/", parts.query
    else:
        path, _, query = target.partition("?")
    return unquote_to_bytes(path) if "%" in path else path.encode("utf-8"), query


def uri_matches(uri: str, environ: WSGIEnvironment) -> bool:
    """Whether a Digest ``uri`` names the request being served.

    Compared with the raw request-target when the server provides it (``REQUEST_URI`` or
    ``RAW_URI``), else with ``SCRIPT_NAME + PATH_INFO`` and ``QUERY_STRING``. Paths are compared
    percent-decoded, so ``/a%20b`` and ``/a b`` agree; the absolute form (``http://host/path``)
    is accepted as well.
    """
    path, query = _split_target(uri)
    raw_target = raw_request_target(environ)
    if raw_target is not None:
        return (path, query) == _split_target(raw_target)
    script_name: str = environ.get("SCRIPT_NAME", "")
    path_info: str = environ.get("PATH_INFO", "")
    request_path = (script_name + path_info).encode("latin-1", "replace") or b"/"
    request_query: str = environ.get("QUERY_STRING", "")
    return path == request_path and query == request_query
