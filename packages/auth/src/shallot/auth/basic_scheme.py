"""``BasicScheme``: HTTP Basic authentication (RFC 7617), for the clients that need it.

Basic sends the password itself (base64 is no protection), so it belongs on HTTPS only; Windows'
WebDAV redirector is the classic client that insists on it. With ``require_https`` (the default)
Basic is neither offered nor accepted over plain HTTP: a request that sends Basic credentials over
HTTP anyway is refused without looking at the password, and answered with the other schemes'
challenges (or 403 when there are none). "HTTPS" means ``wsgi.url_scheme`` is ``https``: behind a
TLS-terminating proxy, let a proxy-fix middleware set it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.auth.challenges import basic_challenge
from shallot.auth.outcomes import Authenticated, Failure, FailureReason
from shallot.http import MalformedAuthorization

if TYPE_CHECKING:
    from shallot.auth.realms import Realm
    from shallot.http import Authorization, Request

__all__ = ["BasicScheme"]


class BasicScheme:
    """Basic authentication; ``require_https=False`` also allows it over plain HTTP."""

    scheme = "basic"

    __slots__ = ("require_https",)

    def __init__(self, *, require_https: bool = True) -> None:
        self.require_https = require_https

    def offered(self, request: Request) -> bool:
        """Whether Basic may be used for ``request`` (HTTPS, or HTTPS not required)."""
        return request.secure or not self.require_https

    def challenges(self, request: Request, realm: Realm, stale: bool = False) -> list[str]:
        """``Basic realm="...", charset="UTF-8"`` when :meth:`offered`, else nothing."""
        return [basic_challenge(realm.name)] if self.offered(request) else []

    def verify(
        self, request: Request, authorization: Authorization, realm: Realm
    ) -> Authenticated | Failure:
        """Check a user name and password against ``realm``'s store."""
        if not self.offered(request):
            return Failure(FailureReason.INSECURE_TRANSPORT)
        try:
            username, password = authorization.basic()
        except MalformedAuthorization as error:
            return Failure(FailureReason.MALFORMED, detail=str(error))
        if not username:
            return Failure(FailureReason.MALFORMED, detail="empty user name")
        if not realm.users.check_password(realm.name, username, password):
            return Failure(FailureReason.WRONG_PASSWORD, username)
        return Authenticated(username, realm.name, "basic")
