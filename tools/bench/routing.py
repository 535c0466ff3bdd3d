"""Benchmark: the shallot.routing App against PoorWSGI, Wheezy, Werkzeug, Bottle and Falcon.

Usage: ``python tools/bench/routing.py [--rounds 21] [--sample-ms 40] [--only SCENARIO ...]``
(needs ``pip install poorwsgi wheezy.http wheezy.routing wheezy.web werkzeug bottle falcon``).

Every framework gets the same site, written its own idiomatic way, and each WSGI app is called
in-process with prebuilt environs (no server, no sockets), in these scenarios:

- a static route answering ``text/plain``;
- a route with a str and an int parameter answering JSON;
- a path nothing matches (404);
- the last of 1,000 parametrised routes (``/r999/<id:int>``), and the only route of a one-route
  app (``/r0/<id:int>``): their ratio shows whether matching slows down as routes are added (the
  two are timed in the same rounds, so a change of load between scenarios cannot skew it);
- a urlencoded form POST with a query string, the handler reading both;
- a method the static route does not take (405).

Each call gets a fresh copy of its environ (and a fresh ``wsgi.input``), since frameworks cache
parsed data in the environ; that copy is part of every figure alike. Every app's status and body
are checked before it is timed, so a broken adapter cannot look fast. Peers run interleaved in one
process (A B C ..., A B C ..., ...), each sample lasting about ``--sample-ms``, so a noisy machine
slows them alike. Printed per scenario: median microseconds per request, requests per second, and
ours/theirs (below 1.00 means shallot is faster). Falcon is partly compiled (Cython), so it is
shown beside the pure-Python peers rather than among them.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import logging
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import bottle  # type: ignore[import-untyped]  # bottle ships no type information
import falcon
import poorwsgi
import poorwsgi.response
import werkzeug
import werkzeug.exceptions
import werkzeug.routing
import wheezy.http
import wheezy.routing
from wheezy.web.middleware.routing import PathRoutingMiddleware

from shallot.routing import METHOD_POST, App, RoutedRequest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.http import JSONLike

ROUTES = 1000
TEXT = "Hello, world!"
FORM_BODY = b"name=joe&age=42"

# Scenario name -> (app kind, method, path, query, expected status, expected body or None).
SCENARIOS: dict[str, tuple[str, str, str, str, int, bytes | None]] = {
    "static route": ("site", "GET", "/hello", "", 200, TEXT.encode()),
    "JSON, 2 parameters": ("site", "GET", "/user/joe/42", "", 200, b'{"name":"joe","id":42}'),
    "404": ("site", "GET", "/nowhere/to/go", "", 404, None),
    f"last of {ROUTES} routes": ("many", "GET", f"/r{ROUTES - 1}/7", "", 200, b"999:7"),
    "one-route app": ("one", "GET", "/r0/7", "", 200, b"0:7"),
    "form POST + query": ("site", "POST", "/form", "lang=en", 200, b"joe 42 en"),
    "405": ("site", "DELETE", "/hello", "", 405, None),
}


def environ_for(method: str, path: str, query: str) -> WSGIEnvironment:
    """The environ a server would build for the request (the body is set per call)."""
    environ: WSGIEnvironment = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if method == "POST":
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ["CONTENT_LENGTH"] = str(len(FORM_BODY))
    return environ


# -- the site, once per framework ----------------------------------------------------------------


def shallot_apps() -> dict[str, WSGIApplication]:
    site = App()

    @site.route("/hello")
    def hello(request: RoutedRequest) -> tuple[str, str]:
        return TEXT, "text/plain; charset=utf-8"

    @site.route("/user/<name>/<id:int>")
    def user(request: RoutedRequest, name: str, id: int) -> dict[str, JSONLike]:
        return {"name": name, "id": id}

    @site.route("/form", METHOD_POST)
    def form(request: RoutedRequest) -> tuple[str, str]:
        fields, args = request.form, request.args
        text = f"{fields.getfirst('name')} {fields.getfirst('age')} {args.getfirst('lang')}"
        return text, "text/plain; charset=utf-8"

    def numbered(count: int) -> App:
        app = App()
        for number in range(count):

            def handler(request: RoutedRequest, id: int, number: int = number) -> tuple[str, str]:
                return f"{number}:{id}", "text/plain; charset=utf-8"

            app.set_route(f"/r{number}/<id:int>", handler, name=f"r{number}")
        return app

    return {"site": site, "many": numbered(ROUTES), "one": numbered(1)}


_poor_apps = 0


def poorwsgi_apps() -> dict[str, WSGIApplication]:
    global _poor_apps
    logging.getLogger("poorwsgi").setLevel(logging.CRITICAL)  # it logs every 404 as an error

    def application() -> Any:
        global _poor_apps
        _poor_apps += 1
        return poorwsgi.Application(f"bench-{_poor_apps}")  # type: ignore[no-untyped-call]

    def hello(req: Any) -> Any:
        return poorwsgi.response.Response(TEXT, content_type="text/plain; charset=utf-8")

    def user(req: Any, name: str, id: int) -> Any:
        return poorwsgi.response.JSONResponse(name=name, id=id)

    def form(req: Any) -> Any:
        text = f"{req.form.getfirst('name')} {req.form.getfirst('age')} {req.args.getfirst('lang')}"
        return poorwsgi.response.Response(text, content_type="text/plain; charset=utf-8")

    site = application()
    site.set_route("/hello", hello)
    site.set_route("/user/<name>/<id:int>", user)
    site.set_route("/form", form, poorwsgi.state.METHOD_POST)

    def numbered(count: int) -> Any:
        app = application()
        for number in range(count):

            def handler(req: Any, id: int, number: int = number) -> Any:
                return poorwsgi.response.Response(
                    f"{number}:{id}", content_type="text/plain; charset=utf-8"
                )

            app.set_route(f"/r{number}/<id:int>", handler)
        return app

    return {"site": site, "many": numbered(ROUTES), "one": numbered(1)}


def wheezy_apps() -> dict[str, WSGIApplication]:
    def text(body: str) -> Any:
        response = wheezy.http.HTTPResponse("text/plain; charset=utf-8")
        response.write(body)
        return response

    def hello(request: Any) -> Any:
        return text(TEXT)

    def user(request: Any) -> Any:
        args = request.environ["route_args"]
        return wheezy.http.json_response({"name": args["name"], "id": int(args["id"])})

    def form(request: Any) -> Any:
        fields = request.form
        return text(f"{fields['name'][-1]} {fields['age'][-1]} {request.get_param('lang')}")

    accept = wheezy.http.accept_method  # Wheezy answers 405 by this decorator

    def numbered(number: int) -> Callable[[Any], Any]:
        def handler(request: Any) -> Any:
            return text(f"{number}:{int(request.environ['route_args']['id'])}")

        return handler

    def application(mapping: list[Any]) -> Any:
        def routing(options: dict[str, Any]) -> Any:
            router = wheezy.routing.PathRouter()
            router.add_routes(mapping)
            return PathRoutingMiddleware(router)

        return wheezy.http.WSGIApplication([wheezy.http.bootstrap_http_defaults, routing], {})

    url = wheezy.routing.url
    return {
        "site": application(
            [
                url("hello", accept(("GET", "HEAD"))(hello)),
                url("user/{name}/{id:i}", user),
                url("form", accept("POST")(form)),
            ]
        ),
        "many": application([url(f"r{n}/{{id:i}}", numbered(n)) for n in range(ROUTES)]),
        "one": application([url("r0/{id:i}", numbered(0))]),
    }


def werkzeug_apps() -> dict[str, WSGIApplication]:
    Request, Response, Rule = werkzeug.Request, werkzeug.Response, werkzeug.routing.Rule

    def application(
        rules: list[werkzeug.routing.Rule], handlers: dict[str, Callable[..., Any]]
    ) -> Any:
        url_map = werkzeug.routing.Map(rules)

        def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            adapter = url_map.bind_to_environ(environ)
            try:
                endpoint, args = adapter.match()
                response = handlers[endpoint](Request(environ), **args)
            except werkzeug.exceptions.HTTPException as error:
                return error(environ, start_response)
            result: Iterable[bytes] = response(environ, start_response)
            return result

        return app

    def text(body: str) -> Any:
        return Response(body, content_type="text/plain; charset=utf-8")

    def form(request: Any) -> Any:
        fields = request.form
        return text(f"{fields['name']} {fields['age']} {request.args['lang']}")

    site = application(
        [
            Rule("/hello", endpoint="hello", methods=["GET"]),
            Rule("/user/<name>/<int:id>", endpoint="user", methods=["GET"]),
            Rule("/form", endpoint="form", methods=["POST"]),
        ],
        {
            "hello": lambda request: text(TEXT),
            "user": lambda request, name, id: Response(
                json.dumps({"name": name, "id": id}), content_type="application/json"
            ),
            "form": form,
        },
    )

    def numbered_handler(number: int, request: Any, id: int) -> Any:
        return text(f"{number}:{id}")

    def numbered(count: int) -> Any:
        return application(
            [Rule(f"/r{n}/<int:id>", endpoint=f"r{n}") for n in range(count)],
            {f"r{n}": functools.partial(numbered_handler, n) for n in range(count)},
        )

    return {"site": site, "many": numbered(ROUTES), "one": numbered(1)}


def bottle_apps() -> dict[str, WSGIApplication]:
    def hello() -> str:
        bottle.response.content_type = "text/plain; charset=utf-8"
        return TEXT

    def user(name: str, id: int) -> dict[str, object]:
        return {"name": name, "id": id}

    def form() -> str:
        request = bottle.request
        bottle.response.content_type = "text/plain; charset=utf-8"
        return f"{request.forms.name} {request.forms.age} {request.query.lang}"

    site = bottle.Bottle()
    site.route("/hello", callback=hello)
    site.route("/user/<name>/<id:int>", callback=user)
    site.route("/form", method="POST", callback=form)

    def numbered(count: int) -> Any:
        app = bottle.Bottle()
        for number in range(count):

            def handler(id: int, number: int = number) -> str:
                bottle.response.content_type = "text/plain; charset=utf-8"
                return f"{number}:{id}"

            app.route(f"/r{number}/<id:int>", callback=handler)
        return app

    return {"site": site, "many": numbered(ROUTES), "one": numbered(1)}


def falcon_apps() -> dict[str, WSGIApplication]:
    class Hello:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.content_type = "text/plain; charset=utf-8"
            resp.text = TEXT

    class User:
        def on_get(self, req: falcon.Request, resp: falcon.Response, name: str, id: int) -> None:
            resp.media = {"name": name, "id": id}

    class Form:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            fields = req.get_media()
            resp.content_type = "text/plain; charset=utf-8"
            resp.text = f"{fields['name']} {fields['age']} {req.get_param('lang')}"

    class Numbered:
        def __init__(self, number: int) -> None:
            self.number = number

        def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
            resp.content_type = "text/plain; charset=utf-8"
            resp.text = f"{self.number}:{id}"

    site = falcon.App()
    site.add_route("/hello", Hello())
    site.add_route("/user/{name}/{id:int}", User())
    site.add_route("/form", Form())

    def numbered(count: int) -> Any:
        app = falcon.App()
        for number in range(count):
            app.add_route(f"/r{number}/{{id:int}}", Numbered(number))
        return app

    return {"site": site, "many": numbered(ROUTES), "one": numbered(1)}


PEERS: dict[str, Callable[[], dict[str, WSGIApplication]]] = {
    "shallot": shallot_apps,
    "poorwsgi": poorwsgi_apps,
    "wheezy": wheezy_apps,
    "werkzeug": werkzeug_apps,
    "bottle": bottle_apps,
    "falcon": falcon_apps,
}
COMPILED = {"falcon"}
GROUPS = [
    ["static route"],
    ["JSON, 2 parameters"],
    ["404"],
    [f"last of {ROUTES} routes", "one-route app"],
    ["form POST + query"],
    ["405"],
]
"""Scenarios timed together, round by round: the two whose ratio is reported share their rounds,
so a change in the machine's load between scenarios cannot skew it."""


