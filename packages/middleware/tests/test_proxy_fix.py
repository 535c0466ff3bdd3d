"""ProxyFix: exactly the trusted number of values from the right, malformed ones ignored."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.middleware import ORIGINAL_ENVIRON_KEY, ProxyFix

if TYPE_CHECKING:
    from collections.abc import Callable

    from _typeshed.wsgi import WSGIEnvironment


def run(counts: dict[str, int], **environ: object) -> WSGIEnvironment:
    """The environ the application behind ``ProxyFix(app, **counts)`` sees."""
    seen: list[WSGIEnvironment] = []

    def app(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
        seen.append(environ)
        return []

    base: WSGIEnvironment = {
        "REQUEST_METHOD": "GET",
        "REMOTE_ADDR": "10.0.0.1",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "internal:8000",
        "SERVER_NAME": "internal",
        "SERVER_PORT": "8000",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/",
    }
    base.update(environ)
    ProxyFix(app, **counts)(base, lambda *args: lambda data: None)
    return seen[0]


def noop(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    return []


def test_defaults_trust_one_for_and_proto() -> None:
    seen = run(
        {},
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="evil.example",
    )
    assert seen["REMOTE_ADDR"] == "203.0.113.5"
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == "internal:8000"  # x_host=0: not trusted
    assert seen[ORIGINAL_ENVIRON_KEY] == {
        "REMOTE_ADDR": "10.0.0.1",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "internal:8000",
        "SERVER_NAME": "internal",
        "SERVER_PORT": "8000",
        "SCRIPT_NAME": "",
    }


def test_two_proxies() -> None:
    fix = {"x_for": 2, "x_proto": 2, "x_host": 2, "x_port": 2, "x_prefix": 2}
    seen = run(
        fix,
        HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7, 10.0.0.9",
        HTTP_X_FORWARDED_PROTO="http, HTTPS, http",
        HTTP_X_FORWARDED_HOST="forged.example, www.example, internal",
        HTTP_X_FORWARDED_PORT="1, 8443, 80",
        HTTP_X_FORWARDED_PREFIX="/x, /shop/, /",
        SCRIPT_NAME="/app",
    )
    assert seen["REMOTE_ADDR"] == "198.51.100.7"
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == "www.example:8443"
    assert (seen["SERVER_NAME"], seen["SERVER_PORT"]) == ("www.example", "8443")
    assert seen["SCRIPT_NAME"] == "/shop/app"


def test_host_with_port_and_ipv6() -> None:
    fix = {"x_host": 1}
    seen = run(fix, HTTP_X_FORWARDED_HOST="www.example:8080", HTTP_X_FORWARDED_PROTO="https")
    assert (seen["SERVER_NAME"], seen["SERVER_PORT"]) == ("www.example", "8080")
    seen = run(fix, HTTP_X_FORWARDED_HOST="www.example", HTTP_X_FORWARDED_PROTO="https")
    assert (seen["HTTP_HOST"], seen["SERVER_PORT"]) == ("www.example", "443")
    seen = run(fix, HTTP_X_FORWARDED_HOST="[2001:db8::1]:8080")
    assert (seen["SERVER_NAME"], seen["SERVER_PORT"]) == ("[2001:db8::1]", "8080")
    seen = run({"x_for": 1}, HTTP_X_FORWARDED_FOR="[2001:db8::2]:4711")
    assert seen["REMOTE_ADDR"] == "2001:db8::2"
    seen = run({"x_for": 1}, HTTP_X_FORWARDED_FOR="192.0.2.1:4711")
    assert seen["REMOTE_ADDR"] == "192.0.2.1"


def test_port_without_host_header() -> None:
    seen = run({"x_port": 1}, HTTP_X_FORWARDED_PORT="8443", HTTP_HOST="")
    assert (seen["HTTP_HOST"], seen["SERVER_PORT"]) == ("internal:8443", "8443")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("HTTP_X_FORWARDED_FOR", "not-an-ip"),
        ("HTTP_X_FORWARDED_FOR", ""),
        ("HTTP_X_FORWARDED_FOR", "[::1"),
        ("HTTP_X_FORWARDED_PROTO", "ht tp"),
        ("HTTP_X_FORWARDED_PROTO", "1http"),
        ("HTTP_X_FORWARDED_PROTO", "javascript"),
        ("HTTP_X_FORWARDED_PROTO", "ftp"),
        ("HTTP_X_FORWARDED_HOST", "evil.example/path"),
        ("HTTP_X_FORWARDED_HOST", "a.example:port"),
        ("HTTP_X_FORWARDED_HOST", "[not-ipv6]"),
        ("HTTP_X_FORWARDED_HOST", "[::1]x"),
        ("HTTP_X_FORWARDED_HOST", "a:99999"),
        ("HTTP_X_FORWARDED_PORT", "http"),
        ("HTTP_X_FORWARDED_PORT", "0"),
        ("HTTP_X_FORWARDED_PREFIX", "shop"),
        ("HTTP_X_FORWARDED_PREFIX", "/a\x00b"),
    ],
)
def test_malformed_values_are_ignored(key: str, value: str) -> None:
    fix = {"x_for": 1, "x_proto": 1, "x_host": 1, "x_port": 1, "x_prefix": 1}
    seen = run(fix, **{key: value})
    original = seen[ORIGINAL_ENVIRON_KEY]
    assert isinstance(original, dict)
    for name, before in original.items():
        assert seen.get(name) == before


def test_too_few_values_are_not_trusted() -> None:
    seen = run({"x_for": 3}, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    assert seen["REMOTE_ADDR"] == "10.0.0.1"


@pytest.mark.parametrize("count", [-1, True, 1.0])
def test_bad_counts(count: object) -> None:
    with pytest.raises(ValueError, match="x_for"):
        ProxyFix(noop, x_for=count)  # type: ignore[arg-type]  # wrong on purpose
