"""log_text: what a client sent, as text that cannot break a log record."""

from __future__ import annotations

import pytest

from shallot.middleware.log_text import describe_error, log_text, printable, wsgi_decoded


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/plain path", "/plain path"),
        ("a\nb\r\tc", "a\\nb\\r\\tc"),
        ("\x00\x1b[31m\x7f", "\\x00\\x1b[31m\\x7f"),
        ("line\u2028separator\x85", "line\\u2028separator\\x85"),
        ("caf\u00e9 \u2603", "caf\u00e9 \u2603"),
        ("\udcff", "\\udcff"),
    ],
)
def test_printable_escapes_what_is_not(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_wsgi_strings_are_shown_as_utf8() -> None:
    assert log_text("/caf\xc3\xa9") == "/caf\u00e9"
    assert log_text("/caf\xe9\xff") == "/caf\\xe9\\xff"
    assert wsgi_decoded("/caf\xe9", "replace") == "/caf\ufffd"
    assert wsgi_decoded("\u2603 not latin-1", "strict") == "\u2603 not latin-1"


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("no")

    def __str__(self) -> str:
        raise RuntimeError("no")


def test_other_values_as_their_repr() -> None:
    assert log_text(42) == "42"
    assert log_text(b"\n") == "b'\\n'"
    assert log_text(Unprintable()) == "<unprintable Unprintable>"


def test_describe_error() -> None:
    assert describe_error(KeyError("a\nb")) == "KeyError: 'a\\nb'"
    assert describe_error(Exception(Unprintable())) == "Exception: <unprintable>"
