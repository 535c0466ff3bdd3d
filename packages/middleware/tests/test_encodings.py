"""Choosing a pre-compressed sibling by Accept-Encoding: q-values, ties, exclusions."""

from __future__ import annotations

import pytest

from shallot.middleware.encodings import choose_encoding, parse_accept_encoding

BOTH = ("br", "gzip")


def test_qualities_are_read_with_defaults_and_aliases() -> None:
    assert parse_accept_encoding("gzip, br;q=0.5, X-GZIP;q=0.2, *;q=0") == {
        "gzip": 0.2,
        "br": 0.5,
        "*": 0.0,
    }


@pytest.mark.parametrize("header", ["br;q=abc", "br;q=2", "br;level=1", ",,", " ; q=1"])
def test_unreadable_entries_are_skipped(header: str) -> None:
    assert parse_accept_encoding(header) == {}


@pytest.mark.parametrize(
    ("header", "available", "chosen"),
    [
        (None, BOTH, None),
        ("", BOTH, None),
        ("gzip, deflate, br", BOTH, "br"),  # a tie goes to the server's preference
        ("gzip, br", ("gzip",), "gzip"),
        ("gzip;q=1, br;q=0.8", BOTH, "gzip"),
        ("br;q=0, gzip;q=0", BOTH, None),
        ("deflate", BOTH, None),
        ("*", BOTH, "br"),
        ("*;q=0.5, br;q=0", BOTH, "gzip"),
        ("br;q=0.4, *;q=0.6", ("br",), None),  # identity rated through *
        ("gzip;q=0.5, identity;q=0.9", BOTH, None),  # identity rated strictly higher
        ("gzip;q=0.5", BOTH, "gzip"),  # identity unrated: acceptable, not preferred
        ("gzip, identity;q=0", BOTH, "gzip"),
        ("zstd, gzip", ("zstd", "gzip"), "zstd"),
        ("br", (), None),
    ],
)
def test_choice(header: str | None, available: tuple[str, ...], chosen: str | None) -> None:
    assert choose_encoding(header, available) == chosen
