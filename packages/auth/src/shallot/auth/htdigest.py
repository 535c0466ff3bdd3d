"""``HtdigestUserStore``: the users of an htdigest file, reloaded when the file changes.

The file (written by Apache's ``htdigest``, by :class:`~shallot.auth.password_map.PasswordMap` or
by ``python -m shallot.auth passwd``) holds ``MD5(user:realm:password)`` per user and realm. That
serves Digest with ``MD5`` and ``MD5-sess`` and Basic; it cannot serve ``SHA-256``, which needs a
SHA-256 HA1 the file does not have, so offer MD5 to realms kept in htdigest files.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from shallot.auth.digest import DigestAlgorithm, ha1
from shallot.auth.password_map import parse_htdigest
from shallot.auth.watched_file import WatchedFile

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

__all__ = ["HtdigestUserStore"]


class HtdigestUserStore:
    """A :class:`~shallot.auth.stores.UserStore` over an htdigest file.

    The file is read now (:class:`FileNotFoundError` or
    :class:`~shallot.auth.errors.PasswordFileError` when it cannot be) and again whenever it
    changes; see :class:`~shallot.auth.watched_file.WatchedFile` for what happens when it breaks
    or disappears later. Thread-safe.
    """

    __slots__ = ("_file",)

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file: WatchedFile[dict[tuple[str, str], str]] = WatchedFile(path, parse_htdigest, {})

    @property
    def path(self) -> os.PathLike[str]:
        """The file's path."""
        return self._file.path

    def digest_ha1(self, realm: str, username: str, algorithm: DigestAlgorithm) -> str | None:
        """The file's HA1 for MD5 algorithms; ``None`` for SHA-256 or an unknown user."""
        if algorithm.base is not DigestAlgorithm.MD5:
            return None
        return self._file.current.get((realm, username))

    def check_password(self, realm: str, username: str, password: str) -> bool:
        """See :meth:`~shallot.auth.stores.UserStore.check_password`."""
        stored = self._file.current.get((realm, username))
        if stored is None:
            return False
        computed = ha1(DigestAlgorithm.MD5, username, realm, password)
        return hmac.compare_digest(computed.encode("ascii"), stored.encode("ascii"))

    def usernames(self, realm: str) -> Iterable[str]:
        """See :meth:`~shallot.auth.stores.UserStore.usernames`."""
        return [user for entry_realm, user in self._file.current if entry_realm == realm]
