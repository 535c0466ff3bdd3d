"""``RedisNonceCounter``: nonce counts in Redis, so every process behind a balancer refuses replays.

Install with the extra: ``pip install 'shallot-auth[redis]'``; import it from here
(``from shallot.auth.redis import RedisNonceCounter``), so ``import shallot.auth`` never needs the
client. Give every process the same :class:`~shallot.auth.nonces.NonceManager` secret too, or they
will not accept each other's nonces in the first place.

One key per nonce (``<prefix><nonce>``) holds the highest count seen; it expires with the nonce,
so Redis forgets finished nonces by itself. Compare-and-set runs as one Lua script, which Redis
runs without interleaving anything else: of two processes seeing the same count at once, exactly
one is told yes. Keep such a Redis out of ``allkeys-*`` eviction: a key evicted early would let
that nonce's counts be used again.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from shallot.auth.errors import MissingExtra

if TYPE_CHECKING:
    from collections.abc import Callable

try:
    import redis
except ImportError as missing:  # pragma: no cover - depends on the installation
    raise MissingExtra("redis", "redis", "RedisNonceCounter") from missing

__all__ = ["RedisNonceCounter"]

_RECORD = """
local seen = redis.call('GET', KEYS[1])
if seen and tonumber(seen) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""


class RedisNonceCounter:
    """A :class:`~shallot.auth.nonce_counts.NonceCounter` in Redis, shared by processes.

    ``client`` is a ``redis.Redis``; ``prefix`` namespaces the keys; ``clock`` (a wall clock, as
    the nonce's own times are) turns ``expires_at`` into a key TTL.
    """

    def __init__(
        self,
        client: redis.Redis,
        prefix: str = "shallot:auth:nc:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self._clock = clock
        self._script = client.register_script(_RECORD)

    @classmethod
    def from_url(
        cls, url: str, prefix: str = "shallot:auth:nc:", clock: Callable[[], float] = time.time
    ) -> RedisNonceCounter:
        """A counter on the Redis server at ``url`` (``redis://host:port/db``)."""
        return cls(redis.Redis.from_url(url), prefix, clock)

    def record(self, nonce: str, nc: int, issued_at: float, expires_at: float) -> bool:
        """See :meth:`shallot.auth.nonce_counts.NonceCounter.record`."""
        ttl_ms = max(1, math.ceil((expires_at - self._clock()) * 1000))
        accepted = self._script(keys=[self.prefix + nonce], args=[nc, ttl_ms])
        return bool(accepted)
