"""ResponseStore: keys with the fields answers vary on, what it learns per path, odd values."""

from __future__ import annotations

import io

from shallot.caching import CacheProfile, MemoryCache, ResponseStore
from shallot.caching.store import Capture

PROFILE = CacheProfile("server", 60, vary_query=["q"])


def _environ(path: str = "/p", query: str = "", **fields: str) -> dict[str, object]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "shallot.caching.profile": PROFILE,
        "wsgi.input": io.BytesIO(),
        **fields,
    }


def _store(store: ResponseStore, environ: dict[str, object], headers: list[tuple[str, str]]) -> str:
    capture = Capture()
    capture.status = "200 OK"
    capture.headers = headers
    capture.plan = store.plan(environ, "200 OK", headers)
    assert capture.plan is not None
    store.record(capture, [b"body"])
    return capture.plan.key


def test_keys_carry_the_fields_answers_vary_on() -> None:
    store = ResponseStore(MemoryCache())
    key = _store(
        store,
        _environ(query="q=1", HTTP_ACCEPT_LANGUAGE="fr fr", HTTP_ACCEPT_ENCODING="gzip"),
        [("Vary", "Accept-Language"), ("Content-Encoding", "gzip")],
    )
    assert key == "GET Q=1Hg&=fr%20fr /p"
    assert store.lookup(
        _environ(query="q=1", HTTP_ACCEPT_LANGUAGE="fr fr", HTTP_ACCEPT_ENCODING="gzip")
    )
    assert (
        store.lookup(_environ(query="q=1", HTTP_ACCEPT_LANGUAGE="en", HTTP_ACCEPT_ENCODING="gzip"))
        is None
    )
    assert store.lookup(_environ(query="q=1", HTTP_ACCEPT_ENCODING="gzip")) is None


def test_vary_fields_learned_per_path_only_grow() -> None:
    store = ResponseStore(MemoryCache())
    _store(store, _environ(), [("Vary", "Cookie")])
    key = _store(store, _environ(HTTP_COOKIE="a=1"), [("Vary", "Accept")])
    assert key == "GET Q!H!&=a%3D1 /p"


def test_the_memory_of_paths_is_bounded() -> None:
    store = ResponseStore(MemoryCache(), max_routes=2)
    for path in ("/a", "/b", "/c"):
        _store(store, _environ(path), [])
    assert store.lookup(_environ("/c")) is not None
    assert store.lookup(_environ("/a")) is None  # forgotten


def test_a_foreign_value_under_the_key_is_a_miss() -> None:
    cache = MemoryCache()
    store = ResponseStore(cache)
    key = _store(store, _environ(), [])
    cache.set(key, "not a response")
    assert store.lookup(_environ()) is None


def test_a_bad_form_body_is_a_miss_not_an_error() -> None:
    profile = CacheProfile("server", 60, vary_form=["f"])
    store = ResponseStore(MemoryCache())
    environ = _environ(CONTENT_TYPE="application/x-www-form-urlencoded")
    environ["REQUEST_METHOD"] = "POST"
    environ["shallot.caching.profile"] = profile
    environ["shallot.caching.key"] = "POST F=1 /p"
    _store(store, environ, [])
    bad = dict(environ, CONTENT_LENGTH="nonsense", **{"wsgi.input": io.BytesIO(b"f=1")})
    assert store.lookup(bad) is None
    good = dict(environ, CONTENT_LENGTH="3", **{"wsgi.input": io.BytesIO(b"f=1")})
    assert store.lookup(good) is not None
    body = good["wsgi.input"]
    assert isinstance(body, io.BytesIO)
    assert body.read() == b"f=1"  # put back for the application


def test_the_store_is_concerned_only_when_something_asks_for_caching() -> None:
    bare = ResponseStore(MemoryCache())
    assert not bare.concerns({"REQUEST_METHOD": "GET", "PATH_INFO": "/"})
    assert bare.concerns({"shallot.caching.profile": CacheProfile("server", duration=60)})
    assert bare.concerns({"shallot.caching.policy": None})
    assert ResponseStore(MemoryCache(), CacheProfile("public", duration=60)).concerns({})
    unasked = [("Content-Type", "text/plain")]
    assert bare.plan({"REQUEST_METHOD": "GET"}, "200 OK", unasked) is None
    assert unasked == [("Content-Type", "text/plain")]
