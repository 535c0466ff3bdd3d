"""``RedisPropertyStorage``: dead properties in Redis, shared by servers on several machines.

Install the extra (``pip install shallot-props[redis]``); the ``redis`` client is imported only when
this storage is created, so the base package works without it.

Layout, under a key prefix (default ``shallot:props:``):

- ``<prefix>r:<url>``: a hash per resource, property name to value; absent when the resource has
  none;
- ``<prefix>urls``: a sorted set of every URL that has properties, all with score 0, so
  ``ZRANGEBYLEX`` lists a subtree as one range (see :class:`~shallot.props.urls.Subtree`).

Every write is one Lua script, which Redis runs with nothing else in between: a patch counts, checks
the limit, then writes, so concurrent patches of different names on one resource never lose each
other's writes, and two patches cannot together pass the limit. Scripts validate before their first
write, because Redis does not roll a failed script back. A tree operation runs as one script too,
holding Redis for its duration (milliseconds per ten thousand resources).

Needs Redis 6.2 or newer (``COPY``), and a single Redis (with replicas if you like): the tree
scripts reach keys they find in the index, which Redis Cluster does not allow. Run Redis with
``maxmemory-policy noeviction``: an evicted key would be a silently lost property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.props.errors import TooManyProperties

if TYPE_CHECKING:
    from collections.abc import Mapping, Set
    from types import TracebackType

    from redis import Redis

    from shallot.props.urls import Subtree

DEFAULT_PREFIX = "shallot:props:"

_PATCH = """
-- KEYS: the resource's hash, the URL index.
-- ARGV: url, max properties, number of names set, then name, value pairs, then the names to remove.
local resource, index = KEYS[1], KEYS[2]
local first_removal = 4 + 2 * tonumber(ARGV[3])
local before = redis.call('HLEN', resource)
local count = before
for i = 4, first_removal - 1, 2 do
  if redis.call('HEXISTS', resource, ARGV[i]) == 0 then count = count + 1 end
end
for i = first_removal, #ARGV do
  if redis.call('HEXISTS', resource, ARGV[i]) == 1 then count = count - 1 end
end
if count > tonumber(ARGV[2]) and count > before then return {0, count} end
for i = first_removal, #ARGV do redis.call('HDEL', resource, ARGV[i]) end
for i = 4, first_removal - 1, 2 do redis.call('HSET', resource, ARGV[i], ARGV[i + 1]) end
if count == 0 then
  redis.call('ZREM', index, ARGV[1])
else
  redis.call('ZADD', index, 0, ARGV[1])
end
return {1, count}
"""

_TREE_FUNCTIONS = """
-- A subtree is its root plus the index range [lower, upper).
local function members(index, root, lower, upper)
  local urls = redis.call('ZRANGEBYLEX', index, '[' .. lower, '(' .. upper)
  if root ~= lower and redis.call('ZSCORE', index, root) then table.insert(urls, root) end
  return urls
end
local function delete_tree(index, prefix, root, lower, upper)
  for _, url in ipairs(members(index, root, lower, upper)) do redis.call('DEL', prefix .. url) end
  redis.call('ZREMRANGEBYLEX', index, '[' .. lower, '(' .. upper)
  redis.call('ZREM', index, root)
end
"""

_DELETE_TREE = (
    _TREE_FUNCTIONS
    + """
