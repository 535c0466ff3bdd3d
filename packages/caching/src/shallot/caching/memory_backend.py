"""An in-process cache: a thread-safe LRU bounded by entries and by bytes, with expiry.

:class:`MemoryCache` serves one process (each worker of a pre-forking server has its own); use
the Redis or memcached backend to share entries between processes or machines. Values are kept as
they are, not copied: cache immutable values (the response cache stores frozen records).

Bounds: when an insertion takes the cache past ``max_entries`` or ``max_bytes``, the least
recently used entries go first; a single value larger than ``max_bytes`` is not stored at all.
Expired entries are dropped when met, and all at once every ``sweep_interval`` seconds.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, NamedTuple

from shallot.caching.codec import check_storable
from shallot.caching.entry import CachedResponse

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

__all__ = ["MemoryCache", "approximate_size"]

_NO_EXPIRY = float("inf")


def approximate_size(value: object) -> int:
    """Roughly how many bytes ``value`` holds: the length of ``bytes`` and ``str``, the body and
    fields of a :class:`~shallot.caching.entry.CachedResponse`, ``sys.getsizeof`` otherwise."""
    if isinstance(value, (bytes, str)):
        return len(value)
    if isinstance(value, CachedResponse):
        return value.size
    return sys.getsizeof(value)


class _Item(NamedTuple):
    value: object
    expires: float
    size: int


class MemoryCache:
    """The :class:`~shallot.caching.backend.Cache` contract in this process's memory.

    ``max_entries`` and ``max_bytes`` bound the cache (``None``: no such bound; at least one is
    required, :class:`ValueError` otherwise); ``size_of`` measures values for ``max_bytes``.
    ``clock`` gives seconds (monotonic; tests may pass their own). Every method is safe to call
    from many threads.
    """

    def __init__(
        self,
        max_entries: int | None = 10_000,
        max_bytes: int | None = None,
        *,
        size_of: Callable[[object], int] = approximate_size,
        sweep_interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Start empty with the given bounds (see the class documentation)."""
        if max_entries is None and max_bytes is None:
            raise ValueError("a MemoryCache needs max_entries or max_bytes (or both)")
        for name, bound in (("max_entries", max_entries), ("max_bytes", max_bytes)):
            if bound is not None and (type(bound) is not int or bound < 1):
                raise ValueError(f"{name} must be a positive int or None, not {bound!r}")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._clock = clock
        self._sweep_interval = sweep_interval
        self._next_sweep = clock() + sweep_interval
        self._items: OrderedDict[tuple[str | None, str], _Item] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """The number of entries held, expired ones not yet dropped included."""
        return len(self._items)

    @property
    def bytes_held(self) -> int:
        """The total size of the entries held, as ``size_of`` measured them."""
        return self._bytes

    # -- reading -----------------------------------------------------------------------------------

    def get(self, key: str, namespace: str | None = None) -> object | None:
        """The value of ``key``, or ``None``; a hit makes the entry the most recently used.

        A hit takes no lock: reading the entry and moving it to the end are each one atomic
        operation of the ordered dict, and an entry evicted between the two is still the value
        that was present when the call began.
        """
        slot = (namespace, key)
        item = self._items.get(slot)
        if item is None:
            return None
        if item[1] <= self._clock():  # (value, expires, size)
            with self._lock:
                if self._items.get(slot) is item:
                    self._drop(slot)
            return None
        try:  # noqa: SIM105  # contextlib.suppress would cost a call on every hit
            self._items.move_to_end(slot)
        except KeyError:
            pass
        return item[0]

    def get_multi(self, keys: Iterable[str], namespace: str | None = None) -> dict[str, object]:
        """The values of those ``keys`` that are present."""
        found: dict[str, object] = {}
        for key in keys:
            value = self.get(key, namespace)
            if value is not None:
                found[key] = value
        return found

    # -- writing -----------------------------------------------------------------------------------

    def set(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """Store ``value``; ``False`` only when it alone is larger than ``max_bytes``."""
        check_storable(value)
        with self._lock:
            return self._store((namespace, key), value, time)

    def set_multi(
        self, mapping: Mapping[str, object], time: int = 0, namespace: str | None = None
    ) -> list[str]:
        """Store every item; the keys of values too large to store."""
        for value in mapping.values():
            check_storable(value)
        with self._lock:
            return [
                key
                for key, value in mapping.items()
                if not self._store((namespace, key), value, time)
            ]

    def add(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """Store ``value`` only if ``key`` is absent (or expired)."""
        check_storable(value)
        slot = (namespace, key)
        with self._lock:
            item = self._items.get(slot)
            if item is not None and item.expires > self._clock():
                return False
            return self._store(slot, value, time)

    def incr(
        self,
        key: str,
        delta: int = 1,
        namespace: str | None = None,
        initial_value: int | None = None,
    ) -> int | None:
        """Add ``delta`` to the integer under ``key`` (see the contract); :class:`TypeError`
        when the value there is not an ``int``."""
        if delta < 0:
            raise ValueError(f"incr takes a delta of 0 or more, not {delta}")
        slot = (namespace, key)
        with self._lock:
            item = self._items.get(slot)
            if item is not None and item.expires <= self._clock():
                self._drop(slot)
                item = None
            if item is None:
                if initial_value is None:
                    return None
                value = initial_value + delta
                self._store(slot, value, 0)
                return value
            if type(item.value) is not int:
                raise TypeError(f"cannot incr {key!r}: it holds a {type(item.value).__name__}")
            value = item.value + delta
            self._items[slot] = item._replace(value=value)
            self._items.move_to_end(slot)
            return value

    def delete(self, key: str, namespace: str | None = None) -> bool:
        """Remove ``key``; whether it was present and not expired."""
        slot = (namespace, key)
        with self._lock:
            item = self._items.get(slot)
            if item is None:
                return False
            self._drop(slot)
            return item.expires > self._clock()

    def delete_multi(self, keys: Iterable[str], namespace: str | None = None) -> bool:
        """Remove every key of ``keys``; always ``True``."""
        with self._lock:
            for key in keys:
                if (namespace, key) in self._items:
                    self._drop((namespace, key))
        return True

    def clear(self) -> None:
        """Remove every entry."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    # -- under the lock ----------------------------------------------------------------------------

    def _drop(self, slot: tuple[str | None, str]) -> None:
        self._bytes -= self._items.pop(slot).size

    def _store(self, slot: tuple[str | None, str], value: object, seconds: int) -> bool:
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        size = self._size_of(value)
        if self.max_bytes is not None and size > self.max_bytes:
            if slot in self._items:
                self._drop(slot)
            return False
        if slot in self._items:
            self._drop(slot)
        self._items[slot] = _Item(value, now + seconds if seconds > 0 else _NO_EXPIRY, size)
        self._bytes += size
        items = self._items
        while (self.max_entries is not None and len(items) > self.max_entries) or (
            self.max_bytes is not None and self._bytes > self.max_bytes
        ):
            self._bytes -= items.popitem(last=False)[1].size
        return True

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + self._sweep_interval
        expired = [slot for slot, item in self._items.items() if item.expires <= now]
        for slot in expired:
            self._drop(slot)
