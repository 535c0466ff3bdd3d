"""Tests for shallot.http.cookies: building Set-Cookie values and reading Cookie headers."""

from __future__ import annotations

import dataclasses
import http.cookiejar
import json
import random
import urllib.request
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from shallot.http.cookies import HTTPCookie, parse_cookie_header

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.http.cookies import SameSite
    from shallot.testing import Serve


def test_render_defaults() -> None:
    assert HTTPCookie("sid", "abc").render() == "sid=abc; Path=/; HttpOnly; SameSite=Lax"


def test_render_every_attribute() -> None:
    cookie = HTTPCookie(
        "sid",
        "abc",
        path="/app",
        domain="example.com",
        max_age=3600,
        expires=datetime(1994, 11, 6, 8, 49, 37, tzinfo=timezone.utc),
        secure=True,
        httponly=True,
        samesite="Strict",
    )
    assert cookie.render() == (
        "sid=abc; Path=/app; Domain=example.com; Max-Age=3600; "
        "Expires=Sun, 06 Nov 1994 08:49:37 GMT; Secure; HttpOnly; SameSite=Strict"
    )


def test_render_without_optional_attributes() -> None:
    cookie = HTTPCookie("a", "1", path=None, httponly=False, samesite=None)
    assert cookie.render() == "a=1"


def test_render_samesite_none_with_secure() -> None:
    cookie = HTTPCookie("a", "1", secure=True, samesite="None")
    assert cookie.render() == "a=1; Path=/; Secure; HttpOnly; SameSite=None"


@pytest.mark.parametrize(
    ("max_age", "rendered"),
    [
        (0, "0"),
        (-5, "-5"),
        (timedelta(hours=1), "3600"),
        (timedelta(days=2, seconds=1, microseconds=999_999), "172801"),
        (timedelta(seconds=-0.5), "-1"),
    ],
)
def test_render_max_age(max_age: int | timedelta, rendered: str) -> None:
    cookie = HTTPCookie("a", "1", max_age=max_age, path=None, httponly=False, samesite=None)
    assert cookie.render() == f"a=1; Max-Age={rendered}"


def test_render_expires_from_timestamp() -> None:
    cookie = HTTPCookie("a", "1", expires=784111777.5, path=None, samesite=None)
    assert cookie.render() == "a=1; Expires=Sun, 06 Nov 1994 08:49:37 GMT; HttpOnly"


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("", "a="),
        ("plain", "a=plain"),
        ("b64+/==", "a=b64+/=="),
        ("with space", 'a="with space"'),
        ("x,y", 'a="x,y"'),
        (" ", 'a=" "'),
        ("!#$%&'()*+-./:<=>?@[]^_`{|}~", "a=!#$%&'()*+-./:<=>?@[]^_`{|}~"),
    ],
)
def test_value_is_quoted_only_when_needed(value: str, rendered: str) -> None:
    cookie = HTTPCookie("a", value, path=None, httponly=False, samesite=None)
    assert cookie.render() == rendered


@pytest.mark.parametrize(
    "value", ["a;b", 'a"b', "a\\b", "a\x00", "a\nSet-Cookie: x=1", "\r", "\t", "\x7f", "caf\u00e9"]
)
def test_value_rejects_unsafe_characters(value: str) -> None:
    with pytest.raises(ValueError, match="cookie value"):
        HTTPCookie("a", value)


@pytest.mark.parametrize("name", ["", "a b", "a=b", "a;b", "a,b", "(a)", "a\n", "caf\u00e9", 'a"'])
def test_name_must_be_a_token(name: str) -> None:
    with pytest.raises(ValueError, match="not a token"):
        HTTPCookie(name, "1")


def test_name_accepts_token_punctuation() -> None:
    assert HTTPCookie("!#$%&'*+-.^_`|~", "1").name == "!#$%&'*+-.^_`|~"


@pytest.mark.parametrize("path", ["/a;b", "/a\n", "/\x00", "/\x7f", "/caf\u00e9"])
def test_path_rejects_unsafe_characters(path: str) -> None:
    with pytest.raises(ValueError, match="cookie path"):
        HTTPCookie("a", "1", path=path)


@pytest.mark.parametrize(
    "domain", ["", "exa mple.com", "a.com;x", "a.com\r", "caf\u00e9.fr", "a:80"]
)
def test_domain_must_be_a_host_name(domain: str) -> None:
    with pytest.raises(ValueError, match="cookie domain"):
        HTTPCookie("a", "1", domain=domain)


def test_domain_accepts_leading_dot() -> None:
    assert "Domain=.example.com" in HTTPCookie("a", "1", domain=".example.com").render()


@pytest.mark.parametrize("samesite", ["lax", "strict", "none", "", "Off"])
def test_samesite_rejects_unknown_values(samesite: str) -> None:
    with pytest.raises(ValueError, match="SameSite must be"):
        HTTPCookie("a", "1", samesite=samesite)  # type: ignore[arg-type]  # invalid on purpose


def test_samesite_none_requires_secure() -> None:
    with pytest.raises(ValueError, match="requires secure"):
        HTTPCookie("a", "1", samesite="None")


@pytest.mark.parametrize("name", ["__Secure-id", "__Host-id"])
def test_prefixed_names_require_secure(name: str) -> None:
    with pytest.raises(ValueError, match="requires secure"):
        HTTPCookie(name, "1")
    assert "Secure" in HTTPCookie(name, "1", secure=True).render()


