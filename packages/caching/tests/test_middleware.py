"""CacheMiddleware (WSGI) and the App-chain middleware: hits never reach the app, 304s, what is
not stored, failing backends, and the real server."""

from __future__ import annotations

import logging
import sys
import threading
from contextlib import closing
from typing import TYPE_CHECKING

import pytest

from shallot.caching import (
    CacheDependency,
    CacheMiddleware,
    CachePolicy,
    CacheProfile,
    ChainCacheMiddleware,
    InvalidCacheProfile,
    MemcachedCache,
    MemoryCache,
    RedisCache,
    cache_middleware_factory,
    depends_on,
    etag_md5,
    gzip_transform,
    response_cache,
)
from shallot.http import BaseResponse, GeneratorResponse, Response
from shallot.routing import METHOD_POST, App, response_transforms
from shallot.testing import MemcachedServer, fetch, free_port, require_service

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.caching import Cache
    from shallot.routing import MiddlewareFactory, RoutedRequest
    from shallot.testing import Call, Reply, Serve

PUBLIC = CacheProfile("public", duration=600, vary_query=["page"])
SERVER = CacheProfile("server", duration=600)
TAGGED = CacheProfile("both", duration=600, etag_func=etag_md5)
TEXT = "text/plain; charset=utf-8"
LONG = "word " * 400


