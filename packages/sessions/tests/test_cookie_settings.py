from __future__ import annotations

import pytest

from shallot.sessions import CookieSettings


def test_the_defaults_are_the_safe_ones() -> None:
    assert CookieSettings().set_cookie("v") == (
        "SESSID=v; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax"
    )


def test_set_cookie_renders_what_http_cookie_renders() -> None:
    settings = CookieSettings(
        name="__Secure-s",
        max_age=60,
        path="/app",
        domain="example.org",
        secure=True,
        httponly=False,
        samesite="Strict",
    )
    assert settings.set_cookie("abc-_") == settings.cookie("abc-_").render()
    assert settings.set_cookie("abc") == (
        "__Secure-s=abc; Path=/app; Domain=example.org; Max-Age=60; Secure; SameSite=Strict"
    )


def test_a_browser_session_has_no_max_age() -> None:
    assert (
        CookieSettings(max_age=None, samesite=None).set_cookie("v") == "SESSID=v; Path=/; HttpOnly"
    )


def test_the_deletion_cookie_has_the_same_scope_and_expires_at_once() -> None:
    settings = CookieSettings(path="/app", domain="example.org", secure=True, samesite="None")
    assert settings.deletion().render() == (
        "SESSID=; Path=/app; Domain=example.org; Max-Age=0; "
        "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=None"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"name": "bad name"}, "not a token"),
        ({"name": ""}, "not a token"),
        ({"path": "/a;b"}, "path"),
        ({"domain": "exa mple.org"}, "domain"),
        ({"samesite": "None"}, "requires secure"),
        ({"samesite": "Sometimes"}, "SameSite"),
        ({"name": "__Host-s", "secure": True, "path": "/app"}, "__Host-"),
        ({"max_age": 0}, "positive"),
        ({"max_age": -5}, "positive"),
        ({"max_age": True}, "positive"),
        ({"max_age": 1.5}, "positive"),
    ],
)
def test_bad_settings_are_refused_when_configured(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CookieSettings(**options)  # type: ignore[arg-type]  # bad values on purpose