@pytest.mark.parametrize(("path", "domain"), [("/app", None), (None, None), ("/", "example.com")])
def test_host_prefix_requires_root_path_and_no_domain(path: str | None, domain: str | None) -> None:
    with pytest.raises(ValueError, match="path='/' and no domain"):
        HTTPCookie("__Host-id", "1", path=path, domain=domain, secure=True)


@pytest.mark.parametrize("expires", [float("nan"), float("inf"), 1e20])
def test_expires_must_be_representable(expires: float) -> None:
    with pytest.raises(ValueError, match=r"timestamp|four-digit"):
        HTTPCookie("a", "1", expires=expires)


def test_cookie_is_immutable() -> None:
    cookie = HTTPCookie("a", "1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cookie.value = "2"  # type: ignore[misc]  # proving the record is immutable


def test_delete() -> None:
    assert HTTPCookie.delete("sid").render() == (
        "sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"
    )


def test_delete_with_path_and_domain() -> None:
    rendered = HTTPCookie.delete("sid", path="/app", domain="example.com", secure=True).render()
    assert rendered == (
        "sid=; Path=/app; Domain=example.com; Max-Age=0; "
        "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax"
    )


@pytest.mark.parametrize("name", ["__Secure-id", "__Host-id"])
def test_delete_prefixed_cookie_implies_secure(name: str) -> None:
    assert HTTPCookie.delete(name).secure


def test_delete_validates_like_construction() -> None:
    with pytest.raises(ValueError, match="not a token"):
        HTTPCookie.delete("a b")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", {}),
        ("a=1", {"a": "1"}),
        ("a=1; b=2", {"a": "1", "b": "2"}),
        ("a=1;b=2", {"a": "1", "b": "2"}),
        ("  a = 1 ;\tb=2\t", {"a": "1", "b": "2"}),
        ('a="quoted value"', {"a": "quoted value"}),
        ('a=""', {"a": ""}),
        ('a="', {"a": '"'}),
        ('a="x', {"a": '"x'}),
        ('a=x"y', {"a": 'x"y'}),
        ("a=", {"a": ""}),
        ("a=1; a=2", {"a": "1"}),
        ("a=b=c", {"a": "b=c"}),
        ("a=1, b=2", {"a": "1, b=2"}),
        ("novalue; a=1", {"a": "1"}),
        ("=orphan; a=1", {"a": "1"}),
        ("a b=1; c=2", {"c": "2"}),
        ("a,b=1; c=2", {"c": "2"}),
        ("a=\x00; c=2", {"c": "2"}),
        ("a=x\ny; c=2", {"c": "2"}),
        ("a=\x7f; c=2", {"c": "2"}),
        ("a=\x00; a=ok", {"a": "ok"}),
        (";;;", {}),
        ("$Version=1; a=1", {"$Version": "1", "a": "1"}),
        ("caf\u00e9=1; a=1", {"a": "1"}),
    ],
)
def test_parse_cookie_header(header: str, expected: dict[str, str]) -> None:
    assert parse_cookie_header(header) == expected


def test_parse_decodes_utf8_carried_as_latin1() -> None:
    header = "name=h\u00e9llo \u2603".encode().decode("latin-1")
    assert parse_cookie_header(header) == {"name": "h\u00e9llo \u2603"}


def test_parse_keeps_latin1_that_is_not_utf8() -> None:
    assert parse_cookie_header("name=caf\u00e9") == {"name": "caf\u00e9"}


def test_parse_keeps_text_beyond_latin1() -> None:
    assert parse_cookie_header("name=\u2603") == {"name": "\u2603"}


def test_parse_large_hostile_header() -> None:
    header = "; ".join(f"c{i}={'x' * 50}" for i in range(5000)) + ";" * 10000 + "=" * 10000
    parsed = parse_cookie_header(header)
    assert len(parsed) == 5000


def test_parse_never_raises() -> None:
    rng = random.Random(6265)
    alphabet = 'ab=; "\t\x00\xe9\xff\u2603,\\'
    for _ in range(3000):
        header = "".join(rng.choice(alphabet) for _ in range(rng.randrange(30)))
        for name, value in parse_cookie_header(header).items():
            assert name
            assert "\x00" not in value


def _app() -> WSGIApplication:
    cookies = [
        HTTPCookie("plain", "abc", httponly=False),
        HTTPCookie("spaced", "a b,c"),
        HTTPCookie("scoped", "1", path="/elsewhere"),
        HTTPCookie("gone", "soon"),
    ]

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/set":
            start_response("200 OK", [("Set-Cookie", cookie.render()) for cookie in cookies])
            return [b""]
        if environ["PATH_INFO"] == "/delete":
            start_response("200 OK", [("Set-Cookie", HTTPCookie.delete("gone").render())])
            return [b""]
        received = parse_cookie_header(environ.get("HTTP_COOKIE", ""))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(received).encode()]

    return app


def test_served_round_trip_through_a_cookie_jar(serve: Serve) -> None:
    base_url = serve(_app())
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base_url + "/set", timeout=5) as response:
        assert response.status == 200
    with opener.open(base_url + "/read", timeout=5) as response:
        before = json.loads(response.read())
    with opener.open(base_url + "/delete", timeout=5) as response:
        assert response.status == 200
    with opener.open(base_url + "/read", timeout=5) as response:
        after = json.loads(response.read())
    assert before == {"plain": "abc", "spaced": "a b,c", "gone": "soon"}
    assert after == {"plain": "abc", "spaced": "a b,c"}


@pytest.mark.parametrize("samesite", ["Strict", "Lax"])
def test_samesite_values_render(samesite: SameSite) -> None:
    assert HTTPCookie("a", "1", samesite=samesite).render().endswith(f"SameSite={samesite}")
