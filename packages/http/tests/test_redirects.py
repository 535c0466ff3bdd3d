"""Tests for shallot.http.redirects: RedirectResponse and Wheezy's AJAX redirect."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.http.redirects import REDIRECT_CODES, AjaxRedirectResponse, RedirectResponse
from shallot.testing import fetch, route_table

if TYPE_CHECKING:
    from shallot.testing import Serve


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (301, "Moved Permanently"),
        (302, "Found"),
        (303, "See Other"),
        (307, "Temporary Redirect"),
        (308, "Permanent Redirect"),
    ],
)
def test_served_redirect(serve: Serve, code: int, reason: str) -> None:
    base = serve(route_table({"/": lambda: RedirectResponse("https://example.org/next", code)}))
    reply = fetch(base)
    assert (reply.status, reply.reason) == (code, reason)
    assert reply.headers["Location"] == "https://example.org/next"
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reply.body == f"{code} {reason}: https://example.org/next\n".encode()
    assert reply.headers["Content-Length"] == str(len(reply.body))


def test_default_is_302() -> None:
    response = RedirectResponse("/login")
    assert (response.status_code, response.location) == (302, "/login")
    assert sorted(REDIRECT_CODES) == [301, 302, 303, 307, 308]


@pytest.mark.parametrize("code", [200, 300, 304, 305, 306, 404, 999])
def test_other_codes_are_refused(code: int) -> None:
    with pytest.raises(ValueError, match="not a redirect status code"):
        RedirectResponse("/", code)
    with pytest.raises(ValueError, match="not a redirect status code"):
        AjaxRedirectResponse("/", code)


@pytest.mark.parametrize(
    "location", ["../up?x=1#frag", "next", "//cdn.example.org/a", "/a%20b", "?page=2", ""]
)
def test_relative_and_ascii_locations_are_kept(location: str) -> None:
    assert RedirectResponse(location).location == location


@pytest.mark.parametrize(
    ("location", "sent"),
    [
        ("/a b", "/a%20b"),
        ("/café?q=ü", "/caf%C3%A9?q=%C3%BC"),
        ("https://例え.jp/パス", "https://%E4%BE%8B%E3%81%88.jp/%E3%83%91%E3%82%B9"),
        ("/%C3%A9 é", "/%C3%A9%20%C3%A9"),
    ],
)
def test_spaces_and_non_ascii_are_encoded(location: str, sent: str) -> None:
    assert RedirectResponse(location).location == sent


@pytest.mark.parametrize(
    "location", ["/a\r\nSet-Cookie: admin=1", "/a\nb", "/a\x00", "/a\tb", "/\x7f"]
)
def test_control_characters_are_refused(location: str) -> None:
    with pytest.raises(ValueError, match="invalid character"):
        RedirectResponse(location)


def test_message_and_headers() -> None:
    response = RedirectResponse("/x", 303, "Go on.", {"Cache-Control": "no-store"})
    assert response.data == b"Go on."
    assert response.headers["Cache-Control"] == "no-store"


def test_served_ajax_redirect(serve: Serve) -> None:
    base = serve(route_table({"/": lambda: AjaxRedirectResponse("/dashboard", 303)}))
    reply = fetch(base)
    assert (reply.status, reply.reason) == (303, "See Other")
    assert reply.headers["Location"] == "/dashboard"
    assert reply.headers["Vary"] == "X-Requested-With"

    for value in ("XMLHttpRequest", "xmlhttprequest"):
        reply = fetch(base, headers={"X-Requested-With": value})
        assert (reply.status, reply.reason) == (207, "Multi-Status")
        assert reply.headers["Location"] == "/dashboard"
        assert reply.headers["Vary"] == "X-Requested-With"
        assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert reply.body == b"303 See Other: /dashboard\n"
        assert reply.headers["Content-Length"] == str(len(reply.body))

    reply = fetch(base, "/", "HEAD", headers={"X-Requested-With": "XMLHttpRequest"})
    assert (reply.status, reply.body) == (207, b"")
    assert reply.headers["Content-Length"] == "26"

    assert fetch(base, headers={"X-Requested-With": "fetch"}).status == 303
