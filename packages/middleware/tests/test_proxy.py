"""Proxy against real upstreams on loopback (cheroot, or a raw socket for answers no WSGI server
sends), with the proxy itself under cheroot: paths, headers, bodies both ways, redirects, and
every way an upstream can fail."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import time
from typing import TYPE_CHECKING

import pytest

from shallot.middleware import Proxy, ProxyTarget
from shallot.testing import connect, fetch, free_port

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import WSGIEnvironment

    from packages.middleware.tests.conftest import RawUpstream, Send
    from shallot.testing import Serve


def echo(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    """Upstream answering what it received, as JSON (the body as its length and SHA-256)."""
    digest = hashlib.sha256()
    length = 0
    stream = environ["wsgi.input"]
    while True:
        piece = stream.read(65536)
        if not piece:
            break
        digest.update(piece)
        length += len(piece)
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"].encode("latin-1").decode(),
        "uri": environ.get("REQUEST_URI"),
        "query": environ["QUERY_STRING"],
        "headers": {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        },
        "content_length": environ.get("CONTENT_LENGTH"),
        "length": length,
        "sha256": digest.hexdigest(),
    }
    body = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


def not_proxied(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"not proxied"]


@pytest.fixture
def upstream(cheroot_serve: Serve) -> str:
    return cheroot_serve(echo)


def seen(base: str, path: str, method: str = "GET", **options: object) -> dict[str, object]:
    reply = fetch(base, path, method, **options)  # type: ignore[arg-type]  # fetch's keywords
    assert reply.status == 200, reply.body
    result: dict[str, object] = json.loads(reply.body)
    return result


def test_paths_and_queries(cheroot_serve: Serve, upstream: str) -> None:
    proxy = Proxy(
        not_proxied,
        {
            "/api": ProxyTarget(f"{upstream}/", remove_prefix=True),
            "/keep": ProxyTarget(upstream),
            "/based/": ProxyTarget(f"{upstream}/v1/", remove_prefix=True),
        },
    )
    base = cheroot_serve(proxy)
    got = seen(base, "/api/items/caf%C3%A9?x=1&y=%20z")
    assert (got["path"], got["query"]) == ("/items/café", "x=1&y=%20z")
    assert got["uri"] == "/items/caf%C3%A9?x=1&y=%20z"
    assert seen(base, "/api")["path"] == "/"
    assert seen(base, "/keep/a/b")["path"] == "/keep/a/b"
    assert seen(base, "/based/x")["path"] == "/v1/x"
    assert seen(base, "/based")["path"] == "/v1"
    assert fetch(base, "/apiary").body == b"not proxied"
    assert fetch(base, "/").body == b"not proxied"


def test_an_encoded_slash_stays_inside_its_segment(cheroot_serve: Serve, upstream: str) -> None:
    """The path goes upstream as the client spelt it (GitLab-style ``group%2Fname`` ids), also
    below a mount point; when a middleware rewrote the path, the rewritten one goes."""
    proxy = Proxy(
        not_proxied,
        {
            "/api": ProxyTarget(f"{upstream}/", remove_prefix=True),
            "/keep": ProxyTarget(upstream),
            "/based": ProxyTarget(f"{upstream}/v%201/", remove_prefix=True),
        },
    )
    base = cheroot_serve(proxy)
    got = seen(base, "/api/projects/group%2Fname/issues?state=open")
    assert got["uri"] == "/projects/group%2Fname/issues?state=open"
    assert got["path"] == "/projects/group%2Fname/issues"  # cheroot upstream keeps %2F
    assert seen(base, "/keep/a%2Fb%2fc/caf%C3%A9")["uri"] == "/keep/a%2Fb%2fc/caf%C3%A9"
    assert seen(base, "/based/x%2Fy")["uri"] == "/v%201/x%2Fy"

    def mounted(environ: WSGIEnvironment, start_response: Callable[..., object]) -> object:
        environ["SCRIPT_NAME"], environ["PATH_INFO"] = "/mount", environ["PATH_INFO"][6:]
        return proxy(environ, start_response)  # type: ignore[arg-type]  # a WSGI callable

    def rewriting(environ: WSGIEnvironment, start_response: Callable[..., object]) -> object:
        environ["PATH_INFO"] = "/api/rewritten%2Fpath"
        return proxy(environ, start_response)  # type: ignore[arg-type]  # a WSGI callable

    assert seen(cheroot_serve(mounted), "/mount/api/a%2Fb")["uri"] == "/a%2Fb"  # type: ignore[arg-type]
    assert seen(cheroot_serve(rewriting), "/anything")["uri"] == "/rewritten%252Fpath"  # type: ignore[arg-type]


def test_forwarding_headers(cheroot_serve: Serve, upstream: str) -> None:
    proxy = Proxy(
        not_proxied,
        {
            "/auto": ProxyTarget(upstream, remove_prefix=True),
            "/keep": ProxyTarget(upstream, host=None),
            "/named": {
                "target": upstream,
                "host": "named.example",
                "headers": {"X-Api-Key": "k1", "User-Agent": "proxy"},
            },
        },
    )
    base = cheroot_serve(proxy)
    client_headers = {
        "Host": "site.example:8080",
        "X-Forwarded-For": "203.0.113.9",
        "Forwarded": "for=203.0.113.9",
        "Connection": "keep-alive, X-Drop",
        "X-Drop": "dropped",
        "Keep-Alive": "timeout=5",
        "TE": "trailers",
        "Proxy-Authorization": "Basic eDp5",
        "X-Keep": "kept",
        "User-Agent": "client",
    }
    headers = seen(base, "/auto/x", headers=client_headers)["headers"]
    assert isinstance(headers, dict)
    assert headers["host"] == upstream.removeprefix("http://")
    assert headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-host"] == "site.example:8080"
    assert headers["x-forwarded-prefix"] == "/auto"
    assert headers["forwarded"] == (
        'for=203.0.113.9, for=127.0.0.1;host="site.example:8080";proto=http'
    )
    assert headers["x-keep"] == "kept"
    assert headers["user-agent"] == "client"
    for hop in ("x-drop", "keep-alive", "te", "proxy-authorization"):
        assert hop not in headers
    kept = seen(base, "/keep", headers={"Host": "site.example"})["headers"]
    assert isinstance(kept, dict)
    assert kept["host"] == "site.example"
    assert "x-forwarded-prefix" not in kept
    named = seen(base, "/named", headers={"User-Agent": "client"})["headers"]
    assert isinstance(named, dict)
    assert (named["host"], named["x-api-key"], named["user-agent"]) == (
        "named.example",
        "k1",
        "proxy",
    )


def test_request_bodies_stream_up(cheroot_serve: Serve, upstream: str) -> None:
    base = cheroot_serve(Proxy(not_proxied, {"/": ProxyTarget(upstream)}))
    data = os.urandom(3 * 1024 * 1024 + 17)
    got = seen(base, "/upload", "PUT", body=data)
    assert (got["length"], got["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert got["content_length"] == str(len(data))
    pieces = [data[i : i + 100_000] for i in range(0, len(data), 100_000)]
    chunked = seen(base, "/upload", "POST", body=iter(pieces))
    assert (chunked["length"], chunked["sha256"]) == (got["length"], got["sha256"])
    empty = seen(base, "/nothing", "POST", headers={"Content-Length": "0"})
    assert empty["length"] == 0


def streaming(environ: WSGIEnvironment, start_response: Callable[..., object]) -> Iterator[bytes]:
    """Upstream streaming its answer slowly, with repeated fields and no Content-Length."""
    start_response(
        "200 OK",
        [("Content-Type", "text/plain"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
    )
    for number in range(5):
        time.sleep(0.05)
        yield b"piece %d\n" % number


def test_answers_stream_down(cheroot_serve: Serve) -> None:
    upstream = cheroot_serve(streaming)
    base = cheroot_serve(Proxy(not_proxied, {"/s": ProxyTarget(upstream)}, timeout=5))
    reply = fetch(base, "/s")
    assert reply.body == b"".join(b"piece %d\n" % number for number in range(5))
    assert reply.headers.get_all("Set-Cookie") == ["a=1", "b=2"]
    assert reply.headers["Transfer-Encoding"] == "chunked"


def redirecting(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    """Upstream redirecting to the ``to`` query parameter (with the upstream's own origin
    substituted for ``ORIGIN``)."""
    origin = f"http://{environ['HTTP_X_UPSTREAM']}"
    location = environ["QUERY_STRING"].removeprefix("to=").replace("ORIGIN", origin)
    start_response(
        "302 Found",
        [("Location", location), ("Content-Type", "text/plain"), ("Content-Length", "0")],
    )
    return []


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ("ORIGIN/v1/login?next=%2F", "/site/api/login?next=%2F"),
        ("ORIGIN/v1", "/site/api"),
        ("/v1/next", "/site/api/next"),
        ("/v10/next", "/v10/next"),
        ("/other", "/other"),
        ("step2", "step2"),
        ("https://elsewhere.example/v1/x", "https://elsewhere.example/v1/x"),
        ("//elsewhere.example/v1/x", "//elsewhere.example/v1/x"),
    ],
)
def test_redirects_are_rewritten(cheroot_serve: Serve, send: Send, to: str, expected: str) -> None:
    upstream = cheroot_serve(redirecting)
    host = upstream.removeprefix("http://")
    target = ProxyTarget(f"{upstream}/v1/", remove_prefix=True, headers={"X-Upstream": host})
    proxy = Proxy(not_proxied, {"/api": target})
    answer = send(proxy, "/api/x", QUERY_STRING=f"to={to}", SCRIPT_NAME="/site")
    assert (answer.status, answer.header("Location")) == (302, expected)


def test_redirect_without_prefix_removal(cheroot_serve: Serve, send: Send) -> None:
    upstream = cheroot_serve(redirecting)
    host = upstream.removeprefix("http://")
    proxy = Proxy(not_proxied, {"/app": ProxyTarget(upstream, headers={"X-Upstream": host})})
    answer = send(proxy, "/app/x", QUERY_STRING="to=ORIGIN/app/y")
    assert answer.header("Location") == "/app/y"


def test_refused_and_unresolvable(cheroot_serve: Serve) -> None:
    proxy = Proxy(
        not_proxied,
        {
            "/refused": ProxyTarget(f"http://127.0.0.1:{free_port()}/"),
            "/nowhere": ProxyTarget("http://no-such-host.invalid/"),
        },
    )
    base = cheroot_serve(proxy)
    refused = fetch(base, "/refused")
    assert refused.status == 502
    assert refused.body == b"502 Bad Gateway\n\nthe upstream server refused the connection\n"
    nowhere = fetch(base, "/nowhere")
    assert nowhere.status == 502
    assert b"could not be resolved" in nowhere.body


def sleepy(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    time.sleep(0.8)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"late"]


def test_upstream_timeout_is_504(cheroot_serve: Serve) -> None:
    upstream = cheroot_serve(sleepy)
    base = cheroot_serve(Proxy(not_proxied, {"/": ProxyTarget(upstream)}, timeout=0.2))
    reply = fetch(base, "/slow")
    assert reply.status == 504
    assert b"timed out" in reply.body


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (b"", b"sent no valid answer"),
        (b"garbage\r\n\r\n", b"sent no valid answer"),
        (b"HTTP/1.1 999 Weird\r\nContent-Length: 0\r\n\r\n", b"sent no valid answer"),
    ],
)
def test_broken_answers_are_502(
    cheroot_serve: Serve, raw_upstream: RawUpstream, reply: bytes, expected: bytes
) -> None:
    base = cheroot_serve(Proxy(not_proxied, {"/": ProxyTarget(raw_upstream(reply))}))
    answer = fetch(base, "/")
    assert answer.status == 502
    assert expected in answer.body


def test_hop_by_hop_answer_fields_are_dropped(
    cheroot_serve: Serve, raw_upstream: RawUpstream
) -> None:
    upstream = raw_upstream(
        b"HTTP/1.1 200 OK\r\nConnection: close, X-Internal\r\nX-Internal: secret\r\n"
        b"Keep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\nUpgrade: h2c\r\n"
        b"X-Public: yes\r\nContent-Length: 2\r\n\r\nok"
    )
    reply = fetch(cheroot_serve(Proxy(not_proxied, {"/": ProxyTarget(upstream)})), "/")
    assert (reply.status, reply.body, reply.headers["X-Public"]) == (200, b"ok", "yes")
    for hop in ("X-Internal", "Keep-Alive", "Proxy-Authenticate", "Upgrade"):
        assert hop not in reply.headers


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + b"x" * 1000 + b"\r\n",
    ],
)
def test_upstream_dying_mid_body_cuts_the_client(
    cheroot_serve: Serve, raw_upstream: RawUpstream, reply: bytes
) -> None:
    base = cheroot_serve(Proxy(not_proxied, {"/": ProxyTarget(raw_upstream(reply))}))
    with connect(base) as connection:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200
        with pytest.raises(http.client.IncompleteRead) as cut:
            response.read()
    assert cut.value.partial == b"x" * 1000


def test_head_and_bodiless_answers(cheroot_serve: Serve, upstream: str) -> None:
    base = cheroot_serve(Proxy(not_proxied, {"/": ProxyTarget(upstream)}))
    head = fetch(base, "/x", "HEAD")
    assert (head.status, head.body) == (200, b"")


def test_invalid_content_length_is_400(upstream: str) -> None:
    proxy = Proxy(not_proxied, {"/": ProxyTarget(upstream)})
    statuses: list[str] = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/x", "CONTENT_LENGTH": "ten"}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        statuses.append(status)
        return lambda data: None

    body = proxy(environ, start_response)
    assert statuses == ["400 Bad Request"]
    assert b"invalid Content-Length" in b"".join(body)


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("ftp://example.com/", {}),
        ("/relative", {}),
        ("http://example.com/?q=1", {}),
        ("http://example.com:port/", {}),
        ("http://example.com/", {"headers": {"X-Bad": "a\r\nb"}}),
        ("http://example.com/", {"headers": {"Bad Name": "x"}}),
        ("http://example.com/", {"host": "evil\nhost"}),
    ],
)
def test_bad_targets(url: str, options: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # each has its own message
        ProxyTarget(url, **options)  # type: ignore[arg-type]  # wrong on purpose


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"target": 1},
        {"target": "http://a/", "remove_prefix": "yes"},
        {"target": "http://a/", "host": 3},
        {"target": "http://a/", "headers": {"a": 1}},
        {"target": "http://a/", "ssl_context": "tls"},
        {"target": "http://a/", "retries": 3},
    ],
)
def test_bad_werkzeug_options(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # each has its own message
        ProxyTarget.from_options(options)


def test_bad_proxy_options() -> None:
    target = ProxyTarget("http://a/")
    for kwargs in ({"chunk_size": 0}, {"timeout": 0}):
        with pytest.raises(ValueError):  # noqa: PT011
            Proxy(not_proxied, {"/": target}, **kwargs)
    with pytest.raises(ValueError, match="must start with '/'"):
        Proxy(not_proxied, {"api": target})


def test_werkzeug_shape_is_accepted() -> None:
    target = ProxyTarget.from_options({"target": "https://a.example/", "remove_prefix": True})
    assert target == ProxyTarget("https://a.example/", remove_prefix=True)
