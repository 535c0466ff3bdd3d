"""A shallot.routing App under the embedded server (cheroot), driven over HTTP by real clients.

The server runs in a thread on a free loopback port, mounted below ``/app`` by cheroot's own
dispatcher, so the App sees a real SCRIPT_NAME and the raw request URI cheroot passes on.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
import pytest
from cheroot import wsgi

from shallot.http import JSONLike, abort
from shallot.routing import METHOD_GET_POST, App, RoutedRequest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shallot.testing import Serve


def site() -> App:
    app = App(max_path_length=200)

    @app.route("/")
    def home(req: RoutedRequest) -> tuple[str, str]:
        return f"home; user 7 is at {req.url_for('user', name='Ann Lee', id=7)}", "text/plain"

    @app.route("/user/<name>/<id:int>")
    def user(req: RoutedRequest, name: str, id: int) -> dict[str, JSONLike]:
        return {"name": name, "id": id}

    @app.route("/notes", METHOD_GET_POST)
    def notes(req: RoutedRequest) -> dict[str, JSONLike]:
        if req.method == "POST":
            return {"created": req.json, "tag": req.args.getfirst("tag")}
        return {"notes": []}

    @app.route("/secret")
    def secret(req: RoutedRequest) -> str:
        abort(403, "no")

    @app.route("/crash")
    def crash(req: RoutedRequest) -> str:
        raise RuntimeError("internal detail")

    return app


@pytest.fixture
def base_url() -> Iterator[str]:
    """The App served by cheroot below ``/app``; the URL of the mount point."""
    mounted = wsgi.PathInfoDispatcher({"/app": site()})  # type: ignore[no-untyped-call]  # untyped in cheroot's stubs
    server = wsgi.Server(("127.0.0.1", 0), mounted)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        host, port = server.bind_addr[:2]
        yield f"http://{host}:{port}/app"
    finally:
        server.stop()
        thread.join(timeout=10)


def test_routes_params_json_and_url_for(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        reply = client.get("/")
        assert reply.text == "home; user 7 is at /app/user/Ann%20Lee/7"
        reply = client.get("/user/Ann%20Lee/7")
        assert reply.json() == {"name": "Ann Lee", "id": 7}
        reply = client.post("/notes", params={"tag": "x y"}, json={"text": "hi"})
        assert reply.json() == {"created": {"text": "hi"}, "tag": "x y"}
        reply = client.post("/notes", content=b"{bad", headers={"Content-Type": "application/json"})
        assert reply.status_code == 400


def test_methods_head_and_options(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        reply = client.delete("/notes")
        assert (reply.status_code, reply.headers["Allow"]) == (405, "GET, HEAD, POST, OPTIONS")
        reply = client.options("/user/a/1")
        assert (reply.status_code, reply.headers["Allow"]) == (204, "GET, HEAD, OPTIONS")
        get, head = client.get("/user/a/1"), client.head("/user/a/1")
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_options_star_asks_about_the_whole_app(cheroot_serve: Serve) -> None:
    """cheroot passes ``OPTIONS *`` with the path ``/*`` (and the raw target ``*``)."""
    host, port = urlsplit(cheroot_serve(site())).netloc.split(":")
    connection = HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("OPTIONS", "*")
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert (response.status, response.getheader("Allow")) == (204, "GET, HEAD, POST, OPTIONS")


def test_errors_and_bad_paths_over_one_connection(
    base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Raw request targets, as http.client sends them untouched, on one keep-alive connection."""
    host_port = base_url.removeprefix("http://").removesuffix("/app")
    connection = HTTPConnection(host_port, timeout=10)
    expected = [
        ("/app/nowhere", 404),
        ("/app/secret", 403),
        ("/app/user/a%zz/1", 400),  # malformed percent-encoding (cheroot passes the raw URI)
        ("/app/user/%FF/1", 400),  # not UTF-8
        ("/app/user/../secret", 400),
        ("/app/user/%2e%2e/secret", 400),
        ("/app/" + "x" * 300, 414),
        ("/app/user/ok/1", 200),
    ]
    try:
        for target, status in expected:
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            assert response.status == status, target
        with caplog.at_level(logging.ERROR, logger="shallot.routing"):
            connection.request("GET", "/app/crash")
            response = connection.getresponse()
            body = response.read()
    finally:
        connection.close()
    assert (response.status, body) == (500, b"500 Internal Server Error\n")
    assert "internal detail" in caplog.text
    assert b"internal detail" not in body


def test_concurrent_clients(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:

        def fetch(number: int) -> object:
            return client.get(f"/user/u{number}/{number}").json()

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(fetch, range(40)))
    assert results == [{"name": f"u{n}", "id": n} for n in range(40)]
