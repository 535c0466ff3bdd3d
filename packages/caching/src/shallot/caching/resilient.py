"""A cache that never fails its caller: a backend failure is a miss and one logged warning.

A response cache is an optimisation; when its Redis or memcached is down, the site must answer
from the application, never with a 500. :class:`ResilientCache` wraps any backend so that every
exception becomes the answer of an empty cache (``get`` gives ``None``, ``set`` gives ``False``
...). It logs one warning (logger ``shallot.caching``) when the backend starts failing and one
info line when it answers again, not one per request; and for ``retry_after`` seconds after a
failure it does not call the backend at all, so a server that times out slows down one request,
not all of them.

:class:`~shallot.caching.middleware.CacheMiddleware` wraps the backend it is given with
:func:`resilient` itself; wrap the cache you give :class:`~shallot.caching.dependency.
CacheDependency` too if your handlers must not fail when it is down.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from shallot.caching.memory_backend import MemoryCache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from shallot.caching.backend import Cache

__all__ = ["ResilientCache", "resilient"]

logger = logging.getLogger("shallot.caching")


class ResilientCache:
    """``cache`` behind the failure handling described in the module documentation.

    ``ValueError`` and ``TypeError`` raised for the caller's own mistakes (storing ``None``, a
    negative ``incr``) still propagate: they are bugs to fix, not outages. ``failing`` tells
    whether the backend is currently considered down.
    """

    def __init__(
        self,
        cache: Cache,
        retry_after: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Wrap ``cache``; after a failure, skip it for ``retry_after`` seconds."""
        self.cache = cache
        self.retry_after = retry_after
        self.failing = False
        self._clock = clock
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.cache!r})"

    def _skipping(self) -> bool:
        """Whether the backend failed less than ``retry_after`` seconds ago."""
        return self.failing and self._clock() < self._retry_at

    def _failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            self._retry_at = self._clock() + self.retry_after
            if self.failing:
                return
            self.failing = True
        logger.warning(
            "cache %r failed (%s: %s); answering as an empty cache until it recovers",
            self.cache,
            operation,
            error,
            exc_info=error,
        )

    def _succeeded(self) -> None:
        if not self.failing:
            return
        with self._lock:
            if not self.failing:
                return
            self.failing = False
        logger.info("cache %r answers again", self.cache)

    def get(self, key: str, namespace: str | None = None) -> object | None:
        """The backend's answer, or ``None`` when it fails."""
        if self._skipping():
            return None
        try:
            value = self.cache.get(key, namespace)
        except (TypeError, ValueError):
            raise
        except Exception as error:
            self._failed("get", error)
            return None
        self._succeeded()
        return value

    def get_multi(self, keys: Iterable[str], namespace: str | None = None) -> dict[str, object]:
        """The backend's answer, or ``{}`` when it fails."""
        if self._skipping():
            return {}
        try:
            values = self.cache.get_multi(keys, namespace)
        except (TypeError, ValueError):
            raise
        except Exception as error:
            self._failed("get_multi", error)
            return {}
        self._succeeded()
        return values

    def set(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """The backend's answer, or ``False`` when it fails."""
        if self._skipping():
            return False
        try:
            stored = self.cache.set(key, value, time, namespace)
        except (TypeError, ValueError):
            raise
        except Exception as error:
            self._failed("set", error)
            return False
        self._succeeded()
        return stored

    def set_multi(
        self, mapping: Mapping[str, object], time: int = 0, namespace: str | None = None
    ) -> list[str]:
        """The backend's answer, or every key when it fails."""
        if self._skipping():
            return list(mapping)
        try:
            failed = self.cache.set_multi(mapping, time, namespace)
        except (TypeError, ValueError):
            raise
        except Exception as error:
            self._failed("set_multi", error)
            return list(mapping)
        self._succeeded()
        return failed

    def add(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """The backend's answer, or ``False`` when it fails."""
        if self._skipping():
            return False
        try:
            added = self.cache.add(key, value, time, namespace)
        except (TypeError, ValueError):
            raise
        except Exception as error:
            self._failed("add", error)
            return False
        self._succeeded()
        return added

    def incr(
        self,
        key: str,
        delta: int = 1,
        namespace: str | None = None,
        initial_value: int | None = None,
    ) -> int | None:
        """The backend's answer, or ``None`` when it fails."""
        if self._skipping():
            return None
        try:
            value = self.cache.incr(key, delta, namespace, initial_value)
        except (TypeError, ValueError):
            raise
        except Exception as error:
            self._failed("incr", error)
            return None
        self._succeeded()
        return value

    def delete(self, key: str, namespace: str | None = None) -> bool:
        """The backend's answer, or ``False`` when it fails."""
        if self._skipping():
            return False
        try:
            deleted = self.cache.delete(key, namespace)
        except (TypeError, ValueError):
            raise
        except Exception as error:
            self._failed("delete", error)
            return False
        self._succeeded()
        return deleted

    def delete_multi(self, keys: Iterable[str], namespace: str | None = None) -> bool:
        """The backend's answer, or ``False`` when it fails."""
        if self._skipping():
            return False
        try:
            deleted = self.cache.delete_multi(keys, namespace)
        except (TypeError, ValueError):
            raise
        except Exception as error:
            self._failed("delete_multi", error)
            return False
        self._succeeded()
        return deleted


def resilient(cache: Cache) -> Cache:
    """``cache`` ready for the response cache: a :class:`MemoryCache` or a
    :class:`ResilientCache` as it is (one cannot fail, the other already handles failure), any
    other backend wrapped in a :class:`ResilientCache`."""
    if isinstance(cache, (MemoryCache, ResilientCache)):
        return cache
    return ResilientCache(cache)
