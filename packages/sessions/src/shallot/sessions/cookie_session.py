"""``Session``: the whole session in a signed (optionally encrypted) cookie, in PoorWSGI's shape.

Covers PoorWSGI's ``PoorSession`` (and Werkzeug/Flask's ``SecureCookieSession``): nothing is kept on
the server, so any number of processes and machines share sessions by sharing the secret. The
price is size (browsers keep at most 4096 bytes per cookie) and that the client can read the data
unless it is encrypted (``encrypt=True``, extra ``shallot-sessions[crypto]``)::

    session = Session(app_secret, secure=True)
    session.load(request)
    session["user"] = "ann"
    session.header(response)        # Set-Cookie: SESSID=...; Path=/; Max-Age=...; Secure; ...

or let :class:`~shallot.sessions.middleware.SessionMiddleware` do the loading and writing, and use
``request.session``.

Unlike ``PoorSession``, a bad cookie never raises: tampered, expired, oversized or garbage cookies
give an empty session and a warning on the ``shallot.sessions`` logger. A cookie about to be sent
over 4096 bytes issues :class:`~shallot.sessions.errors.SessionCookieTooLarge` (a
:class:`UserWarning`) and is logged too: browsers would drop it.
"""

from __future__ import annotations

import time
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING

from shallot.sessions.cookie_codec import MAX_COOKIE_SIZE, CookieCodec
from shallot.sessions.cookie_settings import (
    DEFAULT_COOKIE_NAME,
    DEFAULT_MAX_AGE,
    CookieSettings,
    cookie_settings,
)
from shallot.sessions.errors import InvalidSession, SessionCookieTooLarge, logger
from shallot.sessions.managed_session import ManagedSession
from shallot.sessions.signing import secret_keys

if TYPE_CHECKING:
    from shallot.http import JSONValue, Request
    from shallot.http.cookies import SameSite
    from shallot.sessions.signing import SecretKey

__all__ = ["Session"]


@lru_cache(maxsize=32)
def _codec(secrets: tuple[bytes, ...], encrypt: bool, compress: bool) -> CookieCodec:
    """Codecs are made once per configuration: deriving keys is not a per-request cost."""
    return CookieCodec(secrets, encrypt=encrypt, compress=compress)


class Session(ManagedSession):
    """A cookie session; see the module documentation.

    ``secret_key`` is the application secret, or a sequence of them for rotation (the first signs,
    all verify; a cookie signed by an older one is re-signed by the first when next written).
    ``max_age`` (seconds) is both the cookie's ``Max-Age`` and the expiry signed into it, counted
    from the last write; ``None`` makes a browser session. The other cookie attributes are those
    of :class:`~shallot.sessions.cookie_settings.CookieSettings`, checked here (``ValueError``).
    Make one per request; configuration-derived keys are cached, so that is cheap.
    """

    __slots__ = ("_codec", "_settings", "key_index")

    def __init__(
        self,
        secret_key: SecretKey,
        *,
        name: str = DEFAULT_COOKIE_NAME,
        max_age: int | None = DEFAULT_MAX_AGE,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = True,
        samesite: SameSite | None = "Lax",
        encrypt: bool = False,
        compress: bool = True,
    ) -> None:
        super().__init__()
        self._codec = _codec(secret_keys(secret_key), encrypt, compress)
        self._settings: CookieSettings = cookie_settings(
            name, max_age, path, domain, secure, httponly, samesite
        )
        self.key_index: int | None = None
        """Which secret signed the cookie read (0: the current one), ``None`` if none was read."""

    @property
    def settings(self) -> CookieSettings:
        """The cookie's name and attributes."""
        return self._settings

    def _read(self, request: Request) -> dict[str, JSONValue]:
        name = self._settings.name
        value = request.cookies.get(name)
        if not value:
            return {}
        try:
            decoded = self._codec.decode(value)
        except InvalidSession as error:
            logger.warning("session cookie %r ignored: %s", name, error.reason)
            return {}
        self.key_index = decoded.key_index
        return decoded.data

    def write(self) -> str:
        """The ``Set-Cookie`` value holding the session now, signed by the current secret (the
        deleting cookie when the session is empty). Warns with
        :class:`~shallot.sessions.errors.SessionCookieTooLarge` when it is over 4096 bytes."""
        data = self._loaded()
        settings = self._settings
        self._written()
        if not data:
            return settings.deletion().render()
        max_age = settings.max_age
        expires_at = None if max_age is None else time.time() + max_age
        cookie = settings.set_cookie(self._codec.encode(data, expires_at))
        if len(cookie) > MAX_COOKIE_SIZE:
            warning = SessionCookieTooLarge(settings.name, len(cookie), MAX_COOKIE_SIZE)
            logger.warning("%s", warning)
            warnings.warn(warning, stacklevel=2)
        return cookie
