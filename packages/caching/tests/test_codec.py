"""How shared backends write values: integers as digits, the rest pickled; keys never collide."""

from __future__ import annotations

import pytest

from shallot.caching import CacheError
from shallot.caching.codec import (
    check_storable,
    decode_value,
    encode_value,
    qualified_key,
)


def test_integers_are_digits_for_the_servers_incr() -> None:
    assert encode_value(42) == b"42"
    assert encode_value(-3) == b"-3"
    assert decode_value(b"42", "x") == 42
    assert encode_value(True) != b"1"
    assert decode_value(encode_value(True), "x") is True


def test_everything_else_round_trips() -> None:
    for value in ("42", b"42", 4.2, (4, 2)):
        assert decode_value(encode_value(value), "x") == value


def test_foreign_bytes_are_a_cache_error() -> None:
    with pytest.raises(CacheError, match="x: cannot read a cached value") as raised:
        decode_value(b"written by another program", "x")
    assert raised.value.backend == "x"


def test_none_is_refused() -> None:
    with pytest.raises(ValueError, match="None"):
        check_storable(None)
    with pytest.raises(ValueError, match="None"):
        encode_value(None)


def test_qualified_keys_never_collide() -> None:
    assert qualified_key("p:", None, "a:b") == "p::a:b"
    assert qualified_key("p:", "a", "b") == "p:a:b"
    for bad in ("", "a:b"):
        with pytest.raises(ValueError, match="invalid cache namespace"):
            qualified_key("p:", bad, "k")
