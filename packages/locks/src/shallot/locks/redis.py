"""``RedisLockStorage``: locks in Redis, shared by every process on every machine using it.

Install with the extra: ``pip install 'shallot-locks[redis]'``; import it from here
(``from shallot.locks.redis import RedisLockStorage``), so ``import shallot.locks`` never needs the
client.

Keys, all under ``prefix`` (default ``shallot:locks:``):

- ``lock:<token>``: a hash with the lock's fields. A lock with a timeout gets a key TTL one second
  longer than its timeout, so Redis deletes expired locks by itself, with no background thread
  anywhere;
- ``at:<url>``: the set of tokens of the locks rooted at ``url``;
- ``roots``: a sorted set (all scores 0) of the URLs that have locks, so the locks below a
  collection are one ``ZRANGEBYLEX`` over its prefix (``[/a/`` to ``(/a0``) rather than a scan of
  every key.

Creating, finding, refreshing, removing and deleting a tree each run as one Lua script: Redis runs a
script without interleaving anything else, which makes "check for conflicts, then write the lock"
one atomic step for every client. The scripts compare each lock's ``expires_at`` with the caller's
``now`` (the key TTL is only the garbage collector), drop dead locks and index entries they come
across, and repeat the conflict rule of :meth:`shallot.locks.records.Lock.conflicts_with` in Lua.
They touch keys they compute, so they need one Redis server (or a primary with replicas), not a
Redis Cluster.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from shallot.locks.records import Depth, Lock, Scope
from shallot.locks.urls import ancestors

if TYPE_CHECKING:
    from collections.abc import Sequence

try:
    import redis
except ImportError as missing:  # pragma: no cover - depends on the installation
    raise ImportError(
        "RedisLockStorage needs the redis client: pip install 'shallot-locks[redis]'"
    ) from missing

_COMMON = """
local prefix = ARGV[1]
local ROOTS = prefix .. 'roots'

local function field(data, name)
  for i = 1, #data, 2 do
    if data[i] == name then return data[i + 1] end
  end
  return nil
end

-- The live lock's flat HGETALL list, or nil; a lock past its expires_at is deleted on sight.
local function live(token, now)
  local key = prefix .. 'lock:' .. token
  local data = redis.call('HGETALL', key)
  if #data == 0 then return nil end
  local expires_at = field(data, 'expires_at')
  if expires_at and tonumber(expires_at) <= now then
    redis.call('DEL', key)
    return nil
  end
  return data
end