class Shop:
    """An App counting how often each handler runs."""

    def __init__(
        self,
        *,
        middleware: Iterable[MiddlewareFactory] = (),
        cache: Cache | None = None,
    ):
        options = {} if cache is None else {"http_cache": cache}
        self.app = App(middleware=middleware, options=options)
        self.calls: dict[str, int] = {}
        app = self.app

        @app.route("/page")
        @response_cache(PUBLIC)
        def page(request: RoutedRequest) -> Response:
            self.count("page")
            return Response(f"page {request.args.get('page')}", TEXT)

        @app.route("/tagged")
        @response_cache(TAGGED)
        def tagged(request: RoutedRequest) -> Response:
            self.count("tagged")
            return Response("tagged body", TEXT)

        @app.route("/cookie")
        @response_cache(SERVER)
        def cookie(request: RoutedRequest) -> Response:
            self.count("cookie")
            response = Response("with cookie", TEXT)
            response.headers.add("Set-Cookie", "session=secret")
            return response

        @app.route("/missing")
        @response_cache(SERVER)
        def missing(request: RoutedRequest) -> Response:
            self.count("missing")
            return Response("not here", TEXT, status_code=404)

        @app.route("/star")
        @response_cache(SERVER)
        def star(request: RoutedRequest) -> Response:
            self.count("star")
            return Response("varies on all", TEXT, headers={"Vary": "*"})

        @app.route("/plain")
        def plain(request: RoutedRequest) -> Response:
            self.count("plain")
            return Response("no profile", TEXT)

        @app.route("/stream")
        @response_cache(SERVER)
        def stream(request: RoutedRequest) -> GeneratorResponse:
            self.count("stream")
            return GeneratorResponse(iter([b"one ", b"two ", b"three"]), TEXT)

        @app.route("/compressed")
        @response_cache(SERVER)
        @response_transforms(gzip_transform(min_length=100))
        def compressed(request: RoutedRequest) -> Response:
            self.count("compressed")
            return Response(LONG, TEXT)

        @app.route("/goods")
        @response_cache(SERVER)
        def goods(request: RoutedRequest) -> Response:
            self.count("goods")
            depends_on(request, "goods")
            return Response("goods", TEXT)

    def count(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1


@pytest.fixture
def shop() -> Shop:
    return Shop()


@pytest.fixture
def cached(shop: Shop) -> CacheMiddleware:
    return CacheMiddleware(shop.app, MemoryCache())


def test_hits_do_not_reach_the_app(shop: Shop, cached: CacheMiddleware, call: Call) -> None:
    first = call(cached, "/page?page=2")
    assert (first.status, first.body) == (200, b"page 2")
    for _ in range(3):
        again = call(cached, "/page?page=2&utm=x")
        assert again.body == b"page 2"
        assert again.headers.items() == first.headers.items()
    assert shop.calls["page"] == 1
    assert call(cached, "/page?page=3").body == b"page 3"
    assert call(cached, "/page").body == b"page None"
    assert shop.calls["page"] == 3


def test_head_is_answered_from_the_get_entry_but_never_stored(
    shop: Shop, cached: CacheMiddleware, call: Call
) -> None:
    head = call(cached, "/page", "HEAD")
    assert (head.status, head.body) == (200, b"")
    assert call(cached, "/page", "HEAD").status == 200
    assert shop.calls["page"] == 2
    call(cached, "/page")
    reply = call(cached, "/page", "HEAD")
    assert (reply.status, reply.body, reply.headers["Content-Length"]) == (
        200,
        b"",
        "9",
    )
    assert shop.calls["page"] == 3


def test_conditional_requests_against_the_entry(
    shop: Shop, cached: CacheMiddleware, call: Call
) -> None:
    first = call(cached, "/tagged")
    etag = first.headers["ETag"]
    assert etag == f'"{etag_md5([b"tagged body"]).value}"'
    not_modified = call(cached, "/tagged", headers={"If-None-Match": etag})
    assert (not_modified.status, not_modified.body) == (304, b"")
    assert not_modified.headers["ETag"] == etag
    assert "Content-Length" not in not_modified.headers
    assert call(cached, "/tagged", headers={"If-None-Match": '"other"'}).status == 200
    since = call(cached, "/tagged", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status == 304
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert call(cached, "/tagged", headers={"If-Modified-Since": earlier}).status == 200
    assert shop.calls["tagged"] == 1


def test_set_cookie_is_not_stored(shop: Shop, cached: CacheMiddleware, call: Call) -> None:
    assert call(cached, "/cookie").headers["Set-Cookie"] == "session=secret"
    hit = call(cached, "/cookie")
    assert (hit.body, hit.headers["Set-Cookie"]) == (b"with cookie", None)
    assert shop.calls["cookie"] == 1


@pytest.mark.parametrize(
    ("target", "method", "name"),
    [
        ("/missing", "GET", "missing"),  # not a 200
        ("/star", "GET", "star"),  # Vary: *
        ("/plain", "GET", "plain"),  # no profile, no default
        ("/page", "POST", "page"),  # the route takes GET only: 405, not stored
    ],
)
def test_answers_that_are_not_stored(
    shop: Shop,
    cached: CacheMiddleware,
    call: Call,
    target: str,
    method: str,
    name: str,
) -> None:
    for _ in range(2):
        call(cached, target, method)
    assert shop.calls.get(name, 0) == (0 if method == "POST" else 2)


def test_streams_are_recorded_as_they_are_sent(
    shop: Shop, cached: CacheMiddleware, call: Call
) -> None:
    assert call(cached, "/stream").body == b"one two three"
    hit = call(cached, "/stream")
    assert (hit.body, hit.headers["Content-Length"]) == (b"one two three", "13")
    assert shop.calls["stream"] == 1


def test_a_stream_closed_early_or_too_long_is_not_stored(shop: Shop) -> None:
    middleware = CacheMiddleware(shop.app, MemoryCache(), max_entry_bytes=8)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/stream", "SCRIPT_NAME": ""}
    started: list[str] = []

    def start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> object:
        started.append(status)
        return None

    body = middleware(dict(environ), start)  # type: ignore[arg-type]
    assert b"".join(body) == b"one two three"  # too long for the entry
    body = CacheMiddleware(shop.app, MemoryCache())(dict(environ), start)  # type: ignore[arg-type]
    iterator = iter(body)
    assert next(iterator) == b"one "
    body.close()  # type: ignore[attr-defined]  # the client went away
    middleware(dict(environ), start)  # type: ignore[arg-type]
    assert shop.calls["stream"] == 3


def test_compressed_entries_only_go_to_gzip_clients(
    shop: Shop, cached: CacheMiddleware, call: Call
) -> None:
    gzip = {"Accept-Encoding": "gzip"}
    first = call(cached, "/compressed", headers=gzip)
    assert first.headers["Content-Encoding"] == "gzip"
    identity = call(cached, "/compressed")
    assert identity.headers["Content-Encoding"] is None
    assert identity.body == LONG.encode()
    assert shop.calls["compressed"] == 2
    for _ in range(2):
        assert call(cached, "/compressed", headers=gzip).body == first.body
        assert call(cached, "/compressed", headers={"Accept-Encoding": "br"}).body == identity.body
        assert call(cached, "/compressed", headers={"Accept-Encoding": "gzip;q=0"}).body == (
            identity.body
        )
    assert shop.calls["compressed"] == 2


def test_dependencies_invalidate_entries(shop: Shop, call: Call) -> None:
    cache = MemoryCache()
    middleware = CacheMiddleware(shop.app, cache)
    call(middleware, "/goods")
    call(middleware, "/goods")
    assert shop.calls["goods"] == 1
    CacheDependency(cache).delete("goods")
    call(middleware, "/goods")
    assert shop.calls["goods"] == 2


def test_no_dependency_record_no_entry(shop: Shop, call: Call) -> None:
    class NoCounter(MemoryCache):
        def incr(
            self,
            key: str,
            delta: int = 1,
            namespace: str | None = None,
            initial_value: int | None = None,
        ) -> int | None:
            return None

    middleware = CacheMiddleware(shop.app, NoCounter())
    call(middleware, "/goods")
    call(middleware, "/goods")
    assert shop.calls["goods"] == 2


def test_a_redis_nobody_runs_still_answers(
    shop: Shop, call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    backend = RedisCache(f"redis://127.0.0.1:{free_port()}/0")
    middleware = CacheMiddleware(shop.app, backend)
    with caplog.at_level(logging.WARNING, logger="shallot.caching"):
        for _ in range(3):
            reply = call(middleware, "/page?page=1")
            assert (reply.status, reply.body) == (200, b"page 1")
    assert shop.calls["page"] == 3
    assert len(caplog.records) == 1
    backend.close()


def test_a_stopped_memcached_still_answers(shop: Shop, call: Call) -> None:
    executable = require_service("memcached", "apt-get install memcached")
    with (
        MemcachedServer(executable) as server,
        closing(MemcachedCache(server.address, timeout=0.5)) as backend,
    ):
        middleware = CacheMiddleware(shop.app, backend)
        call(middleware, "/page")
        assert call(middleware, "/page").status == 200
        assert shop.calls["page"] == 1
        server.stop()
        for _ in range(2):
            assert call(middleware, "/page?page=4").body == b"page 4"
        assert shop.calls["page"] == 3


def test_shared_backends_serve_hits(backend: Cache, shop: Shop, call: Call) -> None:
    middleware = CacheMiddleware(shop.app, backend)
    for _ in range(3):
        assert call(middleware, "/tagged").body == b"tagged body"
        assert call(middleware, "/stream").body == b"one two three"
    assert (shop.calls["tagged"], shop.calls["stream"]) == (1, 1)


def _plain_app(calls: list[str], headers: list[tuple[str, str]]) -> WSGIApplication:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        calls.append(environ["REQUEST_METHOD"])
        start_response("200 OK", [("Content-Type", "text/plain"), *headers])
        return [b"plain ", b"app"]

    return app


def test_default_profile_caches_every_get(call: Call) -> None:
    calls: list[str] = []
    middleware = CacheMiddleware(_plain_app(calls, []), MemoryCache(), PUBLIC)
    first = call(middleware, "/any?page=1")
    assert first.headers["Cache-Control"] == "public, max-age=600"
    assert call(middleware, "/any?page=1").body == b"plain app"
    head = call(middleware, "/other", "HEAD")
    assert head.headers["Cache-Control"] == "public, max-age=600"
    call(middleware, "/any", "POST")
    call(middleware, "/any", "POST")
    assert calls == ["GET", "HEAD", "POST", "POST"]


@pytest.mark.parametrize(
    ("control", "stored"),
    [("no-store", False), ("private, max-age=5", False), ("public, max-age=5", True)],
)
def test_default_profile_respects_the_apps_own_cache_control(
    call: Call, control: str, stored: bool
) -> None:
    calls: list[str] = []
    middleware = CacheMiddleware(
        _plain_app(calls, [("Cache-Control", control)]), MemoryCache(), SERVER
    )
    call(middleware, "/")
    assert call(middleware, "/").headers["Cache-Control"] == control
    assert len(calls) == (1 if stored else 2)


def test_default_profile_must_cache_on_the_server() -> None:
    with pytest.raises(InvalidCacheProfile, match="must cache on the server"):
        CacheMiddleware(_plain_app([], []), MemoryCache(), CacheProfile("client", 60))


def test_a_plain_app_can_name_profile_policy_and_dependency(
    call: Call,
) -> None:
    calls: list[str] = []
    policy = CachePolicy("public")
    policy.max_age(30)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        calls.append("app")
        environ["shallot.caching.profile"] = SERVER
        environ["shallot.caching.policy"] = policy
        environ["shallot.caching.dependency"] = ["plain"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"named"]

    cache = MemoryCache()
    middleware = CacheMiddleware(app, cache)
    assert call(middleware, "/").headers["Cache-Control"] == "public, max-age=30"
    assert call(middleware, "/").headers["Cache-Control"] == "public, max-age=30"
    assert calls == ["app"]
    CacheDependency(cache).delete("plain")
    call(middleware, "/")
    assert calls == ["app", "app"]


def test_lazy_start_response_and_write(call: Call) -> None:
    calls: list[str] = []

    def lazy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        calls.append("lazy")
        environ["shallot.caching.profile"] = SERVER
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"late"

    def writer(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        calls.append("writer")
        environ["shallot.caching.profile"] = SERVER
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written ")
        return [b"returned"]

    for app in (lazy, writer):
        middleware = CacheMiddleware(app, MemoryCache())
        call(middleware, "/")
        call(middleware, "/")
    assert calls == ["lazy", "writer", "writer"]  # what write() sent cannot be replayed


def test_form_vary_reads_the_body_once_for_both(call: Call) -> None:
    profile = CacheProfile("server", 60, vary_form=["q"])
    app = App()
    seen: list[str | None] = []

    @app.route("/search", METHOD_POST)
    @response_cache(profile)
    def search(request: RoutedRequest) -> Response:
        seen.append(request.form.get("q"))
        return Response(f"found {request.form.get('q')} {request.form.get('other')}", TEXT)

    middleware = CacheMiddleware(app, MemoryCache())
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert call(middleware, "/search", "POST", form, b"q=a&other=1").body == b"found a 1"
    assert call(middleware, "/search", "POST", form, b"q=a&other=2").body == b"found a 1"
    assert call(middleware, "/search", "POST", form, b"q=b&other=3").body == b"found b 3"
    assert call(middleware, "/search", "POST", form, b"other=4").body == b"found None 4"
    assert call(middleware, "/search", "POST", form, b"q=&other=5").body == b"found  5"
    assert seen == ["a", "b", None, ""]


def test_concurrent_hits_over_a_real_server(shop: Shop, serve: Serve) -> None:
    base = serve(CacheMiddleware(shop.app, MemoryCache()))
    assert fetch(base, "/tagged").status == 200
    replies: list[Reply] = []

    def get() -> None:
        replies.append(fetch(base, "/tagged"))

    threads = [threading.Thread(target=get) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [(reply.status, reply.body) for reply in replies] == [(200, b"tagged body")] * 8
    assert shop.calls["tagged"] == 1
    head = fetch(base, "/tagged", "HEAD")
    assert (head.status, head.body, head.headers["Content-Length"]) == (200, b"", "11")


def test_the_app_chain_middleware(call: Call) -> None:
    cache = MemoryCache()
    shop = Shop(middleware=[cache_middleware_factory], cache=cache)
    for _ in range(3):
        assert call(shop.app, "/page?page=1").body == b"page 1"
        assert call(shop.app, "/stream").body == b"one two three"
        assert call(shop.app, "/plain").body == b"no profile"
    assert (shop.calls["page"], shop.calls["stream"], shop.calls["plain"]) == (1, 1, 3)
    tag = call(shop.app, "/tagged").headers["ETag"]
    assert call(shop.app, "/tagged", headers={"If-None-Match": tag}).status == 304
    head = call(shop.app, "/page?page=1", "HEAD")
    assert (head.status, head.body) == (200, b"")
    assert shop.calls["page"] == 1


def test_after_hooks_still_change_hits(call: Call) -> None:
    shop = Shop(middleware=[cache_middleware_factory], cache=MemoryCache())

    @shop.app.after_response()
    def stamp(request: RoutedRequest, response: BaseResponse) -> BaseResponse:
        response.headers["X-Stamp"] = response.content_type or "none"
        return response

    call(shop.app, "/tagged")
    hit = call(shop.app, "/tagged")
    assert hit.headers["X-Stamp"] == TEXT
    assert shop.calls["tagged"] == 1


def test_chain_default_profile_through_options(call: Call) -> None:
    app = App(
        middleware=[cache_middleware_factory],
        options={"http_cache": MemoryCache(), "http_cache_profile": SERVER},
    )
    calls: list[int] = []

    @app.route("/")
    def index(request: RoutedRequest) -> Response:
        calls.append(1)
        return Response("index", TEXT)

    first = call(app, "/")
    assert first.headers["Cache-Control"] == "no-cache"
    assert call(app, "/").headers["Cache-Control"] == "no-cache"
    assert calls == [1]


def test_factory_options_are_checked() -> None:
    with pytest.raises(KeyError, match="http_cache"):
        cache_middleware_factory({})
    with pytest.raises(TypeError, match="must be a CacheProfile"):
        cache_middleware_factory({"http_cache": MemoryCache(), "http_cache_profile": "server"})
    factory: MiddlewareFactory = cache_middleware_factory  # type-checks as routing's factory
    assert isinstance(factory({"http_cache": MemoryCache()}), ChainCacheMiddleware)


def test_an_error_answer_with_exc_info_is_not_stored(call: Call) -> None:
    calls: list[str] = []

    def failing(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        calls.append("app")
        environ["shallot.caching.profile"] = SERVER
        try:
            raise RuntimeError("broken")
        except RuntimeError:
            start_response("200 OK", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"recovered"]

    middleware = CacheMiddleware(failing, MemoryCache())
    call(middleware, "/")
    call(middleware, "/")
    assert calls == ["app", "app"]


def test_the_chain_stores_only_what_was_sent_as_a_200(call: Call) -> None:
    app = App(middleware=[cache_middleware_factory], options={"http_cache": MemoryCache()})
    calls: list[int] = []

    @app.route("/ranged")
    @response_cache(SERVER)
    def ranged(request: RoutedRequest) -> Response:
        calls.append(1)
        response = Response("0123456789", TEXT)
        response.make_partial()
        return response

    part = call(app, "/ranged", headers={"Range": "bytes=0-3"})
    assert (part.status, part.body) == (206, b"0123")
    assert call(app, "/ranged").body == b"0123456789"
    assert call(app, "/ranged").body == b"0123456789"
    assert calls == [1, 1]
