"""The proxy keeps upstream connections alive between requests, and never lets a connection the
upstream closed meanwhile fail a request that could not safely be sent again."""

from __future__ import annotations

import http.client
import json
import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from shallot.middleware import Proxy, ProxyTarget
from shallot.middleware.upstream import UpstreamBody
from shallot.middleware.upstream_pool import ConnectionPool
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import WSGIEnvironment

    from packages.middleware.tests.conftest import RawUpstream
    from shallot.testing import Serve

KEEP_ALIVE_REPLY = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
"""An answer that keeps the connection open, from an upstream that then closes it anyway."""


def peer(environ: WSGIEnvironment, start_response: Callable[..., object]) -> Iterable[bytes]:
    """Upstream answering with the port its client (the proxy) connected from, and the body's
    length; ``/big`` answers 4 MiB."""
    received = len(environ["wsgi.input"].read())
    if environ["PATH_INFO"] == "/big":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return [b"x" * 65536] * 64
    body = json.dumps({"port": environ["REMOTE_PORT"], "received": received}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


def proxied(cheroot_serve: Serve, **options: int) -> tuple[str, Proxy]:
    upstream = cheroot_serve(peer)
    proxy = Proxy(peer, {"/up": ProxyTarget(upstream, remove_prefix=True)}, **options)
    return cheroot_serve(proxy), proxy


def port_seen(base: str, path: str = "/up/x", method: str = "GET", body: bytes = b"") -> str:
    reply = fetch(base, path, method, body=body)
    assert reply.status == 200, reply.body
    port: str = json.loads(reply.body)["port"]
    return port


def test_one_upstream_connection_serves_request_after_request(cheroot_serve: Serve) -> None:
    base, proxy = proxied(cheroot_serve)
    ports = {port_seen(base) for _ in range(10)}
    assert len(ports) == 1
    proxy.close()
    assert port_seen(base) not in ports


def test_no_connection_is_kept_with_a_pool_of_zero(cheroot_serve: Serve) -> None:
    base, _ = proxied(cheroot_serve, pool_size=0)
    assert len({port_seen(base) for _ in range(5)}) == 5


def test_requests_with_a_body_or_not_idempotent_take_a_fresh_connection(
    cheroot_serve: Serve,
) -> None:
    base, _ = proxied(cheroot_serve)
    kept = port_seen(base)
    with_body = fetch(base, "/up/x", "PUT", body=b"data")
    sent = json.loads(with_body.body)
    assert sent["received"] == 4
    assert sent["port"] != kept
    assert port_seen(base, method="POST") not in (kept, sent["port"])


def test_a_kept_connection_the_upstream_closed_is_replaced(
    raw_upstream: RawUpstream, cheroot_serve: Serve
) -> None:
    """The upstream answers as if it kept the connection, then closes it: the next GET meets the
    dead connection and is sent again on a fresh one."""
    proxy = Proxy(peer, {"/raw": ProxyTarget(raw_upstream(KEEP_ALIVE_REPLY), remove_prefix=True)})
    base = cheroot_serve(proxy)
    for method in ("GET", "HEAD", "DELETE", "GET"):
        reply = fetch(base, "/raw/x", method)
        assert reply.status == 200, (method, reply.body)
    posted = fetch(base, "/raw/x", "POST", body=b"once only")
    assert (posted.status, posted.body) == (200, b"ok")


def test_only_an_answer_read_to_its_end_goes_back(
    cheroot_serve: Serve, raw_upstream: RawUpstream
) -> None:
    kept: list[http.client.HTTPConnection] = []

    def answer(base: str, path: str) -> tuple[http.client.HTTPConnection, UpstreamBody]:
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        connection.request("GET", path)
        return connection, UpstreamBody(connection, connection.getresponse(), 65536, kept.append)

    upstream = cheroot_serve(peer)
    whole_connection, whole = answer(upstream, "/x")
    assert json.loads(b"".join(whole))["received"] == 0
    whole.close()
    assert kept == [whole_connection]

    half_connection, half = answer(upstream, "/big")
    first = next(iter(half))
    assert first
    assert set(first) == {ord("x")}
    half.close()
    assert kept == [whole_connection]
    assert half_connection.sock is None

    closing = raw_upstream(KEEP_ALIVE_REPLY.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
    closing_connection, closed = answer(closing, "/x")
    assert b"".join(closed) == b"ok"
    closed.close()
    assert kept == [whole_connection]
    assert closing_connection.sock is None
    whole_connection.close()


def test_concurrent_requests_each_get_a_connection(cheroot_serve: Serve) -> None:
    base, proxy = proxied(cheroot_serve, pool_size=3)
    failures: list[BaseException] = []
    ports: set[str] = set()

    def client() -> None:
        try:
            for _ in range(15):
                ports.add(port_seen(base))
        except BaseException as error:  # reported by the test below
            failures.append(error)

    threads = [threading.Thread(target=client) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert len(proxy._routes[0].pool) <= 3


def test_idle_connections_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[http.client.HTTPConnection] = []

    def connect_new() -> http.client.HTTPConnection:
        made.append(http.client.HTTPConnection("127.0.0.1", 9))
        return made[-1]

    pool = ConnectionPool(connect_new, size=2, idle_seconds=10)
    clock = [1000.0]
    monkeypatch.setattr("shallot.middleware.upstream_pool.time.monotonic", lambda: clock[0])
    first, reused = pool.take()
    assert not reused
    pool.give(first)
    assert pool.take() == (first, True)
    pool.give(first)
    clock[0] += 11
    second, reused = pool.take()
    assert (second is not first, reused) == (True, False)
    pool.give(second)
    pool.give(pool.fresh())
    pool.give(pool.fresh())  # the pool is full: closed instead
    assert len(pool) == 2


@pytest.mark.parametrize("size", [-1, 1.5, True])
def test_a_bad_pool_size_is_refused(size: object) -> None:
    with pytest.raises(ValueError, match="pool size"):
        ConnectionPool(lambda: http.client.HTTPConnection("127.0.0.1"), size=size)  # type: ignore[arg-type]
