"""``HtpasswdUserStore``: the users of an htpasswd file, reloaded when the file changes.

Each line is ``user:hash`` in any scheme :mod:`shallot.auth.passwords` verifies (bcrypt,
``$apr1$``, SHA-256/512-crypt, ``{SHA}``, plain text). An htpasswd file is realm-free, so its
users are the same in every realm. It serves Basic; Digest needs an HA1 that a one-way hash does
not give, so only plain-text entries (``htpasswd -p``) work with Digest.

Each line's scheme is checked when the file is read: a scheme this package cannot verify, or a
bcrypt hash without the ``bcrypt`` extra installed, is reported then (naming the line and the
extra), not at the first login.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.auth.digest import ha1
from shallot.auth.errors import MissingExtra, PasswordFileError, UnsupportedHash
from shallot.auth.passwords import HashScheme, identify_hash, verify_password
from shallot.auth.stores import MAX_CACHED_HA1S
from shallot.auth.watched_file import WatchedFile

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable
    from pathlib import Path

    from shallot.auth.digest import DigestAlgorithm

__all__ = ["HtpasswdUserStore", "parse_htpasswd"]


def parse_htpasswd(text: str, path: Path | None = None) -> dict[str, str]:
    """The entries of an htpasswd file: ``user -> hash`` in file order.

    Blank lines and lines starting with ``#`` are skipped; nothing else is stripped, since a
    plain-text password may end in a space. Raises
    :class:`~shallot.auth.errors.PasswordFileError` (naming the line, never quoting it) for a
    line without ``:``, an empty user name, a user listed twice or an unsupported hash scheme,
    and :class:`~shallot.auth.errors.MissingExtra` for bcrypt hashes without ``bcrypt``.
    """
    entries: dict[str, str] = {}
    needs_bcrypt = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        username, colon, hashed = line.partition(":")
        if not colon:
            raise PasswordFileError(path, number, "expected user:hash")
        if not username:
            raise PasswordFileError(path, number, "empty user name")
        if username in entries:
            raise PasswordFileError(path, number, f"user {username!r} listed twice")
        try:
            scheme = identify_hash(hashed)
        except UnsupportedHash as error:
            raise PasswordFileError(path, number, str(error)) from None
        needs_bcrypt = needs_bcrypt or scheme is HashScheme.BCRYPT
        entries[username] = hashed
    if needs_bcrypt:
        try:
            import bcrypt  # noqa: F401
        except ImportError:
            raise MissingExtra("bcrypt", "bcrypt", f"the bcrypt hashes in {path}") from None
    return entries


class HtpasswdUserStore:
    """A :class:`~shallot.auth.stores.UserStore` over an htpasswd file (the same in every realm).

    The file is read now (:class:`FileNotFoundError`,
    :class:`~shallot.auth.errors.PasswordFileError` or
    :class:`~shallot.auth.errors.MissingExtra` when it cannot be) and again whenever it changes.
    Thread-safe. Verifying bcrypt costs milliseconds by design, on every Basic request. The HA1 of
    a plain-text entry is computed once per version of the file.
    """

    __slots__ = ("_file", "_ha1s")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file: WatchedFile[dict[str, str]] = WatchedFile(path, parse_htpasswd, {})
        # The snapshot the cached HA1 values were computed from, and the values.
        self._ha1s: tuple[dict[str, str], dict[tuple[str, str, DigestAlgorithm], str]] = (
            self._file.current,
            {},
        )

    @property
    def path(self) -> os.PathLike[str]:
        """The file's path."""
        return self._file.path

    def digest_ha1(self, realm: str, username: str, algorithm: DigestAlgorithm) -> str | None:
        """The HA1 of a plain-text entry; ``None`` for hashed entries and unknown users."""
        entries = self._file.current
        snapshot, ha1s = self._ha1s
        if snapshot is not entries:
            ha1s = {}
            self._ha1s = (entries, ha1s)
        base = algorithm.base
        key = (realm, username, base)
        stored = ha1s.get(key)
        if stored is None:
            hashed = entries.get(username)
            if hashed is None or identify_hash(hashed) is not HashScheme.PLAIN:
                return None
            stored = ha1(base, username, realm, hashed)
            if len(ha1s) < MAX_CACHED_HA1S:
                ha1s[key] = stored
        return stored

    def check_password(self, realm: str, username: str, password: str) -> bool:
        """See :meth:`~shallot.auth.stores.UserStore.check_password`."""
        hashed = self._file.current.get(username)
        if hashed is None:
            return False
        return verify_password(password, hashed)

    def usernames(self, realm: str) -> Iterable[str]:
        """See :meth:`~shallot.auth.stores.UserStore.usernames`."""
        return list(self._file.current)
