"""response_cache: the profile's policy on each response, and what it tells the middleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.caching import CacheProfile, etag_md5, response_cache
from shallot.http import GeneratorResponse, Request, Response

if TYPE_CHECKING:
    from shallot.http import BaseResponse


def _request(query: str = "") -> Request:
    return Request({"REQUEST_METHOD": "GET", "PATH_INFO": "/r", "QUERY_STRING": query})


def test_policy_fields_and_etag() -> None:
    profile = CacheProfile("public", 60, etag_func=etag_md5, http_vary=["Accept-Language"])

    @response_cache(profile)
    def handler(request: Request, name: str) -> Response:
        return Response(f"hello {name}", headers={"Vary": "Accept-Encoding"})

    request = _request()
    response = handler(request, "you")
    assert handler.__name__ == "handler"
    fields = dict(response.headers.items())
    assert fields["Cache-Control"] == "public, max-age=60"
    assert fields["ETag"] == str(etag_md5([b"hello you"]))
    assert fields["Vary"] == "Accept-Encoding, Accept-Language"
    assert request.environ["shallot.caching.profile"] is profile
    assert "shallot.caching.key" not in request.environ


def test_streams_get_no_etag_from_the_body() -> None:
    @response_cache(CacheProfile("client", 60, etag_func=etag_md5))
    def handler(request: Request) -> BaseResponse:
        return GeneratorResponse(iter([b"x"]))

    request = _request()
    response = handler(request)
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "private, max-age=60"
    assert "shallot.caching.profile" not in request.environ  # client only: nothing to store


def test_the_key_is_computed_where_the_request_is_known() -> None:
    profile = CacheProfile("server", 60, vary_query=["q"])

    @response_cache(profile)
    def handler(request: Request) -> Response:
        return Response("x")

    request = _request("q=1")
    handler(request)
    assert request.environ["shallot.caching.key"] == "GET Q=1 /r"
    assert handler(_request()).headers["Cache-Control"] == "no-cache"


def test_no_profile_means_never_keep() -> None:
    @response_cache()
    def handler(request: Request) -> Response:
        return Response("x")

    request = _request()
    assert handler(request).headers.items() == [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-cache, no-store"),
        ("Pragma", "no-cache"),
        ("Expires", "-1"),
    ]
    assert "shallot.caching.profile" not in request.environ


def test_a_disabled_profile_leaves_the_handler_alone() -> None:
    def handler(request: Request) -> Response:
        return Response("x")

    assert response_cache(CacheProfile("public", enabled=False))(handler) is handler


def test_fields_the_handler_set_are_replaced() -> None:
    @response_cache(CacheProfile("server", 60))
    def handler(request: Request) -> Response:
        return Response("x", headers={"Cache-Control": "public", "Expires": "0"})

    fields = handler(_request()).headers
    assert fields.getall("Cache-Control") == ["no-cache"]
    assert fields.getall("Expires") == ["-1"]
