"""``check_digest`` and ``check_basic``: guard one handler, PoorWSGI style.

::

    admins = Realm("Admin Zone", HtdigestUserStore("admins.htdigest"))
    digest = DigestScheme(algorithms=[DigestAlgorithm.MD5], nonces=NonceManager(SECRET))

    @app.route("/admin")
    @check_digest(admins, scheme=digest)
    def admin_zone(req):
        return f"Only for admins, just like you, {req.user}."

A guarded handler is any callable taking a :class:`shallot.http.Request` (or a subclass) first:
``handler(req, *args, **kwargs)``, which is how ``shallot.routing`` calls handlers, so these
decorators work there without this package depending on it. The guard verifies the credentials;
on success it sets ``req.user`` (and ``REMOTE_USER``, ``AUTH_TYPE`` and ``shallot.auth.realm`` in
the environ) and returns what the handler returns; otherwise it returns the ``shallot.http``
response to send (400, 401 with challenges, 403 for a user not named, 413) without calling it.

Give handlers of one application the same ``scheme`` object: a nonce issued for one handler is
then accepted by the others, and its counts are tracked in one place.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from shallot.auth.basic_scheme import BasicScheme
from shallot.auth.digest_scheme import DigestScheme
from shallot.auth.middleware import REALM_KEY
from shallot.auth.outcomes import Failure
from shallot.auth.rules import AUTHENTICATED, Principals
from shallot.auth.schemes import authenticate, failure_response
from shallot.http import Request, Response, forbidden

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from shallot.auth.realms import Realm
    from shallot.auth.schemes import AuthScheme

__all__ = ["check_basic", "check_digest"]

log = logging.getLogger("shallot.auth")

RequestT = TypeVar("RequestT", bound=Request)
P = ParamSpec("P")
R = TypeVar("R")


def check_digest(
    realm: Realm,
    *users: str,
    roles: Iterable[str] = (),
    scheme: DigestScheme | None = None,
) -> Callable[
    [Callable[Concatenate[RequestT, P], R]], Callable[Concatenate[RequestT, P], R | Response]
]:
    """Require Digest authentication in ``realm`` for the decorated handler.

    ``users`` and ``roles`` (role names of ``realm``) narrow who is admitted; with neither, any
    user of the realm is. ``scheme`` defaults to a new :class:`DigestScheme` for this handler.
    :class:`~shallot.auth.errors.DigestUnavailable` when the realm's store cannot do Digest (PAM).
    """
    digest = DigestScheme() if scheme is None else scheme
    digest.check_realm(realm)
    return _guard((digest,), realm, _principals(users, roles))


def check_basic(
    realm: Realm,
    *users: str,
    roles: Iterable[str] = (),
    scheme: BasicScheme | None = None,
) -> Callable[
    [Callable[Concatenate[RequestT, P], R]], Callable[Concatenate[RequestT, P], R | Response]
]:
    """Require Basic authentication in ``realm`` for the decorated handler.

    As :func:`check_digest`; ``scheme`` defaults to ``BasicScheme()``, which refuses plain HTTP
    (403 there: there is nothing to offer).
    """
    return _guard((BasicScheme() if scheme is None else scheme,), realm, _principals(users, roles))


def _principals(users: tuple[str, ...], roles: Iterable[str]) -> Principals:
    named = Principals(users=frozenset(users), roles=frozenset(roles))
    return named if named.users or named.roles else AUTHENTICATED


def _guard(
    schemes: tuple[AuthScheme, ...], realm: Realm, principals: Principals
) -> Callable[
    [Callable[Concatenate[RequestT, P], R]], Callable[Concatenate[RequestT, P], R | Response]
]:
    def decorator(
        handler: Callable[Concatenate[RequestT, P], R],
    ) -> Callable[Concatenate[RequestT, P], R | Response]:
        @functools.wraps(handler)
        def guarded(req: RequestT, /, *args: P.args, **kwargs: P.kwargs) -> R | Response:
            outcome = authenticate(req, realm, schemes)
            if isinstance(outcome, Failure):
                return failure_response(req, realm, schemes, outcome)
            if not principals.admits(outcome.username, realm):
                log.warning(
                    "access refused: user=%r realm=%r handler=%s",
                    outcome.username,
                    realm.name,
                    getattr(handler, "__qualname__", handler),
                )
                return forbidden("this user may not use this resource")
            req.user = outcome.username
            environ = req.environ
            environ["REMOTE_USER"] = outcome.username
            environ["AUTH_TYPE"] = outcome.scheme.capitalize()
            environ[REALM_KEY] = outcome.realm
            return handler(req, *args, **kwargs)

        return guarded

    return decorator
