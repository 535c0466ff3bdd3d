"""The If header: the grammar, the tokens submitted, and evaluation of tagged and untagged lists."""

from __future__ import annotations

import pytest

from shallot.dav import DAVError, parse_if_header
from shallot.dav.if_header import ResourceState
from shallot.http import ETag

TOKEN = "urn:uuid:1111"
STATE = ResourceState(ETag("abc"), frozenset({TOKEN}))
UNMAPPED = ResourceState(None, frozenset())


def holds(header: str, states: dict[str | None, ResourceState] | None = None) -> bool:
    known = states or {None: STATE}
    return parse_if_header(header).evaluate(lambda tag: known.get(tag, UNMAPPED))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"(<{TOKEN}>)", True),
        ("(<urn:uuid:other>)", False),
        ('(["abc"])', True),
        ('([W/"abc"])', True),
        ('(["xyz"])', False),
        (f'(<{TOKEN}> ["abc"])', True),
        (f'(<{TOKEN}> ["xyz"])', False),
        ("(Not <DAV:no-lock>)", True),
        ("(<DAV:no-lock>)", False),
        (f"(Not <{TOKEN}>)", False),
        ('(<urn:uuid:bad>) (Not <DAV:no-lock> ["abc"])', True),
        (f'(<{TOKEN}> ["x"]) (Not <DAV:no-lock> ["y"])', False),
        (f"\t( <{TOKEN}> )  ", True),
        (f"(not <{TOKEN}>)", False),
    ],
)
def test_untagged_lists(header: str, expected: bool) -> None:
    assert holds(header) is expected


def test_tagged_lists_are_about_their_resource() -> None:
    states = {None: UNMAPPED, "/a": STATE, "http://h/b": UNMAPPED}
    assert holds(f"</a> (<{TOKEN}>)", states)
    assert not holds(f"<http://h/b> (<{TOKEN}>)", states)
    assert holds(f'<http://h/b> (<{TOKEN}>) </a> (["abc"])', states)
    assert holds("</nowhere> (Not <DAV:no-lock>)", states)


def test_each_resource_is_asked_once() -> None:
    asked: list[str | None] = []

    def state_of(tag: str | None) -> ResourceState:
        asked.append(tag)
        return UNMAPPED

    parse_if_header('</a> (<x:1>) (<x:2>) </b> (["e"]) </a> (<x:3>)').evaluate(state_of)
    assert asked == ["/a", "/b"]


def test_tokens_submitted() -> None:
    header = parse_if_header(f'(<{TOKEN}> Not <urn:uuid:negated>) (["e"] <urn:uuid:two>)')
    assert header.tokens == {TOKEN, "urn:uuid:two"}
    assert parse_if_header("</a> (<urn:uuid:t>)").tokens == {"urn:uuid:t"}


@pytest.mark.parametrize(
    "header",
    [
        "",
        "<urn:uuid:x>",
        "()",
        "(Not)",
        "(<a> (<b>))",
        "Not (<a>)",
        '["e"]',
        "(<a>) </b> (<c>)",
        "</b> (<c>) (<d>) </e>",
        "</a> </b> (<c>)",
        "(<a>",
        '(["unterminated)',
        "(garbage)",
        "(<a b>)",
    ],
)
def test_malformed_headers_are_400(header: str) -> None:
    with pytest.raises(DAVError) as raised:
        parse_if_header(header)
    assert raised.value.status == 400
