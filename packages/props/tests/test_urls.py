"""URL normalisation and subtrees: one spelling per resource, subtrees that never leak."""

from __future__ import annotations

import itertools
import re

import pytest

from shallot.props import InvalidResourceURL, Subtree, normalize_url


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("/", "/"),
        ("//", "/"),
        ("/a/b/", "/a/b"),
        ("/a//b", "/a/b"),
        ("/a%7Eb", "/a~b"),
        ("/a%7eb", "/a~b"),
        ("/%41", "/A"),
        ("/a b", "/a%20b"),
        ("/a%20b", "/a%20b"),
        ("/café", "/caf%C3%A9"),
        ("/caf%c3%a9", "/caf%C3%A9"),
        ("/caf%E9", "/caf%E9"),
        ("/a%2Fb", "/a%2Fb"),
        ("/a%2fb/c", "/a%2Fb/c"),
        ("/a?b#c", "/a%3Fb%23c"),
        ("/x!$&'()*+,;=:@-._~", "/x!$&'()*+,;=:@-._~"),
        ("/%25", "/%25"),
        ("/Case/KEPT", "/Case/KEPT"),
        ("/a/.b/..c", "/a/.b/..c"),
    ],
)
def test_normal_spellings(url: str, normal: str) -> None:
    assert normalize_url(url) == normal
    assert normalize_url(normal) == normal
    assert normal.isascii()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "not an absolute path"),
        ("a/b", "not an absolute path"),
        ("http://host/a", "not an absolute path"),
        ("/a/../b", "a . or .. segment"),
        ("/a/./b", "a . or .. segment"),
        ("/a/%2e%2E", "a . or .. segment"),
        ("/a/%", "a % not followed by two hexadecimal digits"),
        ("/a%zz", "a % not followed by two hexadecimal digits"),
        ("/a%4", "a % not followed by two hexadecimal digits"),
    ],
)
def test_invalid_urls_say_why(url: str, reason: str) -> None:
    with pytest.raises(InvalidResourceURL, match=re.escape(reason)) as raised:
        normalize_url(url)
    assert raised.value.url == url
    assert reason in raised.value.reason


def test_non_strings_are_refused() -> None:
    with pytest.raises(InvalidResourceURL, match="not a string"):
        normalize_url(None)  # type: ignore[arg-type]  # what an untyped caller may pass


def test_subtree_bounds() -> None:
    assert (Subtree("/a/b").lower, Subtree("/a/b").upper) == ("/a/b/", "/a/b0")
    assert (Subtree("/").lower, Subtree("/").upper) == ("/", "0")


SEGMENT_CHARS = ["b", "b!", "b-", "b.", "b0", "b/", "b%20", "b~", "bc", "B", "b:", "b@"]
URLS = sorted(
    {"/"} | {normalize_url("/a/" + "/".join(p)) for p in itertools.product(SEGMENT_CHARS, repeat=2)}
)


@pytest.mark.parametrize("root", ["/", "/a", "/a/b", "/a/b!", "/a/bc", "/a/b0", "/a/b/b"])
def test_membership_is_the_prefix_rule_and_the_range_rule(root: str) -> None:
    tree = Subtree(root)
    by_prefix = {url for url in URLS if url == root or url.startswith(root.rstrip("/") + "/")}
    by_range = {url for url in URLS if url == root or tree.lower <= url < tree.upper}
    assert {url for url in URLS if url in tree} == by_prefix == by_range
    assert len(by_prefix) > 1 or root == "/a/b/b"


def test_siblings_sharing_a_prefix_are_outside() -> None:
    tree = Subtree("/a/b")
    assert "/a/b" in tree
    assert "/a/b/c" in tree
    for outside in ("/a/bc", "/a/b-c", "/a/b!", "/a/b0", "/a", "/", "/a/B/c"):
        assert outside not in tree
    assert 42 not in tree


def test_overlaps() -> None:
    assert Subtree("/a").overlaps(Subtree("/a/b/c"))
    assert Subtree("/a/b/c").overlaps(Subtree("/a"))
    assert Subtree("/a").overlaps(Subtree("/a"))
    assert Subtree("/").overlaps(Subtree("/z"))
    assert not Subtree("/a/b").overlaps(Subtree("/a/bc"))
    assert not Subtree("/a/bc").overlaps(Subtree("/a/b"))


def test_rebase() -> None:
    tree = Subtree("/a/b")
    assert tree.rebase("/a/b", "/x") == "/x"
    assert tree.rebase("/a/b/c/d", "/x/y") == "/x/y/c/d"
