"""``RedisSessionStore``: server-side sessions in Redis, shared by servers on several machines.

Install the extra (``pip install 'shallot-sessions[redis]'``); the ``redis`` client is imported
only by :meth:`RedisSessionStore.from_url`, so the base package works without it.

Each session is one hash, ``<prefix><session id>``, a field per key holding its JSON text, with
Redis's own expiry on the hash (so expired sessions cost nothing to clean up). A save is one Lua
script, which Redis runs with nothing in between: move the old id's hash on id rotation, ``HDEL``
the deleted keys, ``HSET`` the changed ones, ``PEXPIRE``. Only changed fields are written, so
concurrent requests of one session that change different keys both keep their writes, and a key
written twice ends as one of the writes. Redis removes a hash with no fields, which is exactly the
protocol's "a session left with no keys is removed".

A single Redis (with replicas if you like): the rotation script touches two keys, which Redis
Cluster allows only in one hash slot. Run it with ``maxmemory-policy volatile-*`` or
``noeviction`` so live sessions are not evicted at random.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

    from redis import Redis

    from shallot.sessions.store import SessionChanges

__all__ = ["DEFAULT_PREFIX", "RedisSessionStore"]

DEFAULT_PREFIX = "shallot:session:"

_SAVE = """
-- KEYS: the session's hash, then the previous id's hash (the same key when not rotating).
-- ARGV: milliseconds to live, the number of deleted fields, those fields, field/value pairs.
local session, previous = KEYS[1], KEYS[2]
if previous ~= session then
  redis.call('DEL', session)
  if redis.call('EXISTS', previous) == 1 then redis.call('RENAME', previous, session) end
end
local deleted = tonumber(ARGV[2])
if deleted > 0 then redis.call('HDEL', session, unpack(ARGV, 3, 2 + deleted)) end
if #ARGV > 2 + deleted then redis.call('HSET', session, unpack(ARGV, 3 + deleted)) end
if redis.call('EXISTS', session) == 1 then redis.call('PEXPIRE', session, ARGV[1]) end
"""


def _text(value: bytes | str) -> str:
    """A reply as text, whether or not the client was made with ``decode_responses``."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RedisSessionStore:
    """A :class:`~shallot.sessions.store.SessionStore` in Redis, through a ``redis.Redis`` client.

    ``client`` may decode responses or not. :meth:`close` closes the client only when this store
    made it (:meth:`from_url`); a client you pass stays yours.
    """

    def __init__(self, client: Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._client = client
        self._owns_client = False
        self.prefix = prefix
        self._save = client.register_script(_SAVE)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = DEFAULT_PREFIX) -> RedisSessionStore:
        """A store on a new client for ``url`` (``redis://host:port/db``), closed by ``close``."""
        try:
            import redis
        except ImportError as error:
            raise ImportError(
                "RedisSessionStore needs the redis client: pip install 'shallot-sessions[redis]'"
            ) from error
        store = cls(redis.Redis.from_url(url), prefix=prefix)
        store._owns_client = True
        return store

    def load(self, session_id: str) -> dict[str, str] | None:
        """The session's fields, read with one ``HGETALL``; ``None`` for no live session."""
        found: dict[bytes | str, bytes | str] = self._client.hgetall(self.prefix + session_id)
        return {_text(key): _text(value) for key, value in found.items()} or None

    def save(self, session_id: str, changes: SessionChanges, ttl: float) -> None:
        """Apply ``changes`` with one script (see the module documentation)."""
        key = self.prefix + session_id
        previous = key if changes.previous_id is None else self.prefix + changes.previous_id
        arguments: list[str | int] = [max(int(ttl * 1000), 1), len(changes.deleted)]
        arguments.extend(changes.deleted)
        for field, value in changes.values.items():
            arguments.extend((field, value))
        self._save(keys=[key, previous], args=arguments)

    def delete(self, session_id: str) -> None:
        """Remove the session's hash."""
        self._client.delete(self.prefix + session_id)

    def close(self) -> None:
        """Close the client if this store made it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> RedisSessionStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
