"""The errors shallot.auth raises: one typed exception per fault, carrying what the caller needs.

Every error derives from :class:`AuthError`. Authentication *failures* (a wrong password, a stale
nonce) are not exceptions: they are :class:`~shallot.auth.outcomes.Failure` values, because they
are the normal answer to a request. Exceptions are kept for what a caller must fix or refuse: a
header that does not follow its syntax, a password file that cannot be read, a hash this package
cannot verify, an optional dependency that is not installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "AuthError",
    "DigestUnavailable",
    "InvalidEntry",
    "MalformedCredentials",
    "MissingExtra",
    "PAMUnavailable",
    "PasswordFileError",
    "UnsupportedHash",
]


class AuthError(Exception):
    """Base of every error raised by shallot.auth."""


class MalformedCredentials(AuthError, ValueError):
    """Digest credentials miss a required field or hold a value that breaks its syntax.

    A server answers it with ``400 Bad Request``. ``reason`` says what is wrong and never repeats
    the header value (it may hold secrets).
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class PasswordFileError(AuthError, ValueError):
    """A password file (htpasswd, htdigest) could not be parsed.

    ``line`` is the 1-based line number of the fault, ``None`` when the fault is the whole file
    (e.g. it is not UTF-8). The offending line is not quoted: it holds a password hash.
    """

    def __init__(self, path: Path | None, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = "<memory>" if path is None else str(path)
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {reason}")


class InvalidEntry(AuthError, ValueError):
    """A user name, realm or digest cannot be stored in a password file (``field`` says which)."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"invalid {field}: {reason}")


class UnsupportedHash(AuthError, ValueError):
    """A password hash uses a scheme this package cannot verify (``scheme`` names it)."""

    def __init__(self, scheme: str) -> None:
        self.scheme = scheme
        super().__init__(f"unsupported password hash scheme {scheme!r}")


class MissingExtra(AuthError, ImportError):
    """An optional dependency is needed: install ``shallot-auth[extra]``.

    Raised, for instance, when a bcrypt hash is met without the ``bcrypt`` package installed.
    """

    def __init__(self, extra: str, module: str, needed_for: str) -> None:
        self.extra = extra
        self.module = module
        self.needed_for = needed_for
        super().__init__(
            f"{needed_for} needs the {module!r} package: pip install 'shallot-auth[{extra}]'",
            name=module,
        )


class DigestUnavailable(AuthError, ValueError):
    """Digest was configured for a realm whose user store can never take part in it.

    Digest needs ``H(username:realm:password)`` from the store; a store that only answers "is this
    the password?" (PAM) cannot give it. Raised when the scheme and the realm meet (an
    ``Authenticator``, ``check_digest``), so the mistake shows at start-up instead of as 401s
    for everyone. ``realm`` names the realm, ``store`` the store's class; offer Basic (over
    HTTPS) there.
    """

    def __init__(self, realm: str, store: str) -> None:
        self.realm = realm
        self.store = store
        super().__init__(
            f"realm {realm!r}: {store} cannot give the HA1 Digest needs; use Basic for this realm"
        )


class PAMUnavailable(AuthError, OSError):
    """PAM cannot be used on this machine (``reason`` says why): no ``libpam`` to load, say.

    A missing Python binding is :class:`MissingExtra` instead (``shallot-auth[pam]``).
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"PAM is unavailable: {reason}")
