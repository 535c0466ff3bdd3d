"""``PasswordMap``: an htdigest file in memory, to load, change and save back atomically.

An htdigest file (Apache's ``htdigest``, PoorWSGI's ``PasswordMap``) holds one
``user:realm:HA1`` line per user and realm, where HA1 is ``MD5(user:realm:password)`` in hex: the
server never stores the password, and the file works with Digest MD5 and with Basic. Blank lines
and lines starting with ``#`` are skipped when reading (and not written back).

:meth:`PasswordMap.save` writes a temporary file next to the target and renames it over the
target, so a reader (a running server reloading the file) sees either the old file or the new
one, never half of it, and a failed save leaves the old file untouched.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from shallot.auth.digest import DigestAlgorithm, ha1
from shallot.auth.errors import InvalidEntry, PasswordFileError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["PasswordMap", "check_names", "parse_htdigest"]

_HEX = frozenset("0123456789abcdef")
_MD5_HEX_LENGTH = 32


def _check_name(field: str, value: str) -> None:
    if not value:
        raise InvalidEntry(field, "empty")
    if ":" in value:
        raise InvalidEntry(field, "contains ':'")
    if not value.isprintable():
        raise InvalidEntry(field, "contains a control character")


def check_names(realm: str, username: str) -> None:
    """Raise :class:`~shallot.auth.errors.InvalidEntry` unless ``realm`` and ``username`` can be
    stored: non-empty, without ``:`` or control characters."""
    _check_name("user name", username)
    _check_name("realm", realm)


def _check_ha1(value: str) -> str:
    lowered = value.lower()
    if len(lowered) != _MD5_HEX_LENGTH or not _HEX.issuperset(lowered):
        raise InvalidEntry("digest", "not 32 hex digits (an MD5 HA1)")
    return lowered


def parse_htdigest(text: str, path: Path | None = None) -> dict[tuple[str, str], str]:
    """The entries of an htdigest file: ``(realm, user) -> HA1`` in file order.

    Raises :class:`~shallot.auth.errors.PasswordFileError` (naming the line, never quoting it)
    for a line that is not ``user:realm:HA1``, an invalid name or HA1, or a user listed twice
    in one realm (which one would count is a guess this package will not make).
    """
    entries: dict[tuple[str, str], str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(":")
        if len(fields) != 3:
            raise PasswordFileError(path, number, "expected user:realm:digest")
        username, realm, digest = fields
        try:
            check_names(realm, username)
            digest = _check_ha1(digest)
        except InvalidEntry as error:
            raise PasswordFileError(path, number, str(error)) from None
        if (realm, username) in entries:
            raise PasswordFileError(path, number, f"user {username!r} listed twice in {realm!r}")
        entries[realm, username] = digest
    return entries


class PasswordMap:
    """The entries of one htdigest file, keyed by realm and user name.

    Not synchronised: one thread (or one CLI run) edits a map; servers read the file through
    :class:`~shallot.auth.htdigest.HtdigestUserStore`, which reloads it when it changes.
    """

    __slots__ = ("_entries", "path")

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = None if path is None else Path(path)
        self._entries: dict[tuple[str, str], str] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        """Whether ``(realm, username)`` has an entry."""
        return key in self._entries

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """The ``(realm, username)`` pairs, in file order."""
        return iter(list(self._entries))

    def _target(self, path: str | os.PathLike[str] | None) -> Path:
        if path is not None:
            return Path(path)
        if self.path is None:
            raise ValueError("no path given and none set on this PasswordMap")
        return self.path

    def load(self, path: str | os.PathLike[str] | None = None) -> None:
        """Replace the entries with the file's (``path`` or :attr:`path`).

        Raises :class:`FileNotFoundError`, or :class:`~shallot.auth.errors.PasswordFileError`
        for bad content; either way the entries are left as they were.
        """
        target = self._target(path)
        try:
            text = target.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise PasswordFileError(target, None, "not UTF-8 text") from None
        self._entries = parse_htdigest(text, target)

    def dumps(self) -> str:
        """The file content: one ``user:realm:HA1`` line per entry."""
        return "".join(
            f"{username}:{realm}:{digest}\n" for (realm, username), digest in self._entries.items()
        )

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the entries to ``path`` (or :attr:`path`) atomically.

        The file keeps its permission bits; a new file gets the usual ``0o666`` less the umask.
        On any error the target is left as it was and the temporary file is removed.
        """
        target = self._target(path)
        try:
            mode: int | None = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(self.dumps())
                stream.flush()
                os.fsync(stream.fileno())
            if mode is not None:
                os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _sync_directory(target.parent)

    def set(self, realm: str, username: str, password: str) -> None:
        """Add ``username`` to ``realm`` with ``password``, or change its password.

        Stores ``MD5(username:realm:password)``. Raises :class:`~shallot.auth.errors.InvalidEntry`
        for an empty name or realm, or one holding ``:`` or a control character.
        """
        check_names(realm, username)
        self._entries[realm, username] = ha1(DigestAlgorithm.MD5, username, realm, password)

    def set_digest(self, realm: str, username: str, digest: str) -> None:
        """Add or change an entry with a ready HA1 (32 hex digits, stored lower-case)."""
        check_names(realm, username)
        self._entries[realm, username] = _check_ha1(digest)

    def delete(self, realm: str, username: str) -> bool:
        """Remove the entry; ``True`` when there was one."""
        return self._entries.pop((realm, username), None) is not None

    def find(self, realm: str, username: str) -> str | None:
        """The HA1 of ``username`` in ``realm``, or ``None``."""
        return self._entries.get((realm, username))

    def verify(self, realm: str, username: str, password: str) -> bool:
        """Whether ``password`` is ``username``'s in ``realm`` (compared in constant time)."""
        stored = self._entries.get((realm, username))
        if stored is None:
            return False
        computed = ha1(DigestAlgorithm.MD5, username, realm, password)
        return hmac.compare_digest(computed.encode("ascii"), stored.encode("ascii"))

    def realms(self) -> list[str]:
        """The realms with at least one user, in file order."""
        return list(dict.fromkeys(realm for realm, _username in self._entries))

    def users(self, realm: str) -> list[str]:
        """The users of ``realm``, in file order."""
        return [username for entry_realm, username in self._entries if entry_realm == realm]


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); platforms that cannot open a directory skip it."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
