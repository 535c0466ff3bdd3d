"""``RedisCache``: the cache contract on a Redis server, shared by every process that uses it.

Install with the extra: ``pip install 'shallot-caching[redis]'``. The client is imported when a
:class:`RedisCache` is created, so ``import shallot.caching`` never needs it.

Each key lives under ``prefix`` (see :func:`~shallot.caching.codec.qualified_key`); values are
written by :mod:`shallot.caching.codec`. Expiry is Redis's own (``SET ... EX``); ``add`` is
``SET ... NX``; ``incr`` is one Lua script (create with the initial value if asked, then
``INCRBY``), so all three are atomic for every client of the server. Any client or server error
is raised as :class:`~shallot.caching.backend.CacheError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.caching.backend import CacheError
from shallot.caching.codec import decode_value, encode_value, qualified_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from redis import Redis

__all__ = ["RedisCache"]

_BACKEND = "redis"

_INCR = """
if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[2] == '' then return false end
  redis.call('SET', KEYS[1], ARGV[2])
end
return redis.call('INCRBY', KEYS[1], ARGV[1])
"""


def _decode(data: bytes | str) -> object:
    if not isinstance(data, bytes):
        raise CacheError(_BACKEND, "the client decodes replies; make it decode_responses=False")
    return decode_value(data, _BACKEND)


class RedisCache:
    """The :class:`~shallot.caching.backend.Cache` contract on Redis.

    ``url`` is a ``redis://`` URL (ignored when a ready ``client`` is given); ``socket_timeout``
    bounds each command, so a server that stops answering costs a request at most that long.
    ``prefix`` goes in front of every key, so several applications can share one server.
    """

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "shallot:cache:",
        client: Redis | None = None,
        socket_timeout: float = 1.0,
    ) -> None:
        """Connect lazily to ``url`` (the first command opens the connection)."""
        try:
            import redis
        except ImportError as missing:  # pragma: no cover - depends on the installation
            raise ImportError(
                "RedisCache needs the redis client: pip install 'shallot-caching[redis]'"
            ) from missing
        self.prefix = prefix
        if client is None:
            client = redis.Redis.from_url(
                url, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
            )
        self._client: Redis = client
        self._incr = self._client.register_script(_INCR)
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._client!r}>"

    def _key(self, key: str, namespace: str | None) -> str:
        return qualified_key(self.prefix, namespace, key)

    def _failure(self, operation: str, error: Exception) -> CacheError:
        return CacheError(_BACKEND, f"{operation} failed: {error}")

    def get(self, key: str, namespace: str | None = None) -> object | None:
        """The value of ``key``, or ``None``."""
        name = self._key(key, namespace)
        try:
            data = self._client.get(name)
        except self._errors as error:
            raise self._failure("GET", error) from error
        return None if data is None else _decode(data)

    def get_multi(self, keys: Iterable[str], namespace: str | None = None) -> dict[str, object]:
        """The values of those ``keys`` that are present (one ``MGET``)."""
        wanted = list(keys)
        if not wanted:
            return {}
        try:
            found = self._client.mget([self._key(key, namespace) for key in wanted])
        except self._errors as error:
            raise self._failure("MGET", error) from error
        return {
            key: _decode(data) for key, data in zip(wanted, found, strict=True) if data is not None
        }

    def set(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """Store ``value`` (``SET``, with ``EX`` when ``time`` is positive)."""
        data = encode_value(value)
        try:
            return bool(
                self._client.set(self._key(key, namespace), data, ex=time if time > 0 else None)
            )
        except self._errors as error:
            raise self._failure("SET", error) from error

    def set_multi(
        self, mapping: Mapping[str, object], time: int = 0, namespace: str | None = None
    ) -> list[str]:
        """Store every item in one transaction; the keys not stored (none unless it fails)."""
        encoded = [
            (self._key(key, namespace), encode_value(value)) for key, value in mapping.items()
        ]
        if not encoded:
            return []
        try:
            with self._client.pipeline(transaction=True) as pipeline:
                for name, data in encoded:
                    pipeline.set(name, data, ex=time if time > 0 else None)
                results = pipeline.execute()
        except self._errors as error:
            raise self._failure("SET (multi)", error) from error
        return [key for key, stored in zip(mapping, results, strict=True) if not stored]

    def add(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """Store ``value`` only if ``key`` is absent (``SET ... NX``)."""
        data = encode_value(value)
        try:
            return bool(
                self._client.set(
                    self._key(key, namespace), data, ex=time if time > 0 else None, nx=True
                )
            )
        except self._errors as error:
            raise self._failure("SET NX", error) from error

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
        initial = "" if initial_value is None else str(int(initial_value))
        try:
            result = self._incr(keys=[self._key(key, namespace)], args=[delta, initial])
        except self._errors as error:
            raise self._failure("INCRBY", error) from error
        return None if result is None else int(result)

    def delete(self, key: str, namespace: str | None = None) -> bool:
        """Remove ``key``; whether it was present."""
        try:
            return bool(self._client.delete(self._key(key, namespace)))
        except self._errors as error:
            raise self._failure("DEL", error) from error

    def delete_multi(self, keys: Iterable[str], namespace: str | None = None) -> bool:
        """Remove every key of ``keys`` (one ``DEL``)."""
        names = [self._key(key, namespace) for key in keys]
        if names:
            try:
                self._client.delete(*names)
            except self._errors as error:
                raise self._failure("DEL", error) from error
        return True

    def close(self) -> None:
        """Close the client's connections."""
        self._client.close()
