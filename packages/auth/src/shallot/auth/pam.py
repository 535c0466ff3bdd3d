"""``PAMUserStore``: the machine's own accounts as users, checked by PAM (WsgiDAV's PAM domain
controller).

Install with the extra: ``pip install 'shallot-auth[pam]'`` (the ``pamela`` binding, imported when
a store is created, so ``import shallot.auth`` never needs it); import it from here::

    from shallot.auth import Authenticator, BasicScheme, Realm
    from shallot.auth.pam import PAMUserStore

    accounts = Realm("files", PAMUserStore(service="login", allow_users={"ann", "bob"}))
    app = Authenticator(app, accounts, schemes=[BasicScheme()])  # Basic over HTTPS

**Basic only.** PAM answers one question, "is this the password of this account?", and never hands
out anything derived from the password, so it cannot give the ``H(username:realm:password)`` Digest
needs: a Digest scheme refuses a realm with this store with
:class:`~shallot.auth.errors.DigestUnavailable` when it is set up. The realm does not matter: an
account's password is the same in every realm.

**The service** names the PAM configuration used (``/etc/pam.d/<service>``). The default,
``login``, exists on every Linux system and checks the password and the account (expiry,
``/etc/nologin``) the way a console login does; on Debian it also waits 3 s after a wrong password
(``pam_faildelay``), which slows guessing but holds the request's thread that long. A service of
your own (``/etc/pam.d/webdav``: ``auth required pam_unix.so`` and ``account required
pam_unix.so``) states exactly what is checked. An unknown service falls back to PAM's ``other``.
To check other accounts' passwords with ``pam_unix`` the server must run as root or be allowed to
read ``/etc/shadow`` (group ``shadow`` on Debian); otherwise every check fails and is logged.

**Refused before PAM is asked** (``False``, never an exception): an empty password (``pam_unix``
with ``nullok`` would let an account without a password in with one), a password holding NUL (C
would cut it there, so the right password followed by NUL and anything would pass) or a line
break, a password over 512 bytes (PAM's limit), a user name that is empty, over 256 bytes or holds
a control character, and the users of ``deny_users`` (default: ``root``) or outside
``allow_users`` when given.

**Threads.** Each check has a PAM handle of its own, so checks run in parallel. For a PAM stack
whose modules are not thread-safe, ``serialize=True`` runs one check at a time.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import TYPE_CHECKING, ClassVar

from shallot.auth.errors import MissingExtra, PAMUnavailable

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

    from shallot.auth.digest import DigestAlgorithm

__all__ = ["DEFAULT_SERVICE", "MAX_PASSWORD_BYTES", "MAX_USERNAME_BYTES", "PAMUserStore"]

log = logging.getLogger("shallot.auth")

DEFAULT_SERVICE = "login"
"""The PAM service a store uses unless told otherwise."""

MAX_PASSWORD_BYTES = 512
"""The longest password (UTF-8) handed to PAM: Linux-PAM's ``PAM_MAX_RESP_SIZE``."""

MAX_USERNAME_BYTES = 256
"""The longest user name (UTF-8) handed to PAM: Linux's ``LOGIN_NAME_MAX``."""

# Linux-PAM's codes for "these credentials are not good", as opposed to "PAM itself failed".
_REFUSALS = frozenset(
    (
        6,  # PAM_PERM_DENIED
        7,  # PAM_AUTH_ERR
        8,  # PAM_CRED_INSUFFICIENT
        10,  # PAM_USER_UNKNOWN
        11,  # PAM_MAXTRIES
        12,  # PAM_NEW_AUTHTOK_REQD: the password has expired
        13,  # PAM_ACCT_EXPIRED
    )
)


def _load_binding() -> ModuleType:
    try:
        import pamela  # type: ignore[import-untyped, unused-ignore]  # pamela ships no types
    except ImportError as missing:
        raise MissingExtra("pam", "pamela", "PAMUserStore") from missing
    except (OSError, AttributeError) as error:  # pamela binds libpam when imported
        raise PAMUnavailable(f"libpam cannot be loaded ({error})") from error
    binding: ModuleType = pamela
    return binding