-- KEYS: the URL index. ARGV: the hash key prefix, then the tree's root, lower and upper.
delete_tree(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return 1
"""
)

_COPY_OR_MOVE_TREE = (
    _TREE_FUNCTIONS
    + """
-- KEYS: the URL index. ARGV: the hash key prefix, 'copy' or 'move', then the source's root,
-- lower and upper, then the destination's.
local index, prefix, move = KEYS[1], ARGV[1], ARGV[2] == 'move'
local source, destination = ARGV[3], ARGV[6]
delete_tree(index, prefix, destination, ARGV[7], ARGV[8])
local urls = members(index, source, ARGV[4], ARGV[5])
for _, url in ipairs(urls) do
  local target = destination .. string.sub(url, #source + 1)
  if redis.call('EXISTS', prefix .. url) == 1 then
    if move then
      redis.call('RENAME', prefix .. url, prefix .. target)
    else
      redis.call('COPY', prefix .. url, prefix .. target)
    end
    redis.call('ZADD', index, 0, target)
  end
end
if move then
  redis.call('ZREMRANGEBYLEX', index, '[' .. ARGV[4], '(' .. ARGV[5])
  redis.call('ZREM', index, source)
end
return #urls
"""
)


def _text(value: bytes | str) -> str:
    """A reply as text, whether or not the client was made with ``decode_responses``."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RedisPropertyStorage:
    """A :class:`~shallot.props.storage.PropertyStorage` in Redis, through a ``redis.Redis`` client.

    ``client`` may decode responses or not. :meth:`close` closes the client only when this storage
    made it (:meth:`from_url`); a client you pass stays yours.
    """

    def __init__(self, client: Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._client = client
        self._owns_client = False
        self.prefix = prefix
        self._index = prefix + "urls"
        self._resources = prefix + "r:"
        self._patch = client.register_script(_PATCH)
        self._delete_tree = client.register_script(_DELETE_TREE)
        self._copy_or_move_tree = client.register_script(_COPY_OR_MOVE_TREE)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = DEFAULT_PREFIX) -> RedisPropertyStorage:
        """A storage on a new client for ``url`` (``redis://host:port/db``), closed by ``close``."""
        try:
            import redis
        except ImportError as error:
            raise ImportError(
                "RedisPropertyStorage needs the redis client: pip install 'shallot-props[redis]'"
            ) from error
        storage = cls(redis.Redis.from_url(url), prefix=prefix)
        storage._owns_client = True
        return storage

    def _key(self, url: str) -> str:
        return self._resources + url

    def get(self, url: str, name: str) -> str | None:
        """The value of one property, or ``None``."""
        value: bytes | str | None = self._client.hget(self._key(url), name)
        return None if value is None else _text(value)

    def get_all(self, url: str) -> dict[str, str]:
        """Every property of one resource, read with one ``HGETALL``."""
        found: dict[bytes | str, bytes | str] = self._client.hgetall(self._key(url))
        return {_text(name): _text(value) for name, value in found.items()}

    def names(self, url: str) -> list[str]:
        """The names of one resource's properties."""
        found: list[bytes | str] = self._client.hkeys(self._key(url))
        return [_text(name) for name in found]

    def get_children(self, tree: Subtree) -> dict[str, dict[str, str]]:
        """The properties of ``tree.root``'s direct children: one ``ZRANGEBYLEX`` of the index,
        then one pipelined ``HGETALL`` per child that has properties."""
        start = len(tree.lower)
        listed: list[bytes | str] = self._client.zrangebylex(
            self._index, "[" + tree.lower, "(" + tree.upper
        )
        urls = [url for url in map(_text, listed) if url != tree.root and "/" not in url[start:]]
        if not urls:
            return {}
        pipeline = self._client.pipeline(transaction=False)
        for url in urls:
            pipeline.hgetall(self._key(url))
        found: dict[str, dict[str, str]] = {}
        for url, properties in zip(urls, pipeline.execute(), strict=True):
            if properties:
                found[url] = {_text(name): _text(value) for name, value in properties.items()}
        return found

    def patch(
        self, url: str, values: Mapping[str, str], removals: Set[str], max_properties: int
    ) -> None:
        """Count, check and write in one script: all of the patch or none of it."""
        arguments: list[str | int] = [url, max_properties, len(values)]
        for name, value in values.items():
            arguments += (name, value)
        arguments.extend(removals)
        applied, count = self._patch(keys=[self._key(url), self._index], args=arguments)
        if not applied:
            raise TooManyProperties(url, max_properties, int(count))

    def copy_tree(self, source: Subtree, destination: Subtree) -> None:
        """Replace ``destination``'s properties with a re-rooted copy of ``source``'s: one
        script."""
        self._tree_script("copy", source, destination)

    def move_tree(self, source: Subtree, destination: Subtree) -> None:
        """Replace ``destination``'s properties with ``source``'s, renamed in place: one script."""
        self._tree_script("move", source, destination)

    def _tree_script(self, mode: str, source: Subtree, destination: Subtree) -> None:
        self._copy_or_move_tree(
            keys=[self._index],
            args=[
                self._resources,
                mode,
                *(source.root, source.lower, source.upper),
                *(destination.root, destination.lower, destination.upper),
            ],
        )

    def delete_tree(self, tree: Subtree) -> None:
        """Remove every property in ``tree``, in one script."""
        self._delete_tree(
            keys=[self._index], args=[self._resources, tree.root, tree.lower, tree.upper]
        )

    def close(self) -> None:
        """Close the client if this storage made it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> RedisPropertyStorage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
