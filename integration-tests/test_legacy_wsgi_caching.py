"""A plain WSGI application inside the App's handler chain, cached through environ keys.

Wheezy's ``WSGIAdapterMiddleware`` with its ``EnvironCacheAdapterMiddleware``, the shallot way: the
legacy application is mounted with ``shallot.routing.mount_wsgi`` behind the response cache of
``shallot.caching`` (``cache_middleware_factory``), and tells the cache what to do the only way a
WSGI application can, through its environ: ``shallot.caching.profile`` (keep this answer),
``shallot.caching.policy`` (send these caching headers) and ``shallot.caching.dependency`` (drop
the entry when this master key is deleted). Served by a real server, driven over HTTP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.caching import (
    DEPENDENCY_ENVIRON_KEY,
    POLICY_ENVIRON_KEY,
    PROFILE_ENVIRON_KEY,
    CacheDependency,
    CachePolicy,
    CacheProfile,
    MemoryCache,
    cache_middleware_factory,
)
from shallot.routing import App, RoutedRequest, mount_wsgi
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.testing import Serve

PAGES = CacheProfile("server", duration=60)


class Legacy:
    """A WSGI application knowing nothing of shallot but the environ keys; counts its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        self.calls.append(path)
        if path == "/page":
            environ[PROFILE_ENVIRON_KEY] = PAGES
            environ[DEPENDENCY_ENVIRON_KEY] = ["pages"]
        elif path == "/headers":
            policy = CachePolicy("public")
            policy.max_age(300)
            environ[POLICY_ENVIRON_KEY] = policy
        body = f"legacy {path} #{len(self.calls)}".encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Legacy", "1")])
        return iter([body])


def site(legacy: Legacy, cache: MemoryCache) -> App:
    app = App(
        middleware=[cache_middleware_factory, mount_wsgi("/legacy", legacy)],
        options={"http_cache": cache},
    )

    @app.route("/prices/changed")
    def prices_changed(request: RoutedRequest) -> tuple[str, str]:
        CacheDependency(cache, namespace=PAGES.namespace).delete("pages")
        return "dropped", "text/plain"

    return app


def test_a_profile_set_in_the_environ_makes_the_next_request_a_hit(serve: Serve) -> None:
    legacy = Legacy()
    url = serve(site(legacy, MemoryCache()))
    first = fetch(url, "/legacy/page")
    second = fetch(url, "/legacy/page")
    assert first.status == second.status == 200
    assert first.body == second.body == b"legacy /page #1"
    assert second.headers["X-Legacy"] == "1"
    assert legacy.calls == ["/page"]


def test_a_dependency_set_in_the_environ_drops_the_entry(serve: Serve) -> None:
    legacy = Legacy()
    url = serve(site(legacy, MemoryCache()))
    assert fetch(url, "/legacy/page").body == b"legacy /page #1"
    assert fetch(url, "/legacy/page").body == b"legacy /page #1"
    assert fetch(url, "/prices/changed").body == b"dropped"
    assert fetch(url, "/legacy/page").body == b"legacy /page #2"
    assert fetch(url, "/legacy/page").body == b"legacy /page #2"
    assert legacy.calls == ["/page", "/page"]


def test_a_policy_set_in_the_environ_is_sent_and_nothing_is_kept(serve: Serve) -> None:
    legacy = Legacy()
    url = serve(site(legacy, MemoryCache()))
    first = fetch(url, "/legacy/headers")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert fetch(url, "/legacy/headers").body == b"legacy /headers #2"
    assert legacy.calls == ["/headers", "/headers"]


def test_without_environ_keys_the_legacy_answer_is_never_kept(serve: Serve) -> None:
    legacy = Legacy()
    url = serve(site(legacy, MemoryCache()))
    assert fetch(url, "/legacy/plain").body == b"legacy /plain #1"
    assert fetch(url, "/legacy/plain").body == b"legacy /plain #2"
    assert "Cache-Control" not in fetch(url, "/legacy/plain").headers
