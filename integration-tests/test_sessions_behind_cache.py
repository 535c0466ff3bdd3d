"""Sessions behind the response cache: a cached page that reads the session is never served to
another client.

The App's chain is the cache first, then the sessions. The sessions middleware marks every answer
whose session was read with ``Vary: Cookie``; the cache keys such answers by the cookie, so each
visitor gets the page made for their own session, while visitors without a session share one
entry. Served by a real server, driven over HTTP with one cookie jar per visitor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from shallot.caching import CacheProfile, MemoryCache, cache_middleware_factory, response_cache
from shallot.http import Response
from shallot.routing import METHOD_POST, App, RoutedRequest
from shallot.sessions import Session, session_middleware

if TYPE_CHECKING:
    from shallot.testing import Serve

SECRET = "behind the cache"


def site(rendered: list[str]) -> App:
    app = App(
        middleware=[cache_middleware_factory, session_middleware(lambda: Session(SECRET))],
        options={"http_cache": MemoryCache()},
    )

    @app.route("/login", METHOD_POST)
    def login(request: RoutedRequest) -> Response:
        request.session["user"] = request.form["user"]
        return Response("in")

    @app.route("/home")
    @response_cache(CacheProfile("server", duration=60))
    def home(request: RoutedRequest) -> Response:
        user = str(request.session.get("user", "stranger"))
        rendered.append(user)
        return Response(f"hello {user}")

    return app


def test_each_visitor_gets_the_page_of_their_own_session(serve: Serve) -> None:
    rendered: list[str] = []
    url = serve(site(rendered))
    with httpx.Client(base_url=url) as ann, httpx.Client(base_url=url) as bob:
        assert ann.post("/login", data={"user": "ann"}).text == "in"
        assert bob.post("/login", data={"user": "bob"}).text == "in"
        first = ann.get("/home")
        assert first.text == "hello ann"
        assert "cookie" in first.headers["Vary"].lower()
        assert bob.get("/home").text == "hello bob"
        assert ann.get("/home").text == "hello ann"
        assert bob.get("/home").text == "hello bob"
    with httpx.Client(base_url=url) as stranger, httpx.Client(base_url=url) as another:
        assert stranger.get("/home").text == "hello stranger"
        assert another.get("/home").text == "hello stranger"
    assert sorted(rendered) == ["ann", "bob", "stranger"]
