"""Clark names: one spelling per property, validated with a reason."""

from __future__ import annotations

import re

import pytest

from shallot.props import InvalidPropertyName, PropertyName, clark_name, split_name, validate_name
from shallot.props.names import MAX_NAME_LENGTH


@pytest.mark.parametrize(
    ("name", "namespace", "local"),
    [
        ("{DAV:}displayname", "DAV:", "displayname"),
        ("{}plain", "", "plain"),
        ("{http://example.com/a?b=c#d}x.y-z_1", "http://example.com/a?b=c#d", "x.y-z_1"),
        ("{urn:名前空間}名前", "urn:名前空間", "名前"),
        ("{urn:with space\ttab}_", "urn:with space\ttab", "_"),
        ("{urn:x}é·\u0300", "urn:x", "é·\u0300"),
    ],
)
def test_valid_names_split(name: str, namespace: str, local: str) -> None:
    assert split_name(name) == PropertyName(namespace, local)
    assert split_name(name).clark == name
    assert validate_name(name) is name
    assert clark_name(namespace, local) == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("displayname", "not Clark notation"),
        ("", "not Clark notation"),
        ("{DAV:displayname", "no closing brace"),
        ("{DAV:}", "not an XML NCName"),
        ("{DAV:}1st", "not an XML NCName"),
        ("{DAV:}-dash", "not an XML NCName"),
        ("{DAV:}a:b", "not an XML NCName"),
        ("{DAV:}a b", "not an XML NCName"),
        ("{DAV:}a}b", "not an XML NCName"),
        ("{a{b}c", "a brace or a character XML forbids"),
        ("{urn:\x00}c", "a brace or a character XML forbids"),
        ("{urn:\ud800}c", "a brace or a character XML forbids"),
        ("{urn:x}" + "a" * MAX_NAME_LENGTH, f"longer than {MAX_NAME_LENGTH}"),
    ],
)
def test_invalid_names_say_why(name: str, reason: str) -> None:
    with pytest.raises(InvalidPropertyName, match=re.escape(reason)) as raised:
        validate_name(name)
    assert reason in raised.value.reason


def test_longest_name_is_accepted() -> None:
    name = "{urn:x}" + "a" * (MAX_NAME_LENGTH - len("{urn:x}"))
    assert validate_name(name) == name


def test_non_strings_are_refused() -> None:
    with pytest.raises(InvalidPropertyName, match="not a string"):
        split_name(b"{DAV:}x")  # type: ignore[arg-type]  # what an untyped caller may pass


def test_clark_name_validates() -> None:
    with pytest.raises(InvalidPropertyName):
        clark_name("DAV:", "not a name")
