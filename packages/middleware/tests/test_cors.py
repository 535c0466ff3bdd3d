"""CORS: allowed origins get the headers, preflights answered without the application, Vary."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.middleware import CORS

if TYPE_CHECKING:
    from collections.abc import Callable

    from _typeshed.wsgi import WSGIEnvironment

    from packages.middleware.tests.conftest import Send

SITE = "https://app.example"
calls: list[str] = []


def app(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    calls.append(environ["REQUEST_METHOD"])
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/plain"),
            ("Vary", "Accept-Encoding"),
            ("Access-Control-Allow-Origin", "https://stale.example"),
        ],
    )
    return [b"data"]


@pytest.fixture(autouse=True)
def _forget_calls() -> None:
    calls.clear()


def preflight(method: str = "PUT", headers: str = "") -> dict[str, str]:
    request = {"Origin": SITE, "Access-Control-Request-Method": method}
    if headers:
        request["Access-Control-Request-Headers"] = headers
    return request


def test_allowed_origin(send: Send) -> None:
    cors = CORS(app, [SITE], expose_headers=["X-Total"], credentials=True)
    answer = send(cors, "/", headers={"Origin": SITE})
    assert answer.body == b"data"
    assert answer.header("Access-Control-Allow-Origin") == SITE
    assert answer.header("Access-Control-Allow-Credentials") == "true"
    assert answer.header("Access-Control-Expose-Headers") == "X-Total"
    assert answer.header("Vary") == "Accept-Encoding, Origin"
    assert [v for k, v in answer.headers if k == "Access-Control-Allow-Origin"] == [SITE]


def test_other_origin_and_no_origin_vary_only(send: Send) -> None:
    cors = CORS(app, [SITE])
    for headers in ({"Origin": "https://evil.example"}, {}):
        answer = send(cors, "/", headers=headers)
        assert answer.header("Vary") == "Accept-Encoding, Origin"
        assert answer.header("Access-Control-Allow-Origin") == "https://stale.example"


def test_any_origin(send: Send) -> None:
    cors = CORS(app, "*")
    answer = send(cors, "/", headers={"Origin": SITE})
    assert answer.header("Access-Control-Allow-Origin") == "*"
    assert answer.header("Vary") == "Accept-Encoding"
    with_credentials = CORS(app, "*", credentials=True)
    echoed = send(with_credentials, "/", headers={"Origin": SITE})
    assert echoed.header("Access-Control-Allow-Origin") == SITE
    assert echoed.header("Vary") == "Accept-Encoding, Origin"


def test_predicate(send: Send) -> None:
    cors = CORS(app, lambda origin: origin.endswith(".example"))
    assert send(cors, headers={"Origin": SITE}).header("Access-Control-Allow-Origin") == SITE
    refused = send(cors, headers={"Origin": "https://x.test"})
    assert refused.header("Access-Control-Allow-Origin") == "https://stale.example"


def test_preflight_answered_without_the_application(send: Send) -> None:
    cors = CORS(
        app,
        [SITE.upper()],
        methods=["GET", "PUT", "DELETE"],
        headers=["Content-Type", "X-Token"],
        credentials=True,
        max_age=600,
    )
    answer = send(cors, "/", "OPTIONS", headers=preflight("PUT", "x-token, content-type"))
    assert (answer.status, answer.body) == (204, b"")
    assert answer.header("Access-Control-Allow-Origin") == SITE
    assert answer.header("Access-Control-Allow-Methods") == "GET, PUT, DELETE"
    assert answer.header("Access-Control-Allow-Headers") == "Content-Type, X-Token"
    assert answer.header("Access-Control-Allow-Credentials") == "true"
    assert answer.header("Access-Control-Max-Age") == "600"
    assert answer.header("Vary") == (
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
    )
    assert calls == []
    assert send(cors, "/", "OPTIONS", headers=preflight("POST")).status == 204  # safelisted


@pytest.mark.parametrize(
    ("request_headers", "reason"),
    [
        ({"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}, b"origin"),
        (preflight("PATCH"), b"method"),
        (preflight("PUT", "X-Other"), b"request header"),
    ],
)
def test_refused_preflight_is_403(
    send: Send, request_headers: dict[str, str], reason: bytes
) -> None:
    cors = CORS(app, [SITE], methods=["PUT"], headers=["X-Token"])
    answer = send(cors, "/", "OPTIONS", headers=request_headers)
    assert answer.status == 403
    assert reason + b" not allowed" in answer.body
    assert answer.header("Access-Control-Allow-Origin") is None
    assert answer.header("Vary") == "Origin"
    assert calls == []


def test_wildcards_echo_what_was_asked(send: Send) -> None:
    cors = CORS(app, "*", methods="*", headers="*")
    answer = send(cors, "/", "OPTIONS", headers=preflight("PURGE", "X-A, X-B"))
    assert answer.header("Access-Control-Allow-Methods") == "PURGE"
    assert answer.header("Access-Control-Allow-Headers") == "X-A, X-B"
    assert answer.header("Access-Control-Allow-Origin") == "*"


def test_plain_options_reaches_the_application(send: Send) -> None:
    cors = CORS(app, [SITE])
    assert send(cors, "/", "OPTIONS", headers={"Origin": SITE}).body == b"data"
    assert send(cors, "/", "OPTIONS").body == b"data"
    assert calls == ["OPTIONS", "OPTIONS"]


def test_vary_star_is_kept(send: Send) -> None:
    def starred(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), ("Vary", "*")])
        return [b""]

    assert send(CORS(starred, [SITE]), "/").header("Vary") == "*"


@pytest.mark.parametrize(
    "options",
    [
        {"max_age": -1},
        {"methods": ["GET, PUT"]},
        {"headers": [""]},
        {"expose_headers": ["X\nY"]},
        {"origins": "https://one.example"},
    ],
)
def test_bad_options(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # each has its own message
        CORS(app, **options)  # type: ignore[arg-type]  # wrong on purpose