def _has_control(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


class PAMUserStore:
    """The accounts PAM knows, for Basic authentication (see the module documentation).

    ``service`` is the PAM service name (:class:`ValueError` when empty, or holding ``/``,
    whitespace or a control character); ``allow_users`` (default: every account) and
    ``deny_users`` (default: ``root``) narrow who may log in; ``serialize`` runs one check at a
    time. Raises :class:`~shallot.auth.errors.MissingExtra` without the ``pam`` extra and
    :class:`~shallot.auth.errors.PAMUnavailable` when libpam cannot be loaded.
    """

    supports_digest: ClassVar[bool] = False
    """PAM never gives an HA1: Digest refuses this store (see
    :func:`~shallot.auth.stores.supports_digest`)."""

    __slots__ = ("_binding", "_guard", "allow_users", "deny_users", "service")

    def __init__(
        self,
        service: str = DEFAULT_SERVICE,
        *,
        allow_users: Iterable[str] | None = None,
        deny_users: Iterable[str] = ("root",),
        serialize: bool = False,
    ) -> None:
        if not isinstance(service, str):
            raise TypeError(f"a PAM service name is str, not {type(service).__name__}")
        if not service or "/" in service or any(char.isspace() for char in service):
            raise ValueError(f"not a PAM service name: {service!r}")
        if _has_control(service):
            raise ValueError(f"not a PAM service name: {service!r}")
        for names in (allow_users or (), deny_users):
            if isinstance(names, str):
                raise TypeError("allow_users and deny_users are collections of names, not a str")
        self.service = service
        self.allow_users = None if allow_users is None else frozenset(allow_users)
        self.deny_users = frozenset(deny_users)
        self._guard: contextlib.AbstractContextManager[object] = (
            threading.Lock() if serialize else contextlib.nullcontext()
        )
        self._binding = _load_binding()

    def __repr__(self) -> str:
        return f"PAMUserStore(service={self.service!r})"

    def digest_ha1(self, realm: str, username: str, algorithm: DigestAlgorithm) -> str | None:
        """Always ``None``: PAM cannot give an HA1 (see the module documentation)."""
        return None

    def usernames(self, realm: str) -> Iterable[str]:
        """Nothing: PAM does not list its accounts (so Digest ``userhash`` finds no one)."""
        return ()

    def check_password(self, realm: str, username: str, password: str) -> bool:
        """Whether PAM accepts ``password`` for the account ``username`` (any realm).

        Input PAM must not see is refused first (see the module documentation); a refusal by PAM
        is ``False``, and so is a failure of PAM itself, which is also logged as an error.
        """
        problem = self._refusal(username, password)
        if problem is not None:
            log.debug("PAM not asked for user=%r: %s", username, problem)
            return False
        binding = self._binding
        try:
            with self._guard:
                binding.authenticate(username, password, service=self.service, resetcred=0)
        except binding.PAMError as error:
            code = getattr(error, "errno", None)
            if code in _REFUSALS:
                return False
            log.error(
                "PAM service %r could not check user=%r: %s (can this process read the "
                "password database?)",
                self.service,
                username,
                error,
            )
            return False
        except Exception:
            log.exception("PAM service %r failed checking user=%r", self.service, username)
            return False
        return True

    def _refusal(self, username: str, password: str) -> str | None:
        """Why ``username`` and ``password`` are refused without asking PAM, or ``None``."""
        if not isinstance(username, str) or not isinstance(password, str):
            return "the user name and password must be text"
        try:
            encoded_name = username.encode("utf-8")
            encoded_password = password.encode("utf-8")
        except UnicodeEncodeError:
            return "the user name or password cannot be encoded as UTF-8"
        if not username or len(encoded_name) > MAX_USERNAME_BYTES:
            return "empty or over-long user name"
        if _has_control(username):
            return "control character in the user name"
        if username in self.deny_users or (
            self.allow_users is not None and username not in self.allow_users
        ):
            return "user not allowed to log in here"
        if not password:
            return "empty password"
        if "\0" in password or "\n" in password or "\r" in password:
            return "NUL or line break in the password"
        if len(encoded_password) > MAX_PASSWORD_BYTES:
            return "password over PAM's length limit"
        return None
