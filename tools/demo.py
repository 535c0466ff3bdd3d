"""A small demo of shallot.http served on loopback (``hatch run demo``).

Usage: ``python tools/demo.py [--host 127.0.0.1] [--port 8080]`` (``--port 0`` picks a free port).
It prints the URL it serves and stops cleanly on Ctrl-C or SIGTERM.

Endpoints: ``/`` (this list), ``/hello?name=you`` (text), ``POST /echo`` (JSON in, JSON out),
``/source`` (this file, with ranges and conditional requests), ``/numbers?n=5`` (a streamed JSON
array).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from shallot.http import (
    BaseResponse,
    FileResponse,
    HTTPException,
    JSONGeneratorResponse,
    JSONResponse,
    Request,
    Response,
    method_not_allowed,
    not_found,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from types import FrameType

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

INDEX = """<!doctype html><title>Shallot demo</title>
<h1>Shallot demo</h1>
<ul>
<li><a href="hello?name=you">hello?name=you</a>: text</li>
<li>POST echo: JSON in, JSON out</li>
<li><a href="source">source</a>: this demo's source, with ranges and conditional requests</li>
<li><a href="numbers?n=5">numbers?n=5</a>: a streamed JSON array</li>
</ul>
"""


def count(limit: int) -> Iterator[int]:
    """Yield 1..limit lazily, so the JSON array is streamed."""
    yield from range(1, limit + 1)


def handle(request: Request) -> BaseResponse:
    """Answer one request of the demo."""
    if request.path == "/":
        return Response(INDEX)
    if request.path == "/hello":
        return Response(f"Hello, {request.args.getfirst('name', 'world')}!\n", "text/plain")
    if request.path == "/echo":
        if request.method != "POST":
            return method_not_allowed(["POST"])
        return JSONResponse({"you_sent": request.json})
    if request.path == "/source":
        return FileResponse(Path(__file__), content_type="text/x-python; charset=utf-8")
    if request.path == "/numbers":
        limit = request.args.getfirst("n", 10, int)
        if not 0 <= limit <= 10_000:
            raise HTTPException(400, "n must be between 0 and 10000")
        return JSONGeneratorResponse(count(limit))
    return not_found()


def demo_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The demo as a WSGI application; HTTP errors raised by handlers become their responses."""
    try:
        response = handle(Request(environ))
    except HTTPException as error:
        response = error.response
    return response(environ, start_response)


class ThreadingServer(ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per connection, so a slow client does not block the others."""

    daemon_threads = True


def main(argv: list[str] | None = None) -> int:
    """Serve the demo until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    server = make_server(
        args.host,
        args.port,
        demo_app,
        server_class=ThreadingServer,
        handler_class=WSGIRequestHandler,
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        print(f"Serving the Shallot demo on http://{args.host}:{server.server_port}/", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
