"""Benchmark: a response-cache hit through shallot.caching against Wheezy's HTTPCacheMiddleware,
and an answer the cache must not keep, through the same stacks.

Usage: ``python tools/bench/caching.py [--rounds 21] [--calls 10000]`` (Wheezy: ``pip install
wheezy.http wheezy.caching``).

Adapters, each answering ``GET /page`` (cached, 600 s, public) and ``GET /fresh`` (a ``no-cache,
no-store`` profile, so never stored) with the same small body, each with its in-memory cache:

- ``shallot``: ``CacheMiddleware`` (WSGI, outermost) around a ``shallot.routing`` App whose
  handlers carry ``response_cache``; ``MemoryCache``;
- ``shallot-chain``: the same App with ``cache_middleware_factory`` first in its handler chain;
- ``wheezy``: a ``WSGIApplication`` with ``http_cache_middleware_factory`` first, then
  wheezy.web's path routing (a ``wheezy.routing.PathRouter``, as Wheezy applications route) to
  handlers carrying Wheezy's ``response_cache``; ``wheezy.caching.MemoryCache``.

Before timing, every adapter must answer both paths 200 with the expected body, and a second
``/page`` must be a hit: the handler's call count must not move (while ``/fresh`` calls it every
time). Requests are prebuilt environs; adapters run interleaved in one process (A B C, A B C,
...). Printed: median microseconds per request, and ours/theirs (below 1.00: we are faster).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import TYPE_CHECKING, Any
from wsgiref.util import setup_testing_defaults

from wheezy.caching import MemoryCache as WheezyMemoryCache
from wheezy.http import CacheProfile as WheezyCacheProfile
from wheezy.http import HTTPResponse, bootstrap_http_defaults
from wheezy.http import WSGIApplication as WheezyApplication
from wheezy.http import response_cache as wheezy_response_cache
from wheezy.http.cacheprofile import none_cache_profile
from wheezy.http.middleware import http_cache_middleware_factory
from wheezy.routing import PathRouter, url
from wheezy.web.middleware.routing import PathRoutingMiddleware

from shallot.caching import (
    CacheMiddleware,
    CacheProfile,
    MemoryCache,
    cache_middleware_factory,
    response_cache,
)
from shallot.http import Response
from shallot.routing import App

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

    from shallot.routing import RoutedRequest

BODY = b"<p>Hello from the cache.</p>"
CALLS = {"count": 0}


def ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    """The cheapest start_response a server could offer."""
    return None


def environ_for(path: str) -> WSGIEnvironment:
    environ: WSGIEnvironment = {"REQUEST_METHOD": "GET", "PATH_INFO": path}
    setup_testing_defaults(environ)
    return environ


def routed(app: App) -> App:
    """``app`` with the two routes, answering as Wheezy's do."""
    profile = CacheProfile("public", duration=600)

    @app.route("/page")
    @response_cache(profile)
    def page(request: RoutedRequest) -> Response:
        CALLS["count"] += 1
        return Response(BODY)

    @app.route("/fresh")
    @response_cache()
    def fresh(request: RoutedRequest) -> Response:
        CALLS["count"] += 1
        return Response(BODY)

    return app


def wheezy_app() -> WSGIApplication:
    """Wheezy's stack: its cache middleware first, then a one-route dispatcher."""
    profile = WheezyCacheProfile("public", duration=600)

    def render(request: Any) -> HTTPResponse:
        CALLS["count"] += 1
        response = HTTPResponse()
        response.write_bytes(BODY)
        return response

    router = PathRouter()
    router.add_routes(
        [
            url("page", wheezy_response_cache(profile)(render)),
            url("fresh", wheezy_response_cache(none_cache_profile)(render)),
        ]
    )

    def routing_factory(options: dict[str, Any]) -> PathRoutingMiddleware:
        return PathRoutingMiddleware(router)

    application: WSGIApplication = WheezyApplication(
        [bootstrap_http_defaults, http_cache_middleware_factory, routing_factory],
        {"http_cache": WheezyMemoryCache()},
    )
    return application


def answer(app: WSGIApplication, environ: WSGIEnvironment) -> tuple[str, bytes]:
    status: list[str] = []

    def start(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        status.append(status_line)

    result = app(dict(environ), start)
    body = b"".join(result)
    close = getattr(result, "close", None)
    if close is not None:
        close()
    return status[0], body


def verify(name: str, app: WSGIApplication) -> None:
    """Refuse to time an adapter that answers wrongly or does not serve hits from its cache."""
    for path in ("/page", "/fresh"):
        status, body = answer(app, environ_for(path))
        if not status.startswith("200 ") or body != BODY:
            raise SystemExit(f"{name} {path}: {status} {body[:60]!r}")
    before = CALLS["count"]
    answer(app, environ_for("/page"))
    if CALLS["count"] != before:
        raise SystemExit(f"{name}: /page was not served from the cache")
    answer(app, environ_for("/fresh"))
    if CALLS["count"] != before + 1:
        raise SystemExit(f"{name}: /fresh was served from the cache")


def time_requests(app: WSGIApplication, environ: WSGIEnvironment, calls: int) -> float:
    """Microseconds per request, ``calls`` requests on copies of ``environ`` made beforehand."""
    environs = [dict(environ) for _ in range(calls)]
    started = time.perf_counter()
    for request in environs:
        result = app(request, ignore_start)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return (time.perf_counter() - started) / calls * 1e6


def main(argv: list[str] | None = None) -> int:
    """Verify every adapter, then time them interleaved; print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--calls", type=int, default=10000)
    args = parser.parse_args(argv)
    adapters: dict[str, WSGIApplication] = {
        "shallot": CacheMiddleware(routed(App()), MemoryCache()),
        "shallot-chain": routed(
            App(middleware=[cache_middleware_factory], options={"http_cache": MemoryCache()})
        ),
        "wheezy": wheezy_app(),
    }
    for name, app in adapters.items():
        verify(name, app)
    print(
        f"python {sys.version.split()[0]}, {args.rounds} rounds x {args.calls} requests, "
        "interleaved; median us per request"
    )
    for scenario, path in (("cache hit", "/page"), ("not cached (no-store)", "/fresh")):
        environ = environ_for(path)
        samples: dict[str, list[float]] = {name: [] for name in adapters}
        for _ in range(args.rounds):
            for name, app in adapters.items():
                samples[name].append(time_requests(app, environ, args.calls))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        print(f"\n{scenario} (GET {path}):")
        for name, median in medians.items():
            ratio = median / medians["wheezy"]
            print(f"  {name:<14} {median:7.2f} us   ours/theirs {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
