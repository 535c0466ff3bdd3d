"""CachedResponse: what is kept of an answer, and how it answers again."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from shallot.caching import CachedEntryResponse, CachedResponse
from shallot.http import ETag

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.testing import Call

LAST = "Tue, 20 Sep 2011 15:00:00 GMT"


def _entry() -> CachedResponse:
    return CachedResponse.capture(
        "200 OK",
        [
            ("Content-Type", "text/plain"),
            ("Content-Length", "999"),
            ("Set-Cookie", "a=1"),
            ("ETag", '"v1"'),
            ("Last-Modified", LAST),
            ("Cache-Control", "public, max-age=60"),
        ],
        b"body",
    )


def _app(
    entry: CachedResponse,
) -> Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]:
    return entry.serve


def test_capture_keeps_what_may_be_sent_to_anyone() -> None:
    entry = _entry()
    assert entry.headers == (
        ("Content-Type", "text/plain"),
        ("ETag", '"v1"'),
        ("Last-Modified", LAST),
        ("Cache-Control", "public, max-age=60"),
        ("Content-Length", "4"),
    )
    assert entry.etag == ETag("v1")
    assert entry.last_modified == datetime(2011, 9, 20, 15, tzinfo=timezone.utc)
    assert entry.validated
    assert entry.size == 4 + sum(len(n) + len(v) + 4 for n, v in entry.headers)


def test_malformed_validators_are_ignored() -> None:
    entry = CachedResponse.capture("200 OK", [("ETag", "bare"), ("Last-Modified", "soon")], b"")
    assert (entry.etag, entry.last_modified, entry.validated) == (None, None, False)


def test_serving(call: Call) -> None:
    app = _app(_entry())
    reply = call(app, "/")
    assert (reply.status, reply.body, reply.headers["Content-Length"]) == (
        200,
        b"body",
        "4",
    )
    assert call(app, "/", "HEAD").body == b""
    assert call(app, "/", headers={"If-None-Match": 'W/"v1"'}).status == 304
    assert call(app, "/", headers={"If-None-Match": '"v2"'}).status == 200
    assert (
        call(app, "/", headers={"If-None-Match": '"v2"', "If-Modified-Since": LAST}).status == 200
    )
    not_modified = call(app, "/", headers={"If-Modified-Since": LAST})
    assert (not_modified.status, not_modified.headers["Cache-Control"]) == (
        304,
        "public, max-age=60",
    )
    assert not_modified.headers["Content-Type"] is None
    unvalidated = CachedResponse("200 OK", (("Content-Type", "text/plain"),), b"x")
    assert call(_app(unvalidated), "/", headers={"If-None-Match": "*"}).status == 200


def test_entry_response_for_the_app_chain(call: Call) -> None:
    response = CachedEntryResponse(_entry())
    assert response.status_code == 200
    assert response.content_type == "text/plain"
    assert call(response, "/").body == b"body"
    response.headers["X-Added"] = "yes"
    response.content_type = "text/csv"
    reply = call(response, "/")
    assert (reply.headers["X-Added"], reply.headers["Content-Type"]) == (
        "yes",
        "text/csv",
    )
    assert call(response, "/", headers={"If-None-Match": '"v1"'}).status == 304
    response.content_type = None
    assert response.content_type is None
    bare = CachedEntryResponse(CachedResponse("200 OK", (), b""))
    assert bare.content_type is None
