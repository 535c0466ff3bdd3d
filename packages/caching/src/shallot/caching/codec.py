"""How shared backends (Redis, memcached) write values as bytes, and read them back.

Integers are written as their decimal digits, so the servers' own atomic ``INCRBY``/``incr`` work
on the counters :class:`~shallot.caching.dependency.CacheDependency` keeps; everything else is
pickled (a pickle never starts with a digit or ``-``, so the two cannot be confused).

Pickles run code when read: whoever can write to your Redis or memcached can run code in your
workers. That is the usual trust model of these servers (Django's and Wheezy's caches pickle
too): keep them on a private network, or behind authentication.
"""

from __future__ import annotations

import pickle
import re

from shallot.caching.backend import CacheError

__all__ = ["check_storable", "decode_value", "encode_value", "qualified_key"]

_INTEGER = re.compile(rb"-?[0-9]+\Z")


def check_storable(value: object) -> None:
    """:class:`ValueError` for ``None``, which ``get`` uses to say "missing"."""
    if value is None:
        raise ValueError("None cannot be cached: get() answers None for a missing key")


def encode_value(value: object) -> bytes:
    """``value`` as the bytes a shared backend stores."""
    if type(value) is int:
        return str(value).encode()
    check_storable(value)
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def decode_value(data: bytes, backend: str) -> object:
    """The value :func:`encode_value` wrote; :class:`~shallot.caching.backend.CacheError` when
    ``data`` is not such a value (written by another program, or damaged)."""
    if _INTEGER.match(data):
        return int(data)
    try:
        return pickle.loads(data)
    except Exception as error:
        raise CacheError(backend, f"cannot read a cached value: {error}") from error


def qualified_key(prefix: str, namespace: str | None, key: str) -> str:
    """The key a shared backend uses: ``prefix`` + ``namespace:key``, or ``prefix`` + ``:key``
    without a namespace. :class:`ValueError` for an empty namespace or one holding ``:``, so
    the two forms can never collide."""
    if namespace is None:
        return f"{prefix}:{key}"
    if not namespace or ":" in namespace:
        raise ValueError(f"invalid cache namespace {namespace!r}")
    return f"{prefix}{namespace}:{key}"
