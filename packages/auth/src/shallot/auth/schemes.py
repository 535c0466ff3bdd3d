"""Authentication schemes behind one protocol, and the two steps every front end shares.

:class:`AuthScheme` is what Digest (:class:`~shallot.auth.digest_scheme.DigestScheme`) and Basic
(:class:`~shallot.auth.basic_scheme.BasicScheme`) have in common: the challenges to send and how
to verify credentials. The WSGI middleware and the handler decorators both call
:func:`authenticate` (pick the scheme the client used, verify, log the outcome) and
:func:`failure_response` (turn a failure into 400, 401, 403 or 413), so they answer alike.

Logging (logger ``shallot.auth``): a refusal is a warning naming the user the client claimed, the
realm, the scheme and the reason; never a password, a digest or the Authorization header.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from shallot.auth.outcomes import Authenticated, Failure, FailureReason
from shallot.http import HTTPException, bad_request, forbidden, http_error, unauthorized

if TYPE_CHECKING:
    from collections.abc import Sequence

    from shallot.auth.realms import Realm
    from shallot.http import Authorization, Request, Response

__all__ = ["AuthScheme", "authenticate", "failure_response"]

log = logging.getLogger("shallot.auth")


class AuthScheme(Protocol):
    """One HTTP authentication scheme, configured once and shared by every realm and thread."""

    @property
    def scheme(self) -> str:
        """The scheme's name as :class:`~shallot.http.Authorization` gives it (lower-case)."""
        ...

    def challenges(self, request: Request, realm: Realm, stale: bool) -> list[str]:
        """The ``WWW-Authenticate`` values for ``realm``; empty when not offered for ``request``."""
        ...

    def verify(
        self, request: Request, authorization: Authorization, realm: Realm
    ) -> Authenticated | Failure:
        """Check credentials of this scheme against ``realm``."""
        ...


def authenticate(
    request: Request, realm: Realm, schemes: Sequence[AuthScheme]
) -> Authenticated | Failure:
    """Verify the request's credentials with the scheme they use; log the outcome.

    A missing Authorization header gives ``Failure(NO_CREDENTIALS)``, an unparsable one
    ``Failure(MALFORMED)``, a scheme not in ``schemes`` ``Failure(SCHEME_NOT_OFFERED)``.
    """
    try:
        authorization = request.authorization
    except HTTPException:
        outcome: Authenticated | Failure = Failure(
            FailureReason.MALFORMED, detail="unparsable Authorization header"
        )
        _log(outcome, realm, "?")
        return outcome
    if authorization is None:
        log.debug("no credentials for realm %r", realm.name)
        return Failure(FailureReason.NO_CREDENTIALS)
    for scheme in schemes:
        if scheme.scheme == authorization.scheme:
            outcome = scheme.verify(request, authorization, realm)
            break
    else:
        outcome = Failure(FailureReason.SCHEME_NOT_OFFERED)
    _log(outcome, realm, authorization.scheme)
    return outcome


def _log(outcome: Authenticated | Failure, realm: Realm, scheme: str) -> None:
    if isinstance(outcome, Authenticated):
        log.debug("authenticated user=%r realm=%r scheme=%s", outcome.username, realm.name, scheme)
        return
    detail = f" ({outcome.detail})" if outcome.detail else ""
    log.warning(
        "authentication failed: user=%r realm=%r scheme=%s reason=%s%s",
        outcome.username,
        realm.name,
        scheme,
        outcome.reason.value,
        detail,
    )


def failure_response(
    request: Request, realm: Realm, schemes: Sequence[AuthScheme], failure: Failure
) -> Response:
    """The answer to ``failure``.

    400 for malformed credentials or a wrong Digest ``uri``, 413 for an ``auth-int`` body over the
    limit, otherwise 401 with every challenge the schemes offer for this request (Digest ones
    with ``stale=true`` when the failure is stale). When no scheme can be offered (Basic only,
    refused over plain HTTP) the answer is 403: asking for credentials would be pointless.
    """
    status = failure.status
    if status == 400:
        detail = failure.detail or failure.reason.value
        return bad_request(f"invalid Authorization header: {detail}")
    if status != 401:
        return http_error(status, failure.reason.value)
    challenges = [
        challenge
        for scheme in schemes
        for challenge in scheme.challenges(request, realm, failure.stale)
    ]
    if not challenges:
        return forbidden("authentication here is only offered over HTTPS")
    return unauthorized(challenges)
