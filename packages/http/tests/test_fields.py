"""Tests for shallot.http.fields: the Fields multi-map and the query-string parser."""

from __future__ import annotations

import decimal
import uuid

import pytest

from shallot.http.exceptions import HTTPException
from shallot.http.fields import Fields, InvalidFieldValue, parse_query


def test_parse_pairs_in_order() -> None:
    fields = parse_query("a=1&b=2&a=3")
    assert fields.items() == [("a", "1"), ("b", "2"), ("a", "3")]
    assert fields.getlist("a") == ["1", "3"]
    assert fields.keys() == ["a", "b"]


@pytest.mark.parametrize("suffix", ["", "&z=%41"])
def test_repeated_names_keep_the_order_sent(suffix: str) -> None:
    # Pairs are recorded only from the first repeated name on: the ones before it, and any
    # after, must still come out in the order sent, on the plain path and the decoding one.
    fields = parse_query("a=1&b=2&c=3&b=4&d=5&a=6" + suffix)
    expected = [("a", "1"), ("b", "2"), ("c", "3"), ("b", "4"), ("d", "5"), ("a", "6")]
    if suffix:
        expected.append(("z", "A"))
    assert fields.items() == expected
    assert fields == Fields(expected)
    assert repr(fields) == f"Fields({expected!r})"
    assert fields.getlist("a") == ["1", "6"]
    assert fields.getlist("b") == ["2", "4"]
    assert fields.keys() == ["a", "b", "c", "d", *(["z"] if suffix else [])]


def test_fields_with_and_without_repeats_compare_by_pairs() -> None:
    assert parse_query("a=1&b=2") == Fields([("a", "1"), ("b", "2")])
    assert parse_query("a=1&a=2") == Fields([("a", "1"), ("a", "2")])
    assert parse_query("a=1&b=2&a=3") != parse_query("a=1&a=3&b=2")
    assert parse_query("") == Fields()


def test_empty_query() -> None:
    fields = parse_query("")
    assert len(fields) == 0
    assert fields.items() == []
    assert not fields


@pytest.mark.parametrize(
    ("query", "pairs"),
    [
        ("a=hello+world", [("a", "hello world")]),
        ("a+b=c", [("a b", "c")]),
        ("a=%2B", [("a", "+")]),
        ("a=%C5%BE%C3%A1ba", [("a", "žába")]),
        ("%C5%BE=1", [("ž", "1")]),
        ("a=%zz", [("a", "%zz")]),
        ("a=%", [("a", "%")]),
        ("a=100%", [("a", "100%")]),
        ("a=%e2%82", [("a", "\ufffd")]),
        ("a=%ff", [("a", "\ufffd")]),
        ("a=caf\xc3\xa9", [("a", "café")]),
        ("a=\xff", [("a", "\ufffd")]),
        ("a=Zdeněk", [("a", "Zdeněk")]),
        ("a=Zdeněk%20X", [("a", "Zdeněk X")]),
        ("a", [("a", "")]),
        ("a=", [("a", "")]),
        ("=x", [("", "x")]),
        ("a=1=2", [("a", "1=2")]),
        ("&&a=1&&", [("a", "1")]),
        ("a=1;b=2", [("a", "1;b=2")]),
    ],
)
def test_decoding(query: str, pairs: list[tuple[str, str]]) -> None:
    assert parse_query(query).items() == pairs


def test_field_count_limit() -> None:
    assert len(parse_query("a=1&b=2&c=3", max_fields=3).items()) == 3
    assert len(parse_query("a=1&&&b=2", max_fields=2).items()) == 2
    with pytest.raises(HTTPException) as caught:
        parse_query("a=1&b=2&c=3", max_fields=2)
    assert caught.value.status_code == 413
    assert "too many fields" in str(caught.value)


def test_field_size_limit() -> None:
    assert parse_query("a=12345", max_field_size=5)["a"] == "12345"
    with pytest.raises(HTTPException) as caught:
        parse_query("a=123456", max_field_size=5)
    assert caught.value.status_code == 413


def test_field_size_counts_characters_as_sent() -> None:
    with pytest.raises(HTTPException):
        parse_query("a=%41%41", max_field_size=5)


def test_getitem_is_the_first_value() -> None:
    fields = parse_query("a=1&a=2")
    assert fields["a"] == "1"
    with pytest.raises(KeyError):
        fields["missing"]


def test_get() -> None:
    fields = parse_query("a=1&a=2")
    assert fields.get("a") == "1"
    assert fields.get("missing") is None
    assert fields.get("missing", "x") == "x"


def test_contains_iter_len() -> None:
    fields = parse_query("b=1&a=2&b=3")
    assert "a" in fields
    assert "c" not in fields
    assert 1 not in fields
    assert list(fields) == ["b", "a"]
    assert len(fields) == 2


def test_getfirst() -> None:
    fields = parse_query("n=1&n=2&word=x")
    assert fields.getfirst("n") == "1"
    assert fields.getfirst("missing") is None
    assert fields.getfirst("missing", "d") == "d"
    assert fields.getfirst("n", func=int) == 1
    assert fields.getfirst("missing", 0, int) == 0
    assert fields.getfirst("missing", "not converted", int) == "not converted"


@pytest.mark.parametrize(
    "func",
    [int, float, decimal.Decimal, uuid.UUID, bytes.fromhex],
)
def test_getfirst_conversion_error_is_a_400(func: object) -> None:
    fields = parse_query("n=abc%21")
    with pytest.raises(InvalidFieldValue) as caught:
        fields.getfirst("n", func=func)  # type: ignore[call-overload]  # any converter
    error = caught.value
    assert isinstance(error, HTTPException)
    assert error.status_code == 400
    assert error.field_name == "n"
    assert error.value == "abc!"
    assert "'n'" in str(error)
    assert "abc" not in str(error)


