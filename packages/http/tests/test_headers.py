"""Tests for shallot.http.headers: the case-insensitive multi-map and its injection guard."""

from __future__ import annotations

import pytest

from shallot.http.headers import CheckedFields, Headers


def test_empty() -> None:
    headers = Headers()
    assert len(headers) == 0
    assert list(headers) == []
    assert headers.items() == []
    assert "X" not in headers


def test_from_mapping_and_pairs_keeps_order_and_repeats() -> None:
    assert Headers({"A": "1", "B": "2"}).items() == [("A", "1"), ("B", "2")]
    pairs = [("Set-Cookie", "a=1"), ("X", "y"), ("Set-Cookie", "b=2")]
    assert Headers(pairs).items() == pairs
    assert Headers(iter(pairs)).items() == pairs


def test_from_headers_copies() -> None:
    original = Headers([("A", "1")])
    copy = Headers(original)
    copy.add("B", "2")
    assert original.items() == [("A", "1")]
    assert original.copy() == original
    assert original.copy() is not original


def test_lookup_ignores_case_and_returns_last() -> None:
    headers = Headers([("Vary", "Accept"), ("vary", "Cookie")])
    assert headers["VARY"] == "Cookie"
    assert headers.get("Vary") == "Cookie"
    assert headers.getall("vArY") == ["Accept", "Cookie"]
    assert "vary" in headers


def test_missing_name() -> None:
    headers = Headers([("A", "1")])
    with pytest.raises(KeyError):
        headers["B"]
    assert headers.get("B") is None
    assert headers.get("B", "fallback") == "fallback"
    assert headers.getall("B") == []
    assert 42 not in headers


def test_setitem_replaces_all_in_place_of_first() -> None:
    headers = Headers([("A", "1"), ("B", "2"), ("a", "3"), ("C", "4")])
    headers["A"] = "new"
    assert headers.items() == [("A", "new"), ("B", "2"), ("C", "4")]
    headers["D"] = "5"
    assert headers.items()[-1] == ("D", "5")


def test_add_appends() -> None:
    headers = Headers([("Set-Cookie", "a=1")])
    headers.add("Set-Cookie", "b=2")
    assert headers.getall("set-cookie") == ["a=1", "b=2"]


def test_delitem_removes_every_value() -> None:
    headers = Headers([("A", "1"), ("B", "2"), ("a", "3")])
    del headers["A"]
    assert headers.items() == [("B", "2")]
    with pytest.raises(KeyError):
        del headers["A"]


def test_pop() -> None:
    headers = Headers([("A", "1"), ("a", "2"), ("B", "3")])
    assert headers.pop("A") == "2"
    assert headers.items() == [("B", "3")]
    assert headers.pop("A", "none") == "none"
    assert headers.pop("A", None) is None
    with pytest.raises(KeyError):
        headers.pop("A")


def test_update_replaces_named_fields_only() -> None:
    headers = Headers([("A", "1"), ("B", "2"), ("Set-Cookie", "old=1")])
    headers.update([("set-cookie", "x=1"), ("Set-Cookie", "y=2"), ("C", "3")])
    assert headers.items() == [
        ("A", "1"),
        ("B", "2"),
        ("set-cookie", "x=1"),
        ("Set-Cookie", "y=2"),
        ("C", "3"),
    ]
    headers.update({"a": "9"})
    assert headers.getall("A") == ["9"]


def test_items_is_a_copy() -> None:
    headers = Headers([("A", "1")])
    items = headers.items()
    items.append(("Injected", "x"))
    assert headers.items() == [("A", "1")]


def test_keys_and_iteration() -> None:
    headers = Headers([("A", "1"), ("B", "2"), ("A", "3")])
    assert headers.keys() == ["A", "B", "A"]
    assert list(headers) == [("A", "1"), ("B", "2"), ("A", "3")]
    assert len(headers) == 3


def test_equality() -> None:
    assert Headers([("A", "1")]) == Headers([("a", "1")])
    assert Headers([("A", "1")]) != Headers([("A", "2")])
    assert Headers([("A", "1"), ("B", "2")]) != Headers([("B", "2"), ("A", "1")])
    assert Headers() != [("A", "1")]
    with pytest.raises(TypeError):
        hash(Headers())


