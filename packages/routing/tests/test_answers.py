"""Prepared answers: what routing sends without a response object, and the response made from one
for middleware and after hooks; the prebuilt 404 and 405 among them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.http import BaseResponse, Response, not_found
from shallot.routing import App
from shallot.routing.answers import as_response, prepare
from shallot.testing import make_environ

if TYPE_CHECKING:
    from collections.abc import Callable

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse

    from shallot.testing import Call


def sent(response: BaseResponse, method: str = "GET") -> tuple[str, list[tuple[str, str]], bytes]:
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, fields: list[tuple[str, str]], _: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        started.append((status, fields))
        return print

    body = b"".join(response(make_environ("/", method), start_response))
    ((status, fields),) = started
    return status, fields, body


def test_a_prepared_response_is_what_it_sends_and_makes_the_same_response_again() -> None:
    response = Response("café", "text/plain; charset=utf-8", [("X-Id", "7")], 201)
    prepared = prepare(response)
    assert prepared == sent(response)
    assert prepared[0] == "201 Created"
    assert prepared[2] == "café".encode()
    assert sent(as_response(prepared)) == prepared
    assert sent(as_response(prepared), "HEAD") == (*prepared[:2], b"")
    assert as_response(response) is response


def test_a_response_that_writes_cannot_be_prepared() -> None:
    def writing(
        environ: object, start_response: Callable[..., Callable[[bytes], object]]
    ) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])(b"written")
        return []

    with pytest.raises(TypeError, match="not what it writes"):
        prepare(writing)  # type: ignore[arg-type]  # a WSGI app, not a BaseResponse


@pytest.mark.parametrize(
    ("target", "method", "status"), [("/missing", "GET", 404), ("/a", "POST", 405)]
)
def test_prebuilt_answers_are_sent_as_their_responses_would_be(
    call: Call, monkeypatch: pytest.MonkeyPatch, target: str, method: str, status: int
) -> None:
    app = App()
    app.set_route("/a", lambda req: "a")
    first = call(app, target, method)  # the 405 is prepared on first use
    expected = sent(not_found()) if status == 404 else None

    def no_response(*args: object) -> Response:
        raise AssertionError("a Response was built")

    monkeypatch.setattr("shallot.routing.answers.Response", no_response)
    monkeypatch.setattr("shallot.routing.recovery.http_error", no_response)
    monkeypatch.setattr("shallot.routing.recovery.not_found", no_response)
    for reply in (first, call(app, target, method), call(app, target, method)):
        assert reply.status == status
        assert (reply.headers.get("Allow"), reply.body) == (
            ("GET, HEAD, OPTIONS", b"405 Method Not Allowed\n")
            if status == 405
            else (None, b"404 Not Found\n")
        )
        if expected is not None:
            assert (f"{reply.status} {reply.reason}", list(reply.headers.items()), reply.body) == (
                expected
            )
    head = call(app, target, "HEAD" if status == 404 else "PUT")
    assert head.status == status
    if status == 404:
        assert head.body == b""
        assert head.headers["Content-Length"] == str(len(b"404 Not Found\n"))


def adding_a_field(seen: list[list[tuple[str, str]]]) -> StartResponse:
    """A server's ``start_response`` that records the fields, then adds one to the list."""

    def start_response(
        status: str, fields: list[tuple[str, str]], _: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        seen.append(list(fields))
        fields.append(("Server", "test"))
        return print

    return start_response


def test_each_request_gets_its_own_fields_of_a_prebuilt_answer() -> None:
    # A server may add to the list it is given (wsgiref does): the next request must not see it.
    app = App()
    app.set_route("/a", lambda req: "a")
    for target, method in (("/missing", "GET"), ("/a", "DELETE")):
        seen: list[list[tuple[str, str]]] = []
        for _ in range(3):
            b"".join(app(make_environ(target, method), adding_a_field(seen)))
        assert seen[0] == seen[1] == seen[2]
        assert ("Server", "test") not in seen[2]
