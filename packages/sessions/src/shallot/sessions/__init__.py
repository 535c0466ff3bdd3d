"""shallot.sessions: cookie sessions and server-side sessions for WSGI apps.

- :class:`Session`: the data in a signed (optionally AES-GCM encrypted) cookie, PoorWSGI's shape.
- :class:`ServerSession`: a random id in the cookie, the data in a :class:`SessionStore`:
  :class:`MemorySessionStore`, :class:`SQLiteSessionStore` (the embedded default) or
  :class:`RedisSessionStore`.
- :class:`SessionMiddleware` (WSGI) and :func:`session_middleware` (the routing App) give every
  request its session as ``request.session``, read lazily and saved only when changed.
- :func:`csrf_token`, :func:`check_csrf` and :func:`csrf_protect` tie CSRF tokens to the session.
"""

from shallot.sessions.__about__ import __version__ as __version__
from shallot.sessions.cookie_codec import MAX_COOKIE_SIZE as MAX_COOKIE_SIZE
from shallot.sessions.cookie_codec import CookieCodec as CookieCodec
from shallot.sessions.cookie_codec import DecodedSession as DecodedSession
from shallot.sessions.cookie_session import Session as Session
from shallot.sessions.cookie_settings import CookieSettings as CookieSettings
from shallot.sessions.csrf import CSRF_FIELD as CSRF_FIELD
from shallot.sessions.csrf import CSRF_HEADER as CSRF_HEADER
from shallot.sessions.csrf import CSRF_SESSION_KEY as CSRF_SESSION_KEY
from shallot.sessions.csrf import CSRFProtect as CSRFProtect
from shallot.sessions.csrf import check_csrf as check_csrf
from shallot.sessions.csrf import csrf_protect as csrf_protect
from shallot.sessions.csrf import csrf_token as csrf_token
from shallot.sessions.errors import ExpiredSession as ExpiredSession
from shallot.sessions.errors import IncompatibleStore as IncompatibleStore
from shallot.sessions.errors import InvalidSession as InvalidSession
from shallot.sessions.errors import OversizedSession as OversizedSession
from shallot.sessions.errors import SessionCookieTooLarge as SessionCookieTooLarge
from shallot.sessions.managed_session import ManagedSession as ManagedSession
from shallot.sessions.memory_store import MemorySessionStore as MemorySessionStore
from shallot.sessions.middleware import SessionHandlerMiddleware as SessionHandlerMiddleware
from shallot.sessions.middleware import SessionMiddleware as SessionMiddleware
from shallot.sessions.middleware import session_middleware as session_middleware
from shallot.sessions.redis_store import RedisSessionStore as RedisSessionStore
from shallot.sessions.server_session import ServerSession as ServerSession
from shallot.sessions.signing import SecretKey as SecretKey
from shallot.sessions.signing import Signer as Signer
from shallot.sessions.sqlite_store import SQLiteSessionStore as SQLiteSessionStore
from shallot.sessions.store import SessionChanges as SessionChanges
from shallot.sessions.store import SessionStore as SessionStore

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "CSRF_SESSION_KEY",
    "MAX_COOKIE_SIZE",
    "CSRFProtect",
    "CookieCodec",
    "CookieSettings",
    "DecodedSession",
    "ExpiredSession",
    "IncompatibleStore",
    "InvalidSession",
    "ManagedSession",
    "MemorySessionStore",
    "OversizedSession",
    "RedisSessionStore",
    "SQLiteSessionStore",
    "SecretKey",
    "ServerSession",
    "Session",
    "SessionChanges",
    "SessionCookieTooLarge",
    "SessionHandlerMiddleware",
    "SessionMiddleware",
    "SessionStore",
    "Signer",
    "__version__",
    "check_csrf",
    "csrf_protect",
    "csrf_token",
    "session_middleware",
]
