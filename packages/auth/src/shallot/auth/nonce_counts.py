"""Replay protection: each nonce's count (``nc``) must grow, whichever process sees the request.

A client sends ``nc=00000001`` with a nonce's first use, then 2, 3 ... A captured request sent
again repeats its ``nc``, so a server that remembers the highest count seen per nonce refuses the
copy. :class:`NonceCounter` is that memory; :class:`MemoryNonceCounter` keeps it in one process,
:class:`shallot.auth.redis.RedisNonceCounter` (extra ``redis``) in a Redis server so that several
processes agree.

A refused count is answered like a stale nonce (401 with ``stale=true`` and a fresh nonce): the
refusal comes only after the response digest was checked, so the request was made by someone who
knew the password at some point, and an honest client whose requests overtook each other simply
retries. The captured copy gains nothing from the fresh nonce, since answering it needs the
password.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["MemoryNonceCounter", "NonceCounter"]


class NonceCounter(Protocol):
    """Where the highest nonce count seen per nonce is kept."""

    def record(self, nonce: str, nc: int, issued_at: float, expires_at: float) -> bool:
        """Record that ``nonce`` was used with count ``nc``; ``True`` when that is allowed.

        Allowed means ``nc`` is higher than every count recorded for ``nonce`` before (and the
        counter can still tell). ``issued_at`` and ``expires_at`` are the nonce's POSIX times: the
        record is needed only until ``expires_at``, since an expired nonce is refused anyway.
        Must be atomic: of two concurrent calls with the same ``nonce`` and ``nc``, one fails.
        """
        ...


class MemoryNonceCounter:
    """Nonce counts in this process's memory, bounded in size, thread-safe.

    At most ``max_nonces`` nonces are remembered; expired ones are dropped as new ones arrive.
    When the bound is reached the nonce first seen longest ago is forgotten, and so is the right
    to use any nonce issued no later than it (a *horizon*): a forgotten nonce could otherwise be
    replayed from count 1 again. A client holding such a nonce gets ``stale=true`` and retries
    with a fresh one, so the bound costs an extra round trip under pressure, never a replay.
    """

    __slots__ = ("_clock", "_counts", "_horizon", "_lock", "max_nonces")

    def __init__(self, max_nonces: int = 100_000, clock: Callable[[], float] = time.time) -> None:
        if max_nonces < 1:
            raise ValueError("max_nonces must be at least 1")
        self.max_nonces = max_nonces
        self._clock = clock
        self._counts: OrderedDict[str, tuple[int, float, float]] = OrderedDict()
        self._horizon = float("-inf")
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many nonces are remembered right now."""
        return len(self._counts)

    def record(self, nonce: str, nc: int, issued_at: float, expires_at: float) -> bool:
        """See :meth:`NonceCounter.record`."""
        with self._lock:
            seen = self._counts.get(nonce)
            if seen is None:
                if issued_at <= self._horizon:
                    return False
                self._counts[nonce] = (nc, issued_at, expires_at)
                self._prune()
                return True
            if nc <= seen[0]:
                return False
            self._counts[nonce] = (nc, issued_at, expires_at)
            return True

    def _prune(self) -> None:
        """Drop expired nonces from the oldest end, then the oldest ones past the bound."""
        counts = self._counts
        now = self._clock()
        while counts:
            _nc, _issued_at, expires_at = next(iter(counts.values()))
            if expires_at > now:
                break
            counts.popitem(last=False)
        while len(counts) > self.max_nonces:
            _nonce, (_nc, issued_at, _expires_at) = counts.popitem(last=False)
            self._horizon = max(self._horizon, issued_at)
