"""Entity tags computed from a response's body, for ``CacheProfile(etag_func=...)``.

Wheezy's two builders: :func:`make_etag` turns a hash constructor into a function giving the
body's hex digest as a strong tag; :func:`make_etag_crc32` gives the CRC-32 of that digest (eight
hex digits: a shorter header, at a higher chance that two bodies share a tag). Both read the body
chunk by chunk. They answer *has the body changed*, not *is it authentic*: MD5 is fine here.

Unlike :func:`shallot.http.make_etag`, which derives a tag from facts about a resource (a file's
size and time), these hash the bytes actually sent.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from shallot.caching.profile import ETagFunction

from shallot.http import ETag

__all__ = ["Hasher", "etag_md5", "etag_md5crc32", "make_etag", "make_etag_crc32"]


class Hasher(Protocol):
    """What :mod:`hashlib` constructors return: ``update`` with bytes, then ``hexdigest``."""

    def update(self, data: bytes, /) -> None:
        """Add ``data`` to what is hashed."""

    def hexdigest(self) -> str:
        """The digest so far, in hex."""


def _digest(hasher: Callable[[], Hasher], chunks: Iterable[bytes]) -> str:
    state = hasher()
    for chunk in chunks:
        state.update(chunk)
    return state.hexdigest()


def make_etag(hasher: Callable[[], Hasher]) -> ETagFunction:
    """A function giving the strong tag ``"<hex digest of the body>"`` made with ``hasher``."""

    def etag(chunks: Iterable[bytes]) -> ETag:
        return ETag(_digest(hasher, chunks))

    return etag


def make_etag_crc32(hasher: Callable[[], Hasher]) -> ETagFunction:
    """A function giving the strong tag ``"<CRC-32 of the hex digest, 8 hex digits>"``."""

    def etag(chunks: Iterable[bytes]) -> ETag:
        return ETag(f"{zlib.crc32(_digest(hasher, chunks).encode('ascii')):08x}")

    return etag


def _md5() -> Hasher:
    return hashlib.md5(usedforsecurity=False)


etag_md5 = make_etag(_md5)
"""The body's MD5 as a strong tag (32 hex digits)."""

etag_md5crc32 = make_etag_crc32(_md5)
"""The CRC-32 of the body's MD5 as a strong tag (8 hex digits)."""
