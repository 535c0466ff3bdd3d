"""Benchmark: shallot.middleware's Static and Dispatcher against Werkzeug's SharedDataMiddleware
and DispatcherMiddleware.

Usage: ``python tools/bench/middleware.py [--rounds 21] [--calls 1500]`` (needs
``pip install werkzeug``).

Scenarios, each WSGI app called in-process (no server, no sockets):

- ``static GET``: a 1 KiB file under ``/static``, answered 200;
- ``static 304``: the same file with ``If-None-Match`` carrying the adapter's own ``ETag``;
- ``dispatch``: three mounts (``/api``, ``/admin``, ``/static``) in front of a trivial app, a
  request for ``/admin/users``; a bare call of the trivial app is timed too, so the overhead of
  dispatching (total minus bare) can be compared as well.

Each call gets a fresh copy of its environ and the body is consumed and closed, as a server
would. Every adapter's status and body are checked before any timing, so a broken adapter cannot
look fast. Peers run interleaved in one process (ours, theirs, ours, theirs, ...; the order
flips every round, so neither always runs first after another scenario), so a noisy machine slows
them alike. Printed: the median microseconds per request per adapter and the ratio
ours/theirs (below 1.00 means shallot is faster).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from wsgiref.util import setup_testing_defaults

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.shared_data import SharedDataMiddleware

from shallot.middleware import Dispatcher, Static

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

FILE_BODY = bytes(range(256)) * 4  # 1 KiB


def ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    """The cheapest start_response a server could offer."""
    return None


def answer(app: WSGIApplication, environ: WSGIEnvironment) -> tuple[str, dict[str, str], bytes]:
    """Status, headers (last value per lower-cased name) and body of one call."""
    seen: list[Any] = []

    def record(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen[:] = [status, headers]

    body = app(environ, record)
    try:
        data = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return seen[0], {name.lower(): value for name, value in seen[1]}, data


def base_environ(path: str, **headers: str) -> WSGIEnvironment:
    environ: WSGIEnvironment = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SCRIPT_NAME": ""}
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    environ.update(headers)
    return environ


def trivial(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def fallback(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
    return [b"not found"]


def time_calls(app: WSGIApplication, environ: WSGIEnvironment, calls: int) -> float:
    """Microseconds per call of ``app`` over ``calls`` fresh copies of ``environ``.

    Each copy gets its own ``PATH_INFO`` string, as a server decodes each request line anew: a
    string shared by every call would carry its hash from the first one and flatter whoever
    looks the whole path up in a dict.
    """
    path: str = environ["PATH_INFO"]
    environs = [
        {**environ, "PATH_INFO": path.encode("latin-1").decode("latin-1")} for _ in range(calls)
    ]
    start = time.perf_counter()
    for each in environs:
        body = app(each, ignore_start)
        for _ in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return (time.perf_counter() - start) / calls * 1e6


def check(
    name: str, app: WSGIApplication, environ: WSGIEnvironment, status: str, expected: bytes
) -> None:
    got_status, _, body = answer(app, environ.copy())
    if got_status[:3] != status or body != expected:
        raise SystemExit(f"{name}: expected {status}, got {got_status} {body[:40]!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--calls", type=int, default=1500)
    arguments = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "small.bin").write_bytes(FILE_BODY)
        ours_static = Static(fallback, {"/static": folder})
        theirs_static = SharedDataMiddleware(fallback, {"/static": folder})
        get = base_environ("/static/small.bin")
        conditional: dict[str, WSGIEnvironment] = {}
        for name, static in (("ours", ours_static), ("theirs", theirs_static)):
            _, headers, _ = answer(static, get.copy())
            conditional[name] = base_environ(
                "/static/small.bin", HTTP_IF_NONE_MATCH=headers["etag"]
            )
        mounts: dict[str, WSGIApplication] = {
            "/api": trivial,
            "/admin": trivial,
            "/static": trivial,
        }
        ours_dispatch = Dispatcher(fallback, mounts)
        theirs_dispatch = DispatcherMiddleware(fallback, mounts)
        dispatch_paths = {
            "dispatch": "/admin/users",
            "dispatch deep": "/api/v1/items/42/edit",
            "dispatch miss": "/about/team",
        }

        cases: dict[str, list[tuple[str, WSGIApplication, WSGIEnvironment, str, bytes]]] = {
            "static GET": [
                ("ours", ours_static, get, "200", FILE_BODY),
                ("theirs", theirs_static, get, "200", FILE_BODY),
            ],
            "static 304": [
                ("ours", ours_static, conditional["ours"], "304", b""),
                ("theirs", theirs_static, conditional["theirs"], "304", b""),
            ],
        }
        for scenario, path in dispatch_paths.items():
            miss = scenario == "dispatch miss"
            status, body = ("404", b"not found") if miss else ("200", b"ok")
            environ = base_environ(path)
            cases[scenario] = [
                ("ours", ours_dispatch, environ, status, body),
                ("theirs", theirs_dispatch, environ, status, body),
                ("bare", fallback if miss else trivial, environ, status, body),
            ]
        for scenario, adapters in cases.items():
            for name, app, environ, status, expected in adapters:
                check(f"{scenario} {name}", app, environ, status, expected)

        samples: dict[tuple[str, str], list[float]] = {}
        for number in range(arguments.rounds):
            for scenario, adapters in cases.items():
                order = adapters if number % 2 else adapters[::-1]
                for name, app, environ, _status, _expected in order:
                    samples.setdefault((scenario, name), []).append(
                        time_calls(app, environ, arguments.calls)
                    )

    medians = {key: statistics.median(values) for key, values in samples.items()}
    print(
        f"python {sys.version.split()[0]}, {arguments.rounds} rounds x {arguments.calls} calls;"
        " median us per request (ours/theirs below 1.00: shallot faster)"
    )
    for scenario in cases:
        ours = medians[scenario, "ours"]
        theirs = medians[scenario, "theirs"]
        path = dispatch_paths.get(scenario, "/static/small.bin")
        print(
            f"  {scenario:<14} {path:<22} ours {ours:7.2f}  werkzeug {theirs:7.2f}"
            f"  ratio {ours / theirs:.2f}"
        )
    print("dispatch overhead (total minus a bare call of the app it reaches):")
    for scenario in dispatch_paths:
        bare = medians[scenario, "bare"]
        ours_overhead = medians[scenario, "ours"] - bare
        theirs_overhead = medians[scenario, "theirs"] - bare
        print(
            f"  {scenario:<14} ours {ours_overhead:5.2f}  werkzeug {theirs_overhead:5.2f}"
            f"  ratio {ours_overhead / theirs_overhead:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
