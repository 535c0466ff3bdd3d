"""normalize_url gives every spelling of a path one canonical form, and refuses what has none."""

from __future__ import annotations

import pytest

from shallot.locks import InvalidURL, normalize_url
from shallot.locks.urls import ancestors, is_within, subtree_end, subtree_prefix

CANONICAL = [
    ("/", "/"),
    ("//", "/"),
    ("/a/b/", "/a/b"),
    ("//a//b//", "/a/b"),
    ("/a%7eb", "/a~b"),
    ("/a%7Eb", "/a~b"),
    ("/a~b", "/a~b"),
    ("/a b", "/a%20b"),
    ("/a%20b", "/a%20b"),
    ("/%c3%a4", "/%C3%A4"),
    ("/ä", "/%C3%A4"),
    ("/a%2fb", "/a%2Fb"),
    ("/a%3Ab@c", "/a:b@c"),
    ("/a%25b", "/a%25b"),
    ("/x%21%24%26%27%28%29%2A%2B%2C%3B%3D", "/x!$&'()*+,;="),
    ("/%22quoted%22%3C%3E", "/%22quoted%22%3C%3E"),
    ("/Docs/README", "/Docs/README"),
    ("/.hidden/...", "/.hidden/..."),
]

INVALID = [
    ("", "beginning with '/'"),
    ("a/b", "beginning with '/'"),
    ("http://example.org/a", "beginning with '/'"),
    ("/a?x=1", "query or fragment"),
    ("/a#top", "query or fragment"),
    ("/a%", "two hex digits"),
    ("/a%zz", "two hex digits"),
    ("/a%4", "two hex digits"),
    ("/a%c3", "UTF-8"),
    ("/a%ff%fe", "UTF-8"),
    ("/a\udcff", "UTF-8"),
    ("/./a", "'.' and '..'"),
    ("/a/..", "'.' and '..'"),
    ("/a/%2e%2E/b", "'.' and '..'"),
    ("/a/%2E", "'.' and '..'"),
    ("/a%00b", "NUL"),
]


@pytest.mark.parametrize(("spelling", "canonical"), CANONICAL)
def test_canonical_form(spelling: str, canonical: str) -> None:
    assert normalize_url(spelling) == canonical
    assert normalize_url(canonical) == canonical


def test_case_is_kept() -> None:
    assert normalize_url("/A/b") != normalize_url("/a/b")


def test_an_encoded_slash_is_not_a_separator() -> None:
    assert normalize_url("/a%2Fb") != normalize_url("/a/b")
    assert ancestors(normalize_url("/a%2Fb")) == ["/"]


@pytest.mark.parametrize(("url", "reason"), INVALID)
def test_invalid_urls_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(InvalidURL) as caught:
        normalize_url(url)
    assert caught.value.url == url
    assert reason in caught.value.reason
    assert caught.value.status == 400


def test_ancestors_nearest_first() -> None:
    assert ancestors("/a/b/c") == ["/a/b", "/a", "/"]
    assert ancestors("/a") == ["/"]
    assert ancestors("/") == []


@pytest.mark.parametrize(
    ("url", "root", "within"),
    [
        ("/a", "/a", True),
        ("/a/b", "/a", True),
        ("/a/b/c", "/a", True),
        ("/ab", "/a", False),
        ("/a-b", "/a", False),
        ("/a", "/a/b", False),
        ("/anything", "/", True),
        ("/", "/", True),
    ],
)
def test_is_within(url: str, root: str, within: bool) -> None:
    assert is_within(url, root) is within


def test_the_subtree_is_one_ordered_range() -> None:
    urls = sorted(["/", "/a", "/a/b", "/a/b/c", "/a-b", "/a.b", "/a0", "/ab", "/a/%20", "/b"])
    for root in urls:
        start, end = subtree_prefix(root), subtree_end(root)
        in_range = {url for url in urls if start <= url < end and url != root}
        below = {url for url in urls if is_within(url, root) and url != root}
        assert in_range == below
    assert subtree_prefix("/") == "/"
    assert subtree_prefix("/a") == "/a/"