-- The live locks rooted at url; tokens of dead locks leave the index.
local function locks_at(url, now)
  local key = prefix .. 'at:' .. url
  local found = {}
  for _, token in ipairs(redis.call('SMEMBERS', key)) do
    local data = live(token, now)
    if data then
      found[#found + 1] = data
    else
      redis.call('SREM', key, token)
    end
  end
  if #found == 0 then redis.call('ZREM', ROOTS, url) end
  return found
end

local function subtree_prefix(url)
  if url == '/' then return '/' end
  return url .. '/'
end

-- Whether the lock data protects url: its root, or below it for depth infinity.
local function covers(data, url)
  local root = field(data, 'root')
  if root == url then return true end
  if field(data, 'depth') ~= 'infinity' then return false end
  local start = subtree_prefix(root)
  return string.sub(url, 1, #start) == start
end

-- The URLs with locks strictly below url.
local function roots_below(url)
  local start = subtree_prefix(url)
  local stop = string.sub(start, 1, -2) .. '0'
  local found = {}
  for _, root in ipairs(redis.call('ZRANGEBYLEX', ROOTS, '[' .. start, '(' .. stop)) do
    if root ~= url then found[#found + 1] = root end
  end
  return found
end

-- Live locks on url, depth-infinity ones on the ancestors ARGV[first..] (if parent, all on the
-- parent, ARGV[first]), if below those under url.
local function find(url, now, first, below, parent)
  local found = locks_at(url, now)
  for i = first, #ARGV do
    local every_depth = parent and i == first
    for _, data in ipairs(locks_at(ARGV[i], now)) do
      if every_depth or field(data, 'depth') == 'infinity' then found[#found + 1] = data end
    end
  end
  if below then
    for _, root in ipairs(roots_below(url)) do
      for _, data in ipairs(locks_at(root, now)) do found[#found + 1] = data end
    end
  end
  return found
end
"""

# ARGV: prefix, now, ttl in ms ('' for none), n, n field and value words, then the ancestors.
_CREATE = (
    _COMMON
    + """
local now = tonumber(ARGV[2])
local count = tonumber(ARGV[4])
local new = {}
for i = 5, 4 + count do new[#new + 1] = ARGV[i] end

local root = field(new, 'root')
local exclusive = field(new, 'scope') == 'exclusive'
local conflicts = {}
for _, other in ipairs(find(root, now, 5 + count, field(new, 'depth') == 'infinity', false)) do
  if (exclusive or field(other, 'scope') == 'exclusive')
      and (covers(new, field(other, 'root')) or covers(other, root)) then
    conflicts[#conflicts + 1] = other
  end
end
if #conflicts > 0 then return conflicts end

local token = field(new, 'token')
local key = prefix .. 'lock:' .. token
redis.call('HSET', key, unpack(new))
if ARGV[3] ~= '' then redis.call('PEXPIRE', key, ARGV[3]) end
redis.call('SADD', prefix .. 'at:' .. root, token)
redis.call('ZADD', ROOTS, 0, root)
return {}
"""
)

# ARGV: prefix, now, url, below ('1' or '0'), parent ('1' or '0'), then the ancestors.
_FIND = (
    _COMMON
    + """
return find(ARGV[3], tonumber(ARGV[2]), 6, ARGV[4] == '1', ARGV[5] == '1')
"""
)

# ARGV: prefix, now, token, timeout ('' for infinite), expires_at, ttl in ms.
_REFRESH = (
    _COMMON
    + """
local token = ARGV[3]
if not live(token, tonumber(ARGV[2])) then return nil end
local key = prefix .. 'lock:' .. token
if ARGV[4] == '' then
  redis.call('HDEL', key, 'timeout', 'expires_at')
  redis.call('PERSIST', key)
else
  redis.call('HSET', key, 'timeout', ARGV[4], 'expires_at', ARGV[5])
  redis.call('PEXPIRE', key, ARGV[6])
end
return redis.call('HGETALL', key)
"""
)

# ARGV: prefix, now, token, url, principal ('' with none given), whether one was given ('1', '0').
_RELEASE = (
    _COMMON
    + """
local token = ARGV[3]
local data = live(token, tonumber(ARGV[2]))
if not data or not covers(data, ARGV[4]) then return 0 end
local owner = field(data, 'principal')
if owner and (ARGV[6] == '0' or owner ~= ARGV[5]) then return 0 end
local key = prefix .. 'lock:' .. token
local root = field(data, 'root')
redis.call('DEL', key)
local at = prefix .. 'at:' .. root
redis.call('SREM', at, token)
if redis.call('SCARD', at) == 0 then redis.call('ZREM', ROOTS, root) end
return 1
"""
)

# ARGV: prefix, url.
_DELETE_TREE = (
    _COMMON
    + """
local roots = roots_below(ARGV[2])
roots[#roots + 1] = ARGV[2]
for _, root in ipairs(roots) do
  local at = prefix .. 'at:' .. root
  for _, token in ipairs(redis.call('SMEMBERS', at)) do
    redis.call('DEL', prefix .. 'lock:' .. token)
  end
  redis.call('DEL', at)
  redis.call('ZREM', ROOTS, root)
end
return 0
"""
)


class RedisLockStorage:
    """A :class:`~shallot.locks.storage.LockStorage` in the Redis server behind ``client``.

    Every process and machine using the same server and ``prefix`` shares the same locks. Use
    :meth:`from_url` to connect with a URL (``redis://host:6379/0``).
    """

    def __init__(self, client: redis.Redis, *, prefix: str = "shallot:locks:") -> None:
        self.client = client
        self.prefix = prefix
        self._create = client.register_script(_CREATE)
        self._find = client.register_script(_FIND)
        self._refresh = client.register_script(_REFRESH)
        self._release = client.register_script(_RELEASE)
        self._delete_tree = client.register_script(_DELETE_TREE)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "shallot:locks:") -> RedisLockStorage:
        """A storage on a new client for ``url`` (``redis://``, ``rediss://`` or ``unix://``)."""
        return cls(redis.Redis.from_url(url), prefix=prefix)

    def create(self, lock: Lock, now: float) -> list[Lock]:
        """Store ``lock`` unless a live lock conflicts, in one Lua script; the conflicting locks."""
        fields = _fields(lock)
        words = [word for pair in fields.items() for word in pair]
        reply = self._create(
            args=[
                self.prefix,
                repr(now),
                _ttl_ms(lock.expires_at, now),
                len(words),
                *words,
                *ancestors(lock.root),
            ]
        )
        return [_lock(flat) for flat in reply]

    def get(self, token: str, now: float) -> Lock | None:
        """The live lock with ``token``, or ``None``."""
        data = self.client.hgetall(self.prefix + "lock:" + token)
        if not data:
            return None
        lock = _lock([word for pair in data.items() for word in pair])
        return None if lock.is_expired(now) else lock

    def find(self, url: str, now: float, *, below: bool, parent: bool = False) -> list[Lock]:
        """Live locks on ``url``, depth-infinity ones above it, with ``below`` those under it,
        with ``parent`` all of those rooted at its parent (one script)."""
        flags = ["1" if below else "0", "1" if parent else "0"]
        reply = self._find(args=[self.prefix, repr(now), url, *flags, *ancestors(url)])
        return [_lock(flat) for flat in reply]

    def refresh(
        self, token: str, timeout: int | None, expires_at: float | None, now: float
    ) -> Lock | None:
        """Give the live lock ``token`` a new timeout, expiry and TTL; the new lock or ``None``."""
        reply = self._refresh(
            args=[
                self.prefix,
                repr(now),
                token,
                "" if timeout is None else timeout,
                "" if expires_at is None else repr(expires_at),
                _ttl_ms(expires_at, now),
            ]
        )
        return None if reply is None else _lock(reply)

    def release(self, token: str, url: str, principal: str | None, now: float) -> bool:
        """Delete the live lock ``token`` and its index entries if it covers ``url`` and is
        ``principal``'s or nobody's, in one script; whether it did."""
        given = "0" if principal is None else "1"
        args = [self.prefix, repr(now), token, url, principal or "", given]
        return bool(self._release(args=args))

    def delete_tree(self, url: str) -> None:
        """Delete every lock rooted at ``url`` or below it, in one script."""
        self._delete_tree(args=[self.prefix, url])

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()


def _ttl_ms(expires_at: float | None, now: float) -> str:
    """The key TTL of a lock expiring at ``expires_at``: a second past it ('' for none)."""
    if expires_at is None:
        return ""
    return str(max(1, math.ceil((expires_at - now) * 1000)) + 1000)


def _fields(lock: Lock) -> dict[str, str]:
    fields = {
        "token": lock.token,
        "root": lock.root,
        "depth": lock.depth.value,
        "scope": lock.scope.value,
    }
    if lock.owner is not None:
        fields["owner"] = lock.owner
    if lock.principal is not None:
        fields["principal"] = lock.principal
    if lock.timeout is not None:
        fields["timeout"] = str(lock.timeout)
    if lock.expires_at is not None:
        fields["expires_at"] = repr(lock.expires_at)
    return fields


def _text(word: bytes | str) -> str:
    return word.decode() if isinstance(word, bytes) else word


def _lock(flat: Sequence[bytes | str]) -> Lock:
    """A lock from a flat ``[field, value, ...]`` reply."""
    data = {_text(flat[i]): _text(flat[i + 1]) for i in range(0, len(flat), 2)}
    timeout = data.get("timeout")
    expires_at = data.get("expires_at")
    return Lock(
        token=data["token"],
        root=data["root"],
        depth=Depth(data["depth"]),
        scope=Scope(data["scope"]),
        owner=data.get("owner"),
        principal=data.get("principal"),
        timeout=None if timeout is None else int(timeout),
        expires_at=None if expires_at is None else float(expires_at),
    )
