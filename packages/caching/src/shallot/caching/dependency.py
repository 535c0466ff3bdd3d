"""Cache dependencies: one master key that invalidates a group of entries at once.

A list page, cached for 15 minutes, must go the moment a price changes. The handler that renders
it names a master key (``"goods"``) with :func:`depends_on`; the response cache then also records
its entry's key under that master key. The handler that changes a price calls
``CacheDependency(cache).delete("goods")``, which deletes every entry recorded there, in every
process, since the record lives in the backend itself::

    @app.route("/goods")
    @response_cache(goods_profile)
    def goods(request):
        depends_on(request, "goods")
        return Response(render_goods())

    @app.route("/price", METHOD_POST)
    def change_price(request):
        ...
        CacheDependency(cache, namespace=goods_profile.namespace).delete("goods")

How it is recorded (Wheezy's scheme, so any backend with ``incr`` can do it): the master key holds
a counter; each dependent key is stored under ``master + number``, a number taken from the
counter, so concurrent writers never overwrite one another's records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.caching.policy import seconds
from shallot.caching.profile import check_namespace

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import timedelta

    from shallot.caching.backend import Cache
    from shallot.http import Request

__all__ = ["DEPENDENCY_ENVIRON_KEY", "CacheDependency", "depends_on"]

DEPENDENCY_ENVIRON_KEY = "shallot.caching.dependency"
"""The environ key holding the master keys the response to a request depends on (a list)."""


def depends_on(request: Request, *master_keys: str) -> None:
    """Record that the response to ``request`` must be dropped from the response cache when any
    of ``master_keys`` is deleted (see the module documentation).

    It adds to the list in ``request.environ[DEPENDENCY_ENVIRON_KEY]``, which a plain WSGI
    application may fill itself.
    """
    for key in master_keys:
        if not isinstance(key, str) or not key:
            raise ValueError(f"a dependency master key must be a non-empty str, not {key!r}")
    request.environ.setdefault(DEPENDENCY_ENVIRON_KEY, []).extend(master_keys)


class CacheDependency:
    """Groups cache keys under master keys in ``cache`` (in ``namespace``), to delete together.

    ``time`` is how long the records of dependent keys are kept (0: until deleted); make it no
    shorter than the entries they point to live.
    """

    def __init__(
        self, cache: Cache, time: int | timedelta = 0, namespace: str | None = None
    ) -> None:
        """Keep the records in ``cache``."""
        self.cache = cache
        self.time = seconds(time, "time")
        self.namespace = check_namespace(namespace)

    def next_key(self, master_key: str) -> str:
        """A key no other caller gets: ``master_key`` followed by the next number of its counter.

        :class:`~shallot.caching.backend.CacheError` (or :class:`RuntimeError` when the backend
        answers no number, as a :class:`~shallot.caching.resilient.ResilientCache` does while its
        backend is down) when the counter cannot be advanced.
        """
        return self.next_keys(master_key, 1)[0]

    def next_keys(self, master_key: str, count: int) -> list[str]:
        """``count`` keys no other caller gets (see :meth:`next_key`)."""
        if count < 1:
            raise ValueError(f"count must be at least 1, not {count}")
        last = self.cache.incr(master_key, count, self.namespace, 0)
        if last is None:
            raise RuntimeError(f"the cache gave no number for dependency {master_key!r}")
        return [f"{master_key}{number}" for number in range(last - count + 1, last + 1)]

    def add(self, master_key: str, key: str) -> bool:
        """Record ``key`` as depending on ``master_key``; whether the record was stored."""
        return self.cache.add(self.next_key(master_key), key, self.time, self.namespace)

    def add_multi(self, master_key: str, keys: Iterable[str]) -> list[str]:
        """Record every key of ``keys`` as depending on ``master_key``; the keys whose record
        could not be stored."""
        keys = list(keys)
        if not keys:
            return []
        records = dict(zip(self.next_keys(master_key, len(keys)), keys, strict=True))
        failed = set(self.cache.set_multi(records, self.time, self.namespace))
        return [key for record, key in records.items() if record in failed]

    def get_keys(self, master_key: str) -> list[str]:
        """The keys recorded under ``master_key``, their records' keys, and ``master_key``
        itself: all that :meth:`delete` removes. Empty when nothing was recorded."""
        return self.get_multi_keys((master_key,))

    def get_multi_keys(self, master_keys: Iterable[str]) -> list[str]:
        """:meth:`get_keys` for several master keys at once."""
        master_keys = list(master_keys)
        counters = self.cache.get_multi(master_keys, self.namespace)
        records = [
            f"{master_key}{number}"
            for master_key, count in counters.items()
            if isinstance(count, int)
            for number in range(1, count + 1)
        ]
        if not records:
            return list(counters)
        dependents = self.cache.get_multi(records, self.namespace)
        keys = [key for key in dependents.values() if isinstance(key, str)]
        return keys + records + list(counters)

    def delete(self, master_key: str) -> bool:
        """Delete every entry recorded under ``master_key``, the records and the counter."""
        return self.delete_multi((master_key,))

    def delete_multi(self, master_keys: Iterable[str]) -> bool:
        """:meth:`delete` for several master keys at once."""
        keys = self.get_multi_keys(master_keys)
        if not keys:
            return True
        return self.cache.delete_multi(keys, self.namespace)
