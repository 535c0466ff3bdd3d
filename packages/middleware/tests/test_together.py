"""The middleware stacked as a deployment would: a Dispatcher over a Static and a Proxy (with the
default app behind CORS, everything behind ProxyFix and ErrorPrinter), under a real server."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx

from shallot.http import not_found
from shallot.middleware import CORS, Dispatcher, ErrorPrinter, Proxy, ProxyFix, ProxyTarget, Static

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from _typeshed.wsgi import WSGIEnvironment

    from shallot.testing import Serve


def upstream_app(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    """The service behind ``/api``: redirects ``/old``, echoes the rest."""
    if environ["PATH_INFO"] == "/old":
        start_response("301 Moved", [("Location", "/new"), ("Content-Type", "text/plain")])
        return [b""]
    body = environ["wsgi.input"].read()
    seen = {
        "path": environ["PATH_INFO"],
        "prefix": environ.get("HTTP_X_FORWARDED_PREFIX"),
        "for": environ.get("HTTP_X_FORWARDED_FOR"),
        "body": body.decode(),
    }
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(seen).encode()]


def home(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    if environ["PATH_INFO"] == "/boom":
        raise RuntimeError("internal detail")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"home {environ['REMOTE_ADDR']}".encode()]


def test_static_proxy_and_default_under_one_server(cheroot_serve: Serve, tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: red }")
    upstream = cheroot_serve(upstream_app)
    site = Dispatcher(
        {
            "/static": Static(not_found(), {"/": tmp_path}),
            "/api": Proxy(not_found(), {"/": ProxyTarget(upstream)}),
        },
        CORS(home, ["https://app.example"]),
    )
    base = cheroot_serve(ErrorPrinter(ProxyFix(site)))
    with httpx.Client(base_url=base) as client:
        css = client.get("/static/site.css")
        assert (css.status_code, css.text) == (200, "body { color: red }")
        assert css.headers["Content-Type"] == "text/css; charset=utf-8"
        ranged = client.get("/static/site.css", headers={"Range": "bytes=0-3"})
        assert (ranged.status_code, ranged.text) == (206, "body")
        cached = client.get("/static/site.css", headers={"If-None-Match": css.headers["ETag"]})
        assert cached.status_code == 304
        assert client.get("/static/missing.css").status_code == 404
        assert client.get("/static/%2e%2e/etc/passwd").status_code == 404
        echoed = client.post("/api/items?x=1", content=b"payload")
        assert echoed.json() == {
            "path": "/items",
            "prefix": "/api",
            "for": "127.0.0.1",
            "body": "payload",
        }
        moved = client.get("/api/old")
        assert (moved.status_code, moved.headers["Location"]) == (301, "/api/new")
        start = client.get("/", headers={"X-Forwarded-For": "198.51.100.7"})
        assert start.text == "home 198.51.100.7"
        assert start.headers["Vary"] == "Origin"
        assert client.get("/apix").text == "home 127.0.0.1"
        failed = client.get("/boom")
        assert (failed.status_code, failed.text) == (500, "500 Internal Server Error\n")
