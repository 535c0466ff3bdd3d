"""``MemcachedCache``: the cache contract on a memcached server, through ``pymemcache``.

Install with the extra: ``pip install 'shallot-caching[memcached]'``. The client is imported when
a :class:`MemcachedCache` is created, so ``import shallot.caching`` never needs it.

memcached limits keys to 250 bytes of printable ASCII without spaces; a key that does not fit
(every response cache key has spaces) is sent as ``#`` and its BLAKE2b digest, so any string
works as a key. Times longer than 30 days, which memcached would read as a date, are converted,
so ``time`` always means seconds from now. ``add`` and ``incr`` are the server's own atomic
commands; ``incr`` with an initial value is an ``add`` when the counter is missing, retried as an
``incr`` when another client created it first. Values larger than the server's item limit (1 MiB
by default) are not stored (``set`` gives ``False``); any other client or server error is raised
as :class:`~shallot.caching.backend.CacheError`.
"""

from __future__ import annotations

import hashlib
import time as clock
from typing import TYPE_CHECKING

from shallot.caching.backend import CacheError
from shallot.caching.codec import decode_value, encode_value, qualified_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["MemcachedCache"]

_BACKEND = "memcached"
_MAX_KEY = 250
_MONTH = 30 * 24 * 3600


def _expire(seconds: int) -> int:
    if seconds <= 0:
        return 0
    if seconds > _MONTH:
        return int(clock.time()) + seconds
    return seconds


class MemcachedCache:
    """The :class:`~shallot.caching.backend.Cache` contract on memcached.

    ``server`` is ``(host, port)`` or ``"host:port"``; ``timeout`` bounds connecting and each
    command; the connection pool holds up to ``max_pool_size`` connections (one per thread in
    use). ``prefix`` goes in front of every key, so several applications can share one server.
    """

    def __init__(
        self,
        server: tuple[str, int] | str = ("127.0.0.1", 11211),
        *,
        prefix: str = "shallot:cache:",
        timeout: float = 1.0,
        max_pool_size: int = 16,
    ) -> None:
        """Connect lazily to ``server`` (the first command opens a connection)."""
        try:
            from pymemcache.client.base import PooledClient  # type: ignore[import-untyped]  # no py.typed
            from pymemcache.exceptions import (  # type: ignore[import-untyped]  # no py.typed
                MemcacheError,
                MemcacheServerError,
            )
        except ImportError as missing:  # pragma: no cover - depends on the installation
            raise ImportError(
                "MemcachedCache needs pymemcache: pip install 'shallot-caching[memcached]'"
            ) from missing
        self.prefix = prefix
        self.server = server
        self._client = PooledClient(
            server,
            connect_timeout=timeout,
            timeout=timeout,
            no_delay=True,
            max_pool_size=max_pool_size,
            default_noreply=False,
        )
        self._errors: tuple[type[Exception], ...] = (MemcacheError, OSError)
        self._too_large: type[Exception] = MemcacheServerError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.server!r}>"

    def _key(self, key: str, namespace: str | None) -> str:
        name = qualified_key(self.prefix, namespace, key)
        if len(name) <= _MAX_KEY and name.isascii() and name.isprintable() and " " not in name:
            return name
        return (
            "#" + hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=24).hexdigest()
        )

    def _failure(self, operation: str, error: Exception) -> CacheError:
        return CacheError(_BACKEND, f"{operation} failed: {error}")

    def get(self, key: str, namespace: str | None = None) -> object | None:
        """The value of ``key``, or ``None``."""
        try:
            data = self._client.get(self._key(key, namespace))
        except self._errors as error:
            raise self._failure("get", error) from error
        return None if data is None else decode_value(data, _BACKEND)

    def get_multi(self, keys: Iterable[str], namespace: str | None = None) -> dict[str, object]:
        """The values of those ``keys`` that are present (one ``get`` of many keys)."""
        names = {self._key(key, namespace): key for key in keys}
        if not names:
            return {}
        try:
            found = self._client.get_many(list(names))
        except self._errors as error:
            raise self._failure("get_many", error) from error
        return {names[name]: decode_value(data, _BACKEND) for name, data in found.items()}

    def set(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """Store ``value``; ``False`` when the server refuses it as too large."""
        data = encode_value(value)
        try:
            return bool(self._client.set(self._key(key, namespace), data, expire=_expire(time)))
        except self._too_large:
            return False
        except self._errors as error:
            raise self._failure("set", error) from error

    def set_multi(
        self, mapping: Mapping[str, object], time: int = 0, namespace: str | None = None
    ) -> list[str]:
        """Store every item; the keys the server did not store."""
        names = {self._key(key, namespace): key for key in mapping}
        values = {name: encode_value(mapping[key]) for name, key in names.items()}
        if not values:
            return []
        try:
            failed = self._client.set_many(values, expire=_expire(time))
        except self._too_large:
            return [key for key in mapping if not self.set(key, mapping[key], time, namespace)]
        except self._errors as error:
            raise self._failure("set_many", error) from error
        return [names[name.decode() if isinstance(name, bytes) else name] for name in failed]

    def add(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """Store ``value`` only if ``key`` is absent (memcached's ``add``)."""
        data = encode_value(value)
        try:
            return bool(self._client.add(self._key(key, namespace), data, expire=_expire(time)))
        except self._too_large:
            return False
        except self._errors as error:
            raise self._failure("add", error) from error

    def incr(
        self,
        key: str,
        delta: int = 1,
        namespace: str | None = None,
        initial_value: int | None = None,
    ) -> int | None:
        """Add ``delta`` atomically (see the contract in :mod:`shallot.caching.backend`)."""
        if delta < 0:
            raise ValueError(f"incr takes a delta of 0 or more, not {delta}")
        name = self._key(key, namespace)
        try:
            while True:
                result = self._client.incr(name, delta, noreply=False)
                if result is not None:
                    return int(result)
                if initial_value is None:
                    return None
                value = initial_value + delta
                if self._client.add(name, str(value).encode(), expire=0):
                    return value
        except self._errors as error:
            raise self._failure("incr", error) from error

    def delete(self, key: str, namespace: str | None = None) -> bool:
        """Remove ``key``; whether it was present."""
        try:
            return bool(self._client.delete(self._key(key, namespace)))
        except self._errors as error:
            raise self._failure("delete", error) from error

    def delete_multi(self, keys: Iterable[str], namespace: str | None = None) -> bool:
        """Remove every key of ``keys``."""
        names = [self._key(key, namespace) for key in keys]
        if names:
            try:
                self._client.delete_many(names)
            except self._errors as error:
                raise self._failure("delete_many", error) from error
        return True

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()
