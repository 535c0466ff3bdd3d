"""The cache contract every backend keeps (Wheezy's), and the error a shared backend raises.

A backend stores values under string keys, optionally inside a ``namespace``, each for ``time``
seconds (0: until evicted or deleted). The response cache, :class:`~shallot.caching.dependency.
CacheDependency` and your own code use only this :class:`Cache` protocol, so any backend, or a
wrapper such as :class:`~shallot.caching.resilient.ResilientCache`, fits anywhere.

What every implementation promises (the same contract tests run over all of them):

- ``get`` answers ``None`` for a missing or expired key, so ``None`` itself cannot be stored
  (:class:`ValueError`).
- ``add`` stores only when the key is absent, atomically: of several concurrent writers exactly
  one wins.
- ``incr`` adds ``delta`` (not negative) to an integer value atomically and returns the result;
  a missing key gives ``None``, unless ``initial_value`` is given: then the key is created with
  ``initial_value + delta`` (the counter never expires).
- Keys in different namespaces never meet; a namespace is letters, digits, ``_``, ``.`` or ``-``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["Cache", "CacheError"]


class CacheError(Exception):
    """A shared backend failed: its server could not be reached, answered an error, or held a
    value this package cannot read. ``backend`` names the backend; the cause is chained."""

    def __init__(self, backend: str, message: str) -> None:
        super().__init__(f"{backend}: {message}")
        self.backend = backend


class Cache(Protocol):
    """Wheezy's cache contract, typed (see the module documentation for the promises)."""

    def get(self, key: str, namespace: str | None = None) -> object | None:
        """The value of ``key``, or ``None`` when it is missing or expired."""

    def get_multi(self, keys: Iterable[str], namespace: str | None = None) -> dict[str, object]:
        """The values of those ``keys`` that are present."""

    def set(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """Store ``value`` under ``key`` for ``time`` seconds (0: no expiry); whether it was."""

    def set_multi(
        self, mapping: Mapping[str, object], time: int = 0, namespace: str | None = None
    ) -> list[str]:
        """Store every item of ``mapping``; the keys that could not be stored."""

    def add(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        """Store ``value`` only if ``key`` is absent; whether it was stored."""

    def incr(
        self,
        key: str,
        delta: int = 1,
        namespace: str | None = None,
        initial_value: int | None = None,
    ) -> int | None:
        """Add ``delta`` to the integer under ``key`` and return the sum (see the module)."""

    def delete(self, key: str, namespace: str | None = None) -> bool:
        """Remove ``key``; whether it was present."""

    def delete_multi(self, keys: Iterable[str], namespace: str | None = None) -> bool:
        """Remove every key of ``keys``; whether the backend did so."""
