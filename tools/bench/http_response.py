"""Benchmark: build and serve a small response with shallot.http against PoorWSGI, Werkzeug and
WebOb.

Usage: ``python tools/bench/http_response.py [--rounds 15] [--calls 20000]`` (``hatch run
bench-http``).

Each case builds a response object and serves it through its WSGI call (start_response, then reading
and closing the body), which is what every request pays. Peers run interleaved in one process (A B C
D, A B C D, ...) so a noisy machine slows them alike; every adapter's output is checked before it is
timed, so a broken one cannot look fast. Printed: the median microseconds per call, and ours/theirs
(below 1.00 means we are faster).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import webob
import werkzeug
from poorwsgi.response import JSONResponse as PoorJSONResponse
from poorwsgi.response import Response as PoorResponse

from shallot.http import JSONLike, JSONResponse, Response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

TEXT = "Hello, world!\n"
DATA: dict[str, JSONLike] = {"id": 42, "name": "shallot", "tags": ["http", "wsgi"], "ok": True}
ENVIRON: WSGIEnvironment = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/",
    "SERVER_NAME": "localhost",
    "SERVER_PORT": "80",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "wsgi.url_scheme": "http",
}

Adapter = Callable[["StartResponse"], Iterable[bytes]]


def ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    """The cheapest start_response a server could offer."""
    return None


def serve(body: Iterable[bytes]) -> None:
    """Consume and close a body as a server does."""
    for _chunk in body:
        pass
    close = getattr(body, "close", None)
    if close is not None:
        close()


def shallot_text(start_response: StartResponse) -> Iterable[bytes]:
    return Response(TEXT, "text/plain; charset=utf-8")(ENVIRON, start_response)


def poorwsgi_text(start_response: StartResponse) -> Iterable[bytes]:
    body: Iterable[bytes] = PoorResponse(TEXT, content_type="text/plain; charset=utf-8")(
        start_response
    )
    return body


def werkzeug_text(start_response: StartResponse) -> Iterable[bytes]:
    return werkzeug.Response(TEXT, content_type="text/plain; charset=utf-8")(
        ENVIRON, start_response
    )


def webob_text(start_response: StartResponse) -> Iterable[bytes]:
    return webob.Response(TEXT, content_type="text/plain", charset="utf-8")(ENVIRON, start_response)


def shallot_json(start_response: StartResponse) -> Iterable[bytes]:
    return JSONResponse(DATA)(ENVIRON, start_response)


def poorwsgi_json(start_response: StartResponse) -> Iterable[bytes]:
    body: Iterable[bytes] = PoorJSONResponse(DATA)(start_response)
    return body


def werkzeug_json(start_response: StartResponse) -> Iterable[bytes]:
    return werkzeug.Response(json.dumps(DATA), content_type="application/json")(
        ENVIRON, start_response
    )


def webob_json(start_response: StartResponse) -> Iterable[bytes]:
    return webob.Response(json_body=DATA)(ENVIRON, start_response)


CASES: dict[str, dict[str, Adapter]] = {
    "text response": {
        "shallot": shallot_text,
        "poorwsgi": poorwsgi_text,
        "werkzeug": werkzeug_text,
        "webob": webob_text,
    },
    "JSON response": {
        "shallot": shallot_json,
        "poorwsgi": poorwsgi_json,
        "werkzeug": werkzeug_json,
        "webob": webob_json,
    },
}


def verify(case: str, name: str, adapter: Adapter) -> None:
    """Refuse to time an adapter whose response is not the expected one."""
    seen: list[Any] = []

    def record(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen[:] = [status, dict((key.lower(), value) for key, value in headers)]

    chunks: list[bytes] = []
    body = adapter(record)
    chunks.extend(body)
    serve(body)
    status, headers = seen
    content_type = headers.get("content-type", "")
    if case == "text response":
        ok = b"".join(chunks) == TEXT.encode() and content_type.startswith("text/plain")
    else:
        ok = json.loads(b"".join(chunks)) == DATA and content_type.startswith("application/json")
    if not status.startswith("200 ") or not ok:
        raise SystemExit(f"{case}/{name}: unexpected response {status} {content_type!r} {chunks!r}")


def time_calls(adapter: Adapter, calls: int) -> float:
    """Microseconds per build-and-serve, over ``calls`` calls."""
    started = time.perf_counter()
    for _ in range(calls):
        serve(adapter(ignore_start))
    return (time.perf_counter() - started) / calls * 1e6


def main(argv: list[str] | None = None) -> int:
    """Verify, then time every case's peers interleaved; print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args(argv)
    print(
        f"python {sys.version.split()[0]}, {args.rounds} rounds x {args.calls} calls, interleaved"
    )
    for case, peers in CASES.items():
        for name, adapter in peers.items():
            verify(case, name, adapter)
        samples: dict[str, list[float]] = {name: [] for name in peers}
        for _ in range(args.rounds):
            for name, adapter in peers.items():
                samples[name].append(time_calls(adapter, args.calls))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        print(f"\n{case}: median us per build+serve")
        ours = medians["shallot"]
        for name, median in medians.items():
            ratio = "" if name == "shallot" else f"   ours/theirs = {ours / median:.2f}"
            print(f"  {name:<9} {median:7.2f}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
