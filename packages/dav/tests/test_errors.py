"""DAVError and its one conversion to a response."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav import DAVError
from shallot.dav.errors import empty_response, error_response

if TYPE_CHECKING:
    from collections.abc import Callable

    from packages.dav.tests.conftest import Result


def test_plain_errors_carry_their_reason(send: Callable[..., Result]) -> None:
    error = DAVError(409, "the parent collection does not exist", headers=[("X-A", "b")])
    assert str(error) == "409 the parent collection does not exist"
    result = send(error_response(error), "GET")
    assert result.status == 409
    assert result.headers["content-type"] == "text/plain; charset=utf-8"
    assert result.headers["x-a"] == "b"
    assert result.text == "the parent collection does not exist\n"
    assert DAVError(404).message == "Not Found"


def test_conditions_become_rfc_4918_error_bodies(send: Callable[..., Result]) -> None:
    error = DAVError(423, condition="lock-token-submitted", hrefs=["/a&b", "/c"])
    result = send(error_response(error), "PUT")
    assert result.status == 423
    assert result.headers["content-type"] == "application/xml; charset=utf-8"
    root = result.xml()
    assert root.tag == "{DAV:}error"
    hrefs = [href.text for href in root.iter("{DAV:}href")]
    assert root[0].tag == "{DAV:}lock-token-submitted"
    assert hrefs == ["/a&b", "/c"]


def test_empty_responses(send: Callable[..., Result]) -> None:
    created = send(empty_response(201, [("ETag", '"x"')]), "PUT")
    assert (created.status, created.body, created.headers["etag"]) == (201, b"", '"x"')
    assert "content-type" not in send(empty_response(204), "DELETE").headers