def test_repr() -> None:
    assert repr(Headers([("A", "1")])) == "Headers([('A', '1')])"


@pytest.mark.parametrize(
    "value",
    ["a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\x00b", "a\x01b", "a\x7fb", "caf\u20ac"],
)
def test_bad_values_are_refused_on_every_write_path(value: str) -> None:
    with pytest.raises(ValueError, match="invalid character"):
        Headers([("X", value)])
    with pytest.raises(ValueError, match="invalid character"):
        Headers({"X": value})
    headers = Headers()
    with pytest.raises(ValueError, match="invalid character"):
        headers["X"] = value
    with pytest.raises(ValueError, match="invalid character"):
        headers.add("X", value)
    with pytest.raises(ValueError, match="invalid character"):
        headers.update([("X", value)])
    assert headers.items() == []


@pytest.mark.parametrize("value", ["", "plain", "tab\there", "caf\u00e9", 'W/"x", "y"'])
def test_good_values_are_kept(value: str) -> None:
    assert Headers([("X", value)])["X"] == value


@pytest.mark.parametrize("name", ["", "Bad Name", "Bad:Name", "Bad\r\nName", "Caf\u00e9", "(x)"])
def test_bad_names_are_refused_on_every_write_path(name: str) -> None:
    with pytest.raises(ValueError, match="invalid header name"):
        Headers([(name, "v")])
    headers = Headers()
    with pytest.raises(ValueError, match="invalid header name"):
        headers[name] = "v"
    with pytest.raises(ValueError, match="invalid header name"):
        headers.add(name, "v")
    assert len(headers) == 0


@pytest.mark.parametrize("name", ["X-Custom", "x_under", "A1!#$%&'*+-.^`|~"])
def test_token_names_are_kept(name: str) -> None:
    assert Headers([(name, "v")]).items() == [(name, "v")]


def test_non_str_is_refused() -> None:
    headers = Headers()
    with pytest.raises(TypeError, match="value of header 'Content-Length' must be str"):
        headers["Content-Length"] = 5  # type: ignore[assignment]  # the check under test
    with pytest.raises(TypeError, match="header name must be str"):
        headers.add(b"X", "v")  # type: ignore[arg-type]  # the check under test


def test_str_subclasses_are_accepted() -> None:
    class Text(str):
        pass

    headers = Headers([(Text("X-Kind"), Text("plain"))])
    assert headers["x-kind"] == "plain"
    with pytest.raises(ValueError, match="invalid character"):
        headers.add("X", Text("a\nb"))


def test_extend_checks_every_field_before_keeping_any() -> None:
    headers = Headers([("Content-Type", "text/plain")])
    headers.extend([("Cache-Control", "no-cache"), ("Pragma", "no-cache")])
    assert headers.items() == [
        ("Content-Type", "text/plain"),
        ("Cache-Control", "no-cache"),
        ("Pragma", "no-cache"),
    ]
    with pytest.raises(ValueError, match="invalid character"):
        headers.extend([("X-Fine", "yes"), ("X-Split", "a\r\nSet-Cookie: b")])
    assert "X-Fine" not in headers


def test_checked_fields_are_checked_once_and_appended_as_they_are() -> None:
    fields = CheckedFields([("Cache-Control", "no-cache"), ("Expires", "-1")])
    assert fields.names == {"cache-control", "expires"}
    first, second = Headers(), Headers([("ETag", '"a"')])
    first.extend(fields)
    second.extend(fields)
    assert first.items() == [("Cache-Control", "no-cache"), ("Expires", "-1")]
    assert second.items() == [("ETag", '"a"'), ("Cache-Control", "no-cache"), ("Expires", "-1")]
    with pytest.raises(ValueError, match="invalid character"):
        CheckedFields([("X-Split", "a\nb")])
    with pytest.raises(ValueError, match="invalid header name"):
        CheckedFields([("Bad Name", "a")])
