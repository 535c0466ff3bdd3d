"""A file parsed once and parsed again whenever it changes on disk, safe across threads.

Password files are edited while the server runs (``htpasswd``, ``python -m shallot.auth passwd``),
and a change must take effect without a restart. :class:`WatchedFile` checks the file's identity
(inode, size, modification time in nanoseconds) on every read: one ``stat`` call, far cheaper
than the hashing around it. Readers always get a complete, immutable snapshot; one thread
re-parses while the others keep using the previous snapshot.

A file that becomes unparsable keeps its last good snapshot (and the error is logged): a
half-finished hand edit must not lock everyone out. A file that disappears gives the ``empty``
snapshot: deleting a password file revokes access, as an administrator would expect.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from shallot.auth.errors import AuthError, PasswordFileError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["WatchedFile"]

log = logging.getLogger("shallot.auth")

T = TypeVar("T")

_Signature = tuple[int, int, int, int]


def _signature(stat: os.stat_result) -> _Signature:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


class WatchedFile(Generic[T]):
    """The parsed content of ``path``, refreshed when the file changes.

    ``parse(text, path)`` turns the file's UTF-8 text into a snapshot, raising an
    :class:`~shallot.auth.errors.AuthError` for bad content. The file is read at construction:
    a missing file raises :class:`FileNotFoundError`, text that is not UTF-8
    :class:`~shallot.auth.errors.PasswordFileError`, bad content the parser's error.
    """

    def __init__(
        self, path: str | os.PathLike[str], parse: Callable[[str, Path], T], empty: T
    ) -> None:
        self.path = Path(path)
        self._parse = parse
        self._empty = empty
        self._lock = threading.Lock()
        stat = os.stat(self.path)
        self._snapshot = parse(self._read(), self.path)
        self._signature: _Signature | None = _signature(stat)

    def _read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise PasswordFileError(self.path, None, "not UTF-8 text") from None

    @property
    def current(self) -> T:
        """The snapshot for the file as it is now, re-parsed first when it changed."""
        try:
            signature: _Signature | None = _signature(os.stat(self.path))
        except FileNotFoundError:
            signature = None
        if signature == self._signature:
            return self._snapshot
        with self._lock:
            if signature != self._signature:
                self._reload(signature)
            return self._snapshot

    def _reload(self, signature: _Signature | None) -> None:
        """Parse the file again (the caller holds the lock); keep the old snapshot on errors."""
        if signature is None:
            log.warning("password file %s is gone: no users until it is back", self.path)
            self._snapshot = self._empty
            self._signature = None
            return
        try:
            snapshot = self._parse(self._read(), self.path)
        except FileNotFoundError:
            return
        except (AuthError, OSError) as error:
            log.error(
                "password file %s not reloaded, keeping the previous users: %s", self.path, error
            )
            self._signature = signature
            return
        self._snapshot = snapshot
        self._signature = signature
        log.info("password file %s reloaded", self.path)
