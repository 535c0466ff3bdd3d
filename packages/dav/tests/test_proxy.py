"""TrustedProxies: X-Forwarded-* believed from as many proxies as configured, no more."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.dav import TrustedProxies

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def seen(trusted: int, headers: dict[str, str]) -> WSGIEnvironment:
    captured: list[WSGIEnvironment] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        captured.append(environ)
        return []

    environ: WSGIEnvironment = {
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_HOST": "internal:8080",
        "wsgi.url_scheme": "http",
        **headers,
    }
    TrustedProxies(app, trusted)(environ, lambda *args: lambda data: None)
    return captured[0]


def test_one_trusted_proxy() -> None:
    environ = seen(
        1,
        {
            "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4",
            "HTTP_X_FORWARDED_PROTO": "HTTPS",
            "HTTP_X_FORWARDED_HOST": "files.example",
        },
    )
    assert environ["REMOTE_ADDR"] == "1.2.3.4"
    assert environ["wsgi.url_scheme"] == "https"
    assert environ["HTTP_HOST"] == "files.example"
    assert environ["shallot.dav.original.REMOTE_ADDR"] == "10.0.0.1"


def test_two_trusted_proxies_and_too_few_entries() -> None:
    assert seen(2, {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 2.2.2.2"})["REMOTE_ADDR"] == "1.1.1.1"
    assert seen(3, {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 2.2.2.2"})["REMOTE_ADDR"] == "10.0.0.1"
    plain = seen(1, {})
    assert (plain["HTTP_HOST"], plain["wsgi.url_scheme"]) == ("internal:8080", "http")
    with pytest.raises(ValueError, match="at least 1"):
        TrustedProxies(lambda environ, start_response: [], 0)


@pytest.mark.parametrize(
    ("key", "value", "kept"),
    [
        ("HTTP_X_FORWARDED_FOR", "not-an-ip", "REMOTE_ADDR"),
        ("HTTP_X_FORWARDED_PROTO", "javascript", "wsgi.url_scheme"),
        ("HTTP_X_FORWARDED_PROTO", "ftp", "wsgi.url_scheme"),
        ("HTTP_X_FORWARDED_HOST", "evil.example/path", "HTTP_HOST"),
        ("HTTP_X_FORWARDED_HOST", "a b", "HTTP_HOST"),
        ("HTTP_X_FORWARDED_HOST", "[not-ipv6]", "HTTP_HOST"),
        ("HTTP_X_FORWARDED_HOST", "files.example:99999", "HTTP_HOST"),
    ],
)
def test_malformed_values_are_ignored(key: str, value: str, kept: str) -> None:
    environ = seen(1, {key: value})
    assert environ[kept] == seen(1, {})[kept]
    assert f"shallot.dav.original.{kept}" not in environ


def test_addresses_with_ports_and_brackets() -> None:
    assert seen(1, {"HTTP_X_FORWARDED_FOR": "1.2.3.4:5678"})["REMOTE_ADDR"] == "1.2.3.4"
    assert seen(1, {"HTTP_X_FORWARDED_FOR": "[2001:db8::1]:80"})["REMOTE_ADDR"] == "2001:db8::1"
    assert seen(1, {"HTTP_X_FORWARDED_FOR": "2001:db8::1"})["REMOTE_ADDR"] == "2001:db8::1"