# -- running -------------------------------------------------------------------------------------


@dataclass
class Call:
    """One framework's app and the request of one scenario."""

    app: WSGIApplication
    environ: WSGIEnvironment
    body: bytes

    def __call__(self, start_response: StartResponse) -> list[bytes]:
        environ = self.environ.copy()
        environ["wsgi.input"] = io.BytesIO(self.body)
        result = self.app(environ, start_response)
        try:
            return list(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


def ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    """The cheapest start_response a server could offer."""
    return None


def verify(scenario: str, peer: str, call: Call) -> None:
    """Refuse to time an app that does not answer as the scenario expects."""
    status, expected = SCENARIOS[scenario][4:]
    seen: list[Any] = []

    def record(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen[:] = [int(code.split()[0]), {name.lower(): value for name, value in headers}]

    body = b"".join(call(record))
    code, headers = seen
    ok = code == status
    if expected is not None and ok:
        if expected.startswith(b"{"):
            ok = json.loads(body) == json.loads(expected)
        else:
            ok = body == expected and headers.get("content-type", "").startswith("text/plain")
    if peer == "shallot" and status == 405:
        ok = ok and headers.get("allow") == "GET, HEAD, OPTIONS"
    if not ok:
        raise SystemExit(f"{scenario}/{peer}: unexpected answer {code} {headers} {body[:200]!r}")


def time_calls(call: Call, calls: int) -> float:
    """Microseconds per request over ``calls`` requests."""
    started = time.perf_counter()
    for _ in range(calls):
        call(ignore_start)
    return (time.perf_counter() - started) / calls * 1e6


def time_group(
    scenarios: list[str], apps: dict[str, dict[str, WSGIApplication]], rounds: int, sample_ms: float
) -> dict[str, dict[str, float]]:
    """Verify, then time every peer on ``scenarios`` interleaved; median us per scenario, peer."""
    calls: dict[tuple[str, str], Call] = {}
    counts: dict[tuple[str, str], int] = {}
    for scenario in scenarios:
        kind, method, path, query, _, _ = SCENARIOS[scenario]
        for peer in PEERS:
            call = Call(apps[peer][kind], environ_for(method, path, query), FORM_BODY)
            verify(scenario, peer, call)
            calls[scenario, peer] = call
            counts[scenario, peer] = max(5, int(sample_ms * 1000 / max(time_calls(call, 20), 0.1)))
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in calls}
    for _ in range(rounds):
        for key, call in calls.items():
            samples[key].append(time_calls(call, counts[key]))
    return {
        scenario: {peer: statistics.median(samples[scenario, peer]) for peer in PEERS}
        for scenario in scenarios
    }


def main(argv: list[str] | None = None) -> int:
    """Build every peer's apps, verify them, then time the scenarios interleaved."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--sample-ms", type=float, default=40.0)
    parser.add_argument("--only", nargs="*", choices=list(SCENARIOS), default=list(SCENARIOS))
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the peers' own deprecation warnings
        apps = {peer: build() for peer, build in PEERS.items()}
    copy_cost = time_calls(Call(lambda e, s: [], environ_for("GET", "/", ""), b""), 100_000)
    print(
        f"python {sys.version.split()[0]}; {args.rounds} rounds of ~{args.sample_ms:g} ms samples, "
        f"peers interleaved; median us per request\n(each includes a fresh environ and "
        f"wsgi.input: {copy_cost:.2f} us; falcon is partly compiled and shown beside)"
    )
    medians: dict[str, dict[str, float]] = {}
    for group in GROUPS:
        scenarios = [scenario for scenario in group if scenario in args.only]
        if scenarios:
            medians.update(time_group(scenarios, apps, args.rounds, args.sample_ms))
    for scenario, values in medians.items():
        _, method, path, query, _, _ = SCENARIOS[scenario]
        print(f"\n{scenario}: {method} {path}{'?' + query if query else ''}")
        for peer, median in values.items():
            ratio = "" if peer == "shallot" else f"   ours/theirs {values['shallot'] / median:5.2f}"
            note = "  (compiled)" if peer in COMPILED else ""
            print(f"  {peer:<9} {median:8.2f} us {1e6 / median:11,.0f} req/s{ratio}{note}")
    summary(medians)
    return 0


def summary(medians: dict[str, dict[str, float]]) -> None:
    """The ours/theirs table, and the 1,000-routes against one-route ratio of every peer."""
    peers = [peer for peer in PEERS if peer != "shallot"]
    print("\nours/theirs (below 1.00: shallot faster)")
    print(f"  {'scenario':<22}" + "".join(f"{peer:>10}" for peer in peers))
    for scenario, values in medians.items():
        row = "".join(f"{values['shallot'] / values[peer]:10.2f}" for peer in peers)
        print(f"  {scenario:<22}{row}")
    many, one = f"last of {ROUTES} routes", "one-route app"
    if many in medians and one in medians:
        print(f"\n{ROUTES} routes against one (last route / only route, limit for shallot 1.20)")
        print("  " + "   ".join(f"{p} {medians[many][p] / medians[one][p]:.2f}" for p in PEERS))


if __name__ == "__main__":
    sys.exit(main())
