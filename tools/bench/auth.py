"""Benchmark: what authenticating a request costs with shallot.auth, against no authentication and
against PoorWSGI's ``check_digest``.

Usage: ``python tools/bench/auth.py [--rounds 15] [--calls 2000]`` (needs ``pip install poorwsgi``).

Every adapter answers ``GET /`` with ``hello``. Per case:

- ``shallot``: a plain WSGI app; ``shallot+mw``: the same app behind ``Authenticator``;
- ``handler``: a handler taking a ``shallot.http.Request``, in a minimal WSGI wrapper (what a
  router does); ``handler+dec``: the same handler under ``check_digest`` / ``check_basic``;
- ``poorwsgi``: a PoorWSGI ``Application`` route; ``poorwsgi+dec``: the same route under
  PoorWSGI's ``check_digest`` with the same algorithm.

Requests are prebuilt environs carrying valid credentials, made before each timed run (not timed):
Digest ones answer a challenge fetched from the adapter itself, with the nonce count growing per
request, since shallot refuses a repeated count (PoorWSGI does not count). Before any timing every
adapter must answer 200 ``hello`` with credentials and, when it authenticates, 401 without. Peers
run interleaved in one process (A B C ..., A B C ..., ...), so a noisy machine slows them alike.
Printed: the median microseconds per request, the overhead over the adapter's own unauthenticated
baseline, and ours/theirs for the Digest overhead and total (below 1.00 means we are faster).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import logging
import statistics
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from wsgiref.util import setup_testing_defaults

from poorwsgi import Application
from poorwsgi.digest import check_digest as poor_check_digest
from poorwsgi.digest import hexdigest as poor_hexdigest

from shallot.auth import (
    Authenticator,
    BasicScheme,
    DictUserStore,
    DigestAlgorithm,
    DigestScheme,
    Qop,
    Realm,
    check_basic,
    check_digest,
    compute_response,
    ha1,
)
from shallot.http import Request, Response, parse_authorization

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

USER, PASSWORD, REALM_NAME = "alice", "secret", "files"
CNONCE = "0a4f113b"


def ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    """The cheapest start_response a server could offer."""
    return None


def base_environ(scheme: str = "http") -> WSGIEnvironment:
    environ: WSGIEnvironment = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "HTTP_USER_AGENT": "bench",
        "wsgi.url_scheme": scheme,
    }
    setup_testing_defaults(environ)
    return environ


def answer(
    app: WSGIApplication, environ: WSGIEnvironment
) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status, headers and body of one call."""
    seen: list[Any] = []

    def record(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen[:] = [status, headers]

    result = app(environ, record)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return seen[0], seen[1], body


@dataclass
class Adapter:
    """One app under test and how to make requests it accepts."""

    name: str
    app: WSGIApplication
    requests: Callable[[int], list[WSGIEnvironment]]
    authenticates: bool
    scheme: str = "http"


def plain(count: int, scheme: str = "http") -> list[WSGIEnvironment]:
    base = base_environ(scheme)
    return [dict(base) for _ in range(count)]


def digest_requests(
    app: WSGIApplication, algorithm: DigestAlgorithm
) -> Callable[[int], list[WSGIEnvironment]]:
    """Environs answering a fresh challenge of ``app`` (nonce counts 1, 2, ...)."""

    def make(count: int) -> list[WSGIEnvironment]:
        status, headers, _ = answer(app, base_environ())
        if not status.startswith("401"):
            raise SystemExit(f"expected a challenge, got {status}")
        challenges = [
            dict(parse_authorization(value).params)
            for key, value in headers
            if key.lower() == "www-authenticate"
        ]
        params = next(p for p in challenges if DigestAlgorithm.parse(p["algorithm"]) is algorithm)
        stored = ha1(algorithm.base, USER, REALM_NAME, PASSWORD)
        base = base_environ()
        made = []
        for number in range(1, count + 1):
            nc = f"{number:08x}"
            response = compute_response(
                algorithm,
                stored_ha1=stored,
                method="GET",
                uri="/",
                nonce=params["nonce"],
                nc=nc,
                cnonce=CNONCE,
                qop=Qop.AUTH,
            )
            environ = dict(base)
            environ["HTTP_AUTHORIZATION"] = (
                f'Digest username="{USER}", realm="{REALM_NAME}", uri="/", '
                f'algorithm={algorithm.value}, nonce="{params["nonce"]}", nc={nc}, '
                f'cnonce="{CNONCE}", qop=auth, response="{response}", '
                f'opaque="{params["opaque"]}"'
            )
            made.append(environ)
        return made

    return make


def basic_requests(count: int) -> list[WSGIEnvironment]:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    made = plain(count, "https")
    for environ in made:
        environ["HTTP_AUTHORIZATION"] = f"Basic {token}"
    return made


def hello(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    return Response("hello", "text/plain")(environ, start_response)


def handler(req: Request) -> str:
    return "hello"


def router(view: Callable[[Request], str | Response]) -> WSGIApplication:
    """A minimal router: build the Request, call the handler, send what it returns."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        result = view(Request(environ))
        response = result if isinstance(result, Response) else Response(result, "text/plain")
        return response(environ, start_response)

    return app


def poorwsgi_app(name: str, algorithm: DigestAlgorithm | None) -> WSGIApplication:
    """PoorWSGI's route, under its check_digest when ``algorithm`` is given (names must differ)."""
    # PoorWSGI's constructor and digest helpers are not annotated.
    app = Application(name)  # type: ignore[no-untyped-call]
    app.secret_key = "poorwsgi bench secret, long enough"
    if algorithm is None:
        app.route("/")(handler)
        return app
    app.auth_type = "Digest"
    app.auth_algorithm = algorithm.value
    digest = hashlib.md5 if algorithm.base is DigestAlgorithm.MD5 else hashlib.sha256
    stored = poor_hexdigest(USER, REALM_NAME, PASSWORD, digest)  # type: ignore[no-untyped-call]
    app.auth_map = {REALM_NAME: {USER: stored}}
    app.route("/")(poor_check_digest(REALM_NAME)(handler))  # type: ignore[no-untyped-call]
    return app


def digest_case(algorithm: DigestAlgorithm) -> list[Adapter]:
    realm = Realm(REALM_NAME, DictUserStore({USER: PASSWORD}))
    scheme = DigestScheme(algorithms=[algorithm], qops=[Qop.AUTH])
    middleware = Authenticator(hello, realm, schemes=[scheme])
    decorated = router(check_digest(realm, scheme=scheme)(handler))
    poor = poorwsgi_app(f"plain-{algorithm.value}", None)
    poor_digest = poorwsgi_app(f"digest-{algorithm.value}", algorithm)
    return [
        Adapter("shallot", hello, plain, False),
        Adapter("shallot+mw", middleware, digest_requests(middleware, algorithm), True),
        Adapter("handler", router(handler), plain, False),
        Adapter("handler+dec", decorated, digest_requests(decorated, algorithm), True),
        Adapter("poorwsgi", poor, plain, False),
        Adapter("poorwsgi+dec", poor_digest, digest_requests(poor_digest, algorithm), True),
    ]


def basic_case() -> list[Adapter]:
    realm = Realm(REALM_NAME, DictUserStore({USER: PASSWORD}))
    middleware = Authenticator(hello, realm, schemes=[BasicScheme()])
    decorated = router(check_basic(realm)(handler))

    def https(count: int) -> list[WSGIEnvironment]:
        return plain(count, "https")

    return [
        Adapter("shallot", hello, https, False, "https"),
        Adapter("shallot+mw", middleware, basic_requests, True, "https"),
        Adapter("handler", router(handler), https, False, "https"),
        Adapter("handler+dec", decorated, basic_requests, True, "https"),
    ]


BASELINES = {"shallot+mw": "shallot", "handler+dec": "handler", "poorwsgi+dec": "poorwsgi"}


def verify(case: str, adapter: Adapter) -> None:
    """Refuse to time an adapter that does not answer as it should."""
    (environ,) = adapter.requests(1)
    status, _, body = answer(adapter.app, environ)
    if not status.startswith("200 ") or body != b"hello":
        raise SystemExit(f"{case}/{adapter.name}: {status} {body[:60]!r} with credentials")
    if adapter.authenticates:
        status, _, _ = answer(adapter.app, base_environ(adapter.scheme))
        if not status.startswith("401 "):
            raise SystemExit(f"{case}/{adapter.name}: {status} without credentials")


def time_requests(app: WSGIApplication, environs: list[WSGIEnvironment]) -> float:
    """Microseconds per request over the prebuilt ``environs``."""
    started = time.perf_counter()
    for environ in environs:
        result = app(environ, ignore_start)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return (time.perf_counter() - started) / len(environs) * 1e6


def main(argv: list[str] | None = None) -> int:
    """Verify, then time every case's adapters interleaved; print medians, overheads, ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # PoorWSGI logs every 401 of the verification step
    print(
        f"python {sys.version.split()[0]}, {args.rounds} rounds x {args.calls} requests, "
        "interleaved; median us per request"
    )
    cases = {
        "Digest SHA-256": digest_case(DigestAlgorithm.SHA256),
        "Digest MD5": digest_case(DigestAlgorithm.MD5),
        "Basic (HTTPS)": basic_case(),
    }
    for case, adapters in cases.items():
        for adapter in adapters:
            verify(case, adapter)
        samples: dict[str, list[float]] = {adapter.name: [] for adapter in adapters}
        for _ in range(args.rounds):
            for adapter in adapters:
                environs = adapter.requests(args.calls)
                samples[adapter.name].append(time_requests(adapter.app, environs))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        print(f"\n{case}:")
        for name, median in medians.items():
            baseline = BASELINES.get(name)
            extra = "" if baseline is None else f"   overhead {median - medians[baseline]:6.2f}"
            print(f"  {name:<13} {median:7.2f}{extra}")
        if "poorwsgi+dec" in medians:
            theirs = medians["poorwsgi+dec"] - medians["poorwsgi"]
            for ours_name in ("shallot+mw", "handler+dec"):
                ours = medians[ours_name] - medians[BASELINES[ours_name]]
                total = medians[ours_name] / medians["poorwsgi+dec"]
                print(
                    f"  {ours_name} vs poorwsgi+dec: overhead ours/theirs = {ours / theirs:.2f}, "
                    f"total ours/theirs = {total:.2f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
