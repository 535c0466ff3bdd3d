"""A 1 GiB upload and a 1 GiB download through the proxy, both generated on the fly, keep the
proxy's memory flat (the proxy, its upstream and the client all run in this process, so the
process's growth bounds the proxy's)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from shallot.middleware import Proxy, ProxyTarget
from shallot.testing import connect, resident_set_size

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from _typeshed.wsgi import WSGIEnvironment

    from shallot.testing import Serve

GIB = 1024**3
PIECE = bytes(range(256)) * 4096  # 1 MiB
FLAT = 64 * 1024 * 1024


def sink(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    """Upstream reading the request body to the end, answering its length and SHA-256."""
    digest = hashlib.sha256()
    length = 0
    while piece := environ["wsgi.input"].read(256 * 1024):
        digest.update(piece)
        length += len(piece)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{length} {digest.hexdigest()}".encode()]


def source(environ: WSGIEnvironment, start_response: Callable[..., object]) -> Iterator[bytes]:
    """Upstream answering 1 GiB, made on the fly from one 1 MiB piece."""
    start_response(
        "200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(GIB))]
    )
    for _ in range(GIB // len(PIECE)):
        yield PIECE


def expected_digest() -> str:
    digest = hashlib.sha256()
    for _ in range(GIB // len(PIECE)):
        digest.update(PIECE)
    return digest.hexdigest()


def test_gigabyte_up_and_down_in_flat_memory(cheroot_serve: Serve) -> None:
    proxy = Proxy(
        source,
        {"/up": ProxyTarget(cheroot_serve(sink))},
    )
    base = cheroot_serve(proxy)
    peak = baseline = resident_set_size()

    def upload() -> Iterator[bytes]:
        nonlocal peak
        for number in range(GIB // len(PIECE)):
            if number % 64 == 0:
                peak = max(peak, resident_set_size())
            yield PIECE

    with connect(base, timeout=120) as connection:
        connection.request("PUT", "/up", body=upload(), headers={"Content-Length": str(GIB)})
        response = connection.getresponse()
        assert (response.status, response.read().decode()) == (200, f"{GIB} {expected_digest()}")
    assert peak - baseline < FLAT

    proxy_down = Proxy(source, {"/down": ProxyTarget(cheroot_serve(source))})
    base_down = cheroot_serve(proxy_down)
    peak = baseline = resident_set_size()
    received = 0
    with connect(base_down, timeout=120) as connection:
        connection.request("GET", "/down")
        response = connection.getresponse()
        assert response.headers["Content-Length"] == str(GIB)
        while piece := response.read1(1024 * 1024):
            received += len(piece)
            if received % (64 * 1024 * 1024) < len(piece):
                peak = max(peak, resident_set_size())
    assert received == GIB
    assert peak - baseline < FLAT