def test_other_errors_from_func_propagate() -> None:
    def broken(value: str) -> int:
        raise KeyError(value)

    with pytest.raises(KeyError):
        parse_query("n=1").getfirst("n", func=broken)


def test_getlist() -> None:
    fields = parse_query("n=1&x=y&n=2")
    assert fields.getlist("n") == ["1", "2"]
    assert fields.getlist("n", int) == [1, 2]
    assert fields.getlist("missing") == []
    assert fields.getlist("missing", int) == []


def test_getlist_returns_a_copy() -> None:
    fields = parse_query("n=1")
    fields.getlist("n").append("2")
    assert fields.getlist("n") == ["1"]


def test_getlist_conversion_error_names_the_field() -> None:
    with pytest.raises(InvalidFieldValue) as caught:
        parse_query("n=1&n=two").getlist("n", int)
    assert caught.value.status_code == 400
    assert caught.value.value == "two"


def test_compact_splits_literal_commas() -> None:
    fields = parse_query("id=1,2,3")
    assert fields.getlist("id") == ["1,2,3"]
    assert fields.getlist("id", compact=True) == ["1", "2", "3"]
    assert fields.getlist("id", int, compact=True) == [1, 2, 3]


def test_compact_never_splits_encoded_commas() -> None:
    fields = parse_query("id=1%2C2&tag=a%2Cb,c")
    assert fields.getlist("id", compact=True) == ["1,2"]
    assert fields.getlist("tag", compact=True) == ["a,b", "c"]


def test_compact_mixes_repeated_names_and_lists() -> None:
    fields = parse_query("id=1,2&id=3&other=x,y&id=4%2C5")
    assert fields.getlist("id", compact=True) == ["1", "2", "3", "4,5"]
    assert fields.getlist("missing", compact=True) == []


def test_compact_decodes_each_piece() -> None:
    fields = parse_query("q=a+b,%C5%BE,,c")
    assert fields.getlist("q", compact=True) == ["a b", "ž", "", "c"]


def test_compact_without_any_comma() -> None:
    assert parse_query("id=1&id=2").getlist("id", compact=True) == ["1", "2"]


def test_compact_conversion_error() -> None:
    with pytest.raises(InvalidFieldValue) as caught:
        parse_query("id=1,x").getlist("id", int, compact=True)
    assert caught.value.value == "x"


def test_constructor_from_pairs_and_mapping() -> None:
    assert Fields([("a", "1"), ("a", "2")]).getlist("a") == ["1", "2"]
    assert Fields({"a": "1", "b": "2"}).items() == [("a", "1"), ("b", "2")]
    assert Fields().items() == []


def test_constructor_commas_are_data_unless_literal() -> None:
    assert Fields([("id", "1,2")]).getlist("id", compact=True) == ["1,2"]
    literal = Fields([("id", "1,2"), ("id", "3")], literal_commas=True)
    assert literal.getlist("id", compact=True) == ["1", "2", "3"]


def test_constructor_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        Fields([("a", 1)])  # type: ignore[list-item]  # deliberately wrong type


def test_equality_and_repr() -> None:
    assert parse_query("a=1&b=2") == Fields([("a", "1"), ("b", "2")])
    assert parse_query("a=1&b=2") != Fields([("b", "2"), ("a", "1")])
    assert parse_query("a=1") != {"a": "1"}
    assert repr(parse_query("a=1")) == "Fields([('a', '1')])"
    with pytest.raises(TypeError):
        hash(parse_query("a=1"))


def test_items_returns_a_copy() -> None:
    fields = parse_query("a=1")
    fields.items().clear()
    assert fields.items() == [("a", "1")]


@pytest.mark.parametrize(
    "query",
    ["a=1", "a=1&&b=&c&a=2&", "=x&a==b=c&&", "&", "a=1&a=2&a=3", "x-y.z_=A~b!*'()"],
)
def test_plain_queries_parse_as_escaped_ones_do(query: str) -> None:
    # Plain ASCII without %, + or , takes a fast path; a trailing escaped pair sends the same
    # pairs down the general one, and both must agree.
    plain = parse_query(query, max_fields=100, max_field_size=20)
    general = parse_query(query + "&z=%41", max_fields=100, max_field_size=20)
    assert [*plain.items(), ("z", "A")] == general.items()
    for name in plain:
        assert plain[name] == general[name]
        assert plain.getlist(name) == general.getlist(name)
        assert plain.getlist(name, compact=True) == general.getlist(name, compact=True)


def test_plain_query_limits() -> None:
    with pytest.raises(HTTPException) as caught:
        parse_query("a=1&b=123456", max_field_size=5)
    assert caught.value.status_code == 413
    assert "field value too large" in str(caught.value)
    assert parse_query("a=1&b=12345", max_field_size=5)["b"] == "12345"
    assert parse_query("name123456=1", max_field_size=5)["name123456"] == "1"  # values only
    with pytest.raises(HTTPException) as caught:
        parse_query("a&b&c", max_fields=2)
    assert caught.value.status_code == 413


def test_plain_query_first_value_and_non_ascii() -> None:
    fields = parse_query("a=1&b=2&a=3")
    assert fields["a"] == "1"
    assert fields.getlist("a") == ["1", "3"]
    # Latin-1 as WSGI gives it (UTF-8 bytes), and bytes that are not UTF-8: never the fast path.
    assert parse_query("n=\xc3\xa9")["n"] == "\xe9"
    assert parse_query("n=\xff")["n"] == "\ufffd"
