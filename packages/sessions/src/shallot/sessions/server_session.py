"""``ServerSession``: the data in a store, only a random id in the cookie.

Covers PoorWSGI's plain ``Session`` holding a server-side id (where PoorWSGI leaves the store to
you), Werkzeug/Flask's server-side session extensions and Wheezy's session stores. Use it when the
data is large, must stay on the server, or must be revocable (destroying the stored session ends it
even if the cookie was copied)::

    store = SQLiteSessionStore("/var/lib/app/sessions.sqlite")
    app = SessionMiddleware(app, lambda: ServerSession(store, secret_key=app_secret, secure=True))

The id is ``secrets.token_urlsafe(32)`` (256 random bits). With ``secret_key`` the cookie carries
it signed (see :mod:`shallot.sessions.signing`; rotation works as for cookie sessions), so forged
ids are refused without asking the store; without, the bare id. An id the store does not know (made
up, expired, destroyed) is never adopted: the session starts empty and gets a fresh id when first
saved, so a client cannot choose its own id. Call :meth:`~ServerSession.regenerate` on login
anyway: the data moves to a new id atomically and the old id stops working (against session
fixation by a planted, genuine id).

Saving writes only the keys this request changed (see :mod:`shallot.sessions.store`), and each
save restarts the expiry: ``max_age`` seconds after the last change, on the cookie and in the
store alike.
"""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from typing import TYPE_CHECKING

from shallot.sessions.base64url import decode_base64url, encode_base64url
from shallot.sessions.cookie_settings import (
    DEFAULT_COOKIE_NAME,
    DEFAULT_MAX_AGE,
    CookieSettings,
    cookie_settings,
)
from shallot.sessions.errors import InvalidSession, logger
from shallot.sessions.managed_session import ManagedSession
from shallot.sessions.signing import Signer, secret_keys
from shallot.sessions.store import SessionChanges

if TYPE_CHECKING:
    from shallot.http import JSONValue, Request
    from shallot.http.cookies import SameSite
    from shallot.sessions.signing import SecretKey
    from shallot.sessions.store import SessionStore

__all__ = ["ServerSession", "new_session_id"]

_ID_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_ID_LENGTH = 43


def new_session_id() -> str:
    """A fresh session id: 32 random bytes from :mod:`secrets`, base64url (43 characters)."""
    return secrets.token_urlsafe(32)


def _is_session_id(value: str) -> bool:
    return len(value) == _ID_LENGTH and _ID_CHARACTERS.issuperset(value)


@lru_cache(maxsize=32)
def _signer(keys: tuple[bytes, ...]) -> Signer:
    return Signer(keys, purpose="session id")


def _json(value: JSONValue) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class ServerSession(ManagedSession):
    """A server-side session in ``store``; see the module documentation.

    ``secret_key`` (optional) signs the id in the cookie. ``max_age`` (seconds, required: stored
    sessions must expire) and the other cookie attributes are those of
    :class:`~shallot.sessions.cookie_settings.CookieSettings`, checked here (``ValueError``). Make
    one per request; the store is shared.
    """

    __slots__ = ("_id", "_max_age", "_settings", "_signer", "_store")

    def __init__(
        self,
        store: SessionStore,
        *,
        secret_key: SecretKey | None = None,
        name: str = DEFAULT_COOKIE_NAME,
        max_age: int = DEFAULT_MAX_AGE,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = True,
        samesite: SameSite | None = "Lax",
    ) -> None:
        super().__init__()
        if max_age is None:
            raise ValueError("a server-side session needs a max_age")
        self._store = store
        self._signer = None if secret_key is None else _signer(secret_keys(secret_key))
        self._settings: CookieSettings = cookie_settings(
            name, max_age, path, domain, secure, httponly, samesite
        )
        self._max_age = max_age
        self._id: str | None = None

    @property
    def settings(self) -> CookieSettings:
        """The cookie's name and attributes."""
        return self._settings

    @property
    def id(self) -> str | None:
        """The id the session is stored under, ``None`` while it is not stored (loads first)."""
        self._loaded()
        return self._id

    def destroy(self) -> None:
        """Forget the data; the next write deletes the stored session (even one this request never
        read) and the cookie. Keys set after this start a new session under a new id."""
        self._loaded()
        super().destroy()

    def _cookie_id(self, value: str) -> str:
        """The session id in cookie ``value``; :class:`InvalidSession` when there is none."""
        if self._signer is not None:
            value = self._signer.verify(decode_base64url(value)).payload.decode("ascii", "replace")
        if not _is_session_id(value):
            raise InvalidSession("the cookie holds no session id")
        return value

    def _read(self, request: Request) -> dict[str, JSONValue]:
        name = self._settings.name
        value = request.cookies.get(name)
        if not value:
            return {}
        try:
            session_id = self._cookie_id(value)
        except InvalidSession as error:
            logger.warning("session cookie %r ignored: %s", name, error.reason)
            return {}
        stored = self._store.load(session_id)
        if stored is None:
            logger.info("session cookie %r names no live session: starting a new one", name)
            return {}
        try:
            data: dict[str, JSONValue] = {key: json.loads(text) for key, text in stored.items()}
        except ValueError:
            logger.warning("stored session under cookie %r is not JSON: starting a new one", name)
            return {}
        self._id = session_id
        return data

    def write(self) -> str:
        """Save what changed (everything, for a new id) and return the ``Set-Cookie`` value; an
        unchanged session has its expiry restarted. An empty session is removed from the store
        and its cookie deleted. The store's errors propagate (each store call is atomic)."""
        data = self._loaded()
        session_id = self._id
        if self._destroyed and session_id is not None:
            self._store.delete(session_id)
            session_id = None
        if not data:
            if session_id is not None:
                self._store.delete(session_id)
            self._id = None
            self._written()
            return self._settings.deletion().render()
        if session_id is None:
            changes = SessionChanges({key: _json(value) for key, value in data.items()})
            session_id = new_session_id()
        else:
            values = {key: _json(data[key]) for key in self._changed}
            previous = None
            if self._regenerated:
                previous, session_id = session_id, new_session_id()
            changes = SessionChanges(values, frozenset(self._deleted), previous)
        self._store.save(session_id, changes, self._max_age)
        self._id = session_id
        self._written()
        return self._settings.set_cookie(self._cookie_value(session_id))

    def _cookie_value(self, session_id: str) -> str:
        if self._signer is None:
            return session_id
        return encode_base64url(self._signer.sign(session_id.encode("ascii")))
