"""``Authenticator``: WSGI middleware that challenges, verifies, and tells the app who is calling.

::

    users = HtdigestUserStore("users.htdigest")
    app = Authenticator(app, Realm("files", users), schemes=[DigestScheme(
        algorithms=[DigestAlgorithm.MD5], nonces=NonceManager(secret=SECRET))])

For each request, the :class:`~shallot.auth.rules.AccessPolicy` names the realm of the path
(none: 403). A request its rule lets anyone make, and that carries no credentials, passes as
anonymous. Otherwise the credentials are verified (400/401/413 when refused, see
:func:`~shallot.auth.schemes.failure_response`), and a user the rule does not admit gets 403. The
application below sees ``REMOTE_USER`` (the user name), ``AUTH_TYPE`` (``Digest`` or ``Basic``)
and ``shallot.auth.realm`` (the realm name); for anonymous requests all three are removed, so the
app never trusts a value set by someone else. ``REMOTE_USER`` holds the name as text (a non-ASCII
name is not re-encoded as latin-1), which is what ``shallot.http.Request.user`` hands on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from shallot.auth.digest_scheme import DigestScheme
from shallot.auth.outcomes import Failure
from shallot.auth.realms import Realm
from shallot.auth.rules import AccessRules, PathRule, access_for
from shallot.auth.schemes import authenticate, failure_response
from shallot.http import Request, forbidden

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.auth.rules import AccessPolicy
    from shallot.auth.schemes import AuthScheme
    from shallot.http import RequestLimits

__all__ = ["REALM_KEY", "Authenticator"]

REALM_KEY = "shallot.auth.realm"
"""The environ key holding the realm name of an authenticated request."""

log = logging.getLogger("shallot.auth")


class Authenticator:
    """Guard ``app`` with HTTP authentication.

    ``policy`` is an :class:`~shallot.auth.rules.AccessPolicy` (usually
    :class:`~shallot.auth.rules.AccessRules`) or a single :class:`~shallot.auth.realms.Realm`,
    which means "every path, any user of this realm". ``schemes`` are offered in order (default:
    one :class:`~shallot.auth.digest_scheme.DigestScheme` with its defaults). ``limits`` bound
    the body read for Digest ``auth-int``. A Digest scheme with a realm whose store cannot do
    Digest (PAM) raises :class:`~shallot.auth.errors.DigestUnavailable` here.
    """

    def __init__(
        self,
        app: WSGIApplication,
        policy: AccessPolicy | Realm,
        *,
        schemes: Iterable[AuthScheme] | None = None,
        limits: RequestLimits | None = None,
    ) -> None:
        self.app = app
        self.policy: AccessPolicy = (
            AccessRules([PathRule("/", policy)]) if isinstance(policy, Realm) else policy
        )
        self.schemes: Sequence[AuthScheme] = (
            (DigestScheme(),) if schemes is None else tuple(schemes)
        )
        if not self.schemes:
            raise ValueError("Authenticator needs at least one scheme")
        if isinstance(self.policy, AccessRules):
            for scheme in self.schemes:
                if isinstance(scheme, DigestScheme):
                    for rule in self.policy.rules:
                        scheme.check_realm(rule.realm)
        self.limits = limits

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ, self.limits)
        path = request.path
        realm = self.policy.realm_for(path)
        if realm is None:
            return forbidden("no access rule covers this path")(environ, start_response)
        access = access_for(request.method)
        if "HTTP_AUTHORIZATION" not in environ and self.policy.permits(path, None, access):
            for key in ("REMOTE_USER", "AUTH_TYPE", REALM_KEY):
                environ.pop(key, None)
            return self.app(environ, start_response)
        outcome = authenticate(request, realm, self.schemes)
        if isinstance(outcome, Failure):
            response = failure_response(request, realm, self.schemes, outcome)
            return response(environ, start_response)
        if not self.policy.permits(path, outcome.username, access):
            log.warning(
                "access refused: user=%r realm=%r access=%s",
                outcome.username,
                realm.name,
                access.value,
            )
            return forbidden(f"{access.value} access refused")(environ, start_response)
        environ["REMOTE_USER"] = outcome.username
        environ["AUTH_TYPE"] = outcome.scheme.capitalize()
        environ[REALM_KEY] = outcome.realm
        return self.app(environ, start_response)
