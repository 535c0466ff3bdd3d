"""Where users and their secrets live: the :class:`UserStore` protocol and :class:`DictUserStore`.

Digest and Basic need different things from a store. Digest never sees the password, only a
digest computed from it, so the server needs ``HA1 = H(username:realm:password)`` (or the password
itself, to compute it); Basic receives the password and needs only a yes or no. A store answers
both questions, and says "cannot" (``None``) for what its format does not hold: an htdigest file
keeps MD5 HA1 values (no SHA-256 Digest), a bcrypt htpasswd entry keeps no HA1 at all (Basic only).

Other stores (a database, LDAP) implement the same three methods; they must be safe to call from
several threads at once. A store that can never give an HA1 (it only checks passwords, as PAM does)
says so with a class attribute ``supports_digest = False`` (see :func:`supports_digest`), and Digest
then refuses to be configured for its realms.
"""

from __future__ import annotations

import hmac
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from shallot.auth.digest import ha1

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from shallot.auth.digest import DigestAlgorithm

__all__ = ["DictUserStore", "UserStore", "supports_digest"]

MAX_CACHED_HA1S = 10_000
"""How many HA1 values a store computing them from passwords keeps (per version of its users).

Past this, values are computed on each call: realms and user names come from callers, and a cache
must not grow with them.
"""


class UserStore(Protocol):
    """The users of one or more realms, and what proves who they are."""

    def digest_ha1(self, realm: str, username: str, algorithm: DigestAlgorithm) -> str | None:
        """``H(username:realm:password)`` with ``algorithm.base``, lower-case hex.

        ``None`` when the user is unknown in ``realm`` or the store cannot give an HA1 for this
        algorithm.
        """
        ...

    def check_password(self, realm: str, username: str, password: str) -> bool:
        """Whether ``password`` is ``username``'s in ``realm`` (compared in constant time)."""
        ...

    def usernames(self, realm: str) -> Iterable[str]:
        """The users of ``realm``, for resolving a Digest ``userhash`` back to a name."""
        ...


def supports_digest(store: UserStore) -> bool:
    """Whether ``store`` can ever answer :meth:`UserStore.digest_ha1`: true unless it declares
    ``supports_digest = False``."""
    return getattr(store, "supports_digest", True) is not False


class DictUserStore:
    """Users and plain-text passwords given in code, the same in every realm.

    ``DictUserStore({"alice": "secret"})``. Handy for tests, demos and generated configurations;
    the mapping is copied, so later changes to it are not seen. Every Digest algorithm works,
    since the password is at hand; each HA1 is computed once (the users never change).
    """

    __slots__ = ("_ha1s", "_passwords")

    def __init__(self, passwords: Mapping[str, str]) -> None:
        for name in passwords:
            if not name:
                raise ValueError("a user name cannot be empty")
        self._passwords: Mapping[str, str] = MappingProxyType(dict(passwords))
        self._ha1s: dict[tuple[str, str, DigestAlgorithm], str] = {}

    def digest_ha1(self, realm: str, username: str, algorithm: DigestAlgorithm) -> str | None:
        """See :meth:`UserStore.digest_ha1`."""
        base = algorithm.base
        key = (realm, username, base)
        stored = self._ha1s.get(key)
        if stored is None:
            password = self._passwords.get(username)
            if password is None:
                return None
            stored = ha1(base, username, realm, password)
            if len(self._ha1s) < MAX_CACHED_HA1S:
                self._ha1s[key] = stored
        return stored

    def check_password(self, realm: str, username: str, password: str) -> bool:
        """See :meth:`UserStore.check_password`."""
        stored = self._passwords.get(username)
        if stored is None:
            return False
        return hmac.compare_digest(stored.encode("utf-8"), password.encode("utf-8"))

    def usernames(self, realm: str) -> Iterable[str]:
        """See :meth:`UserStore.usernames`."""
        return self._passwords.keys()
