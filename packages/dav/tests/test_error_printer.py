"""The error printer: DAV errors as responses, internal errors as a bare 500."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from shallot.dav import DAVConfig, DAVError, ErrorPrinter, MemoryProvider, build_app
from shallot.http import HTTPException

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    import pytest
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from packages.dav.tests.conftest import Result
    from shallot.dav import ResourceInfo


class BrokenProvider(MemoryProvider):
    """A provider whose listing fails half-way and whose reads fail outright."""

    def members(self, path: str) -> Iterator[ResourceInfo]:
        yield from super().members(path)
        raise RuntimeError("/secret/internal/path exploded")

    def open(self, path: str) -> object:  # type: ignore[override]
        raise RuntimeError("/secret/internal/path exploded")


def test_internal_errors_are_a_bare_500(
    send: Callable[..., Result], caplog: pytest.LogCaptureFixture
) -> None:
    provider = BrokenProvider()
    app = build_app(DAVConfig(shares={"/": Path("/unused")}), providers={"/": provider})
    provider.write("/a", [b"a"])
    with caplog.at_level(logging.ERROR, "shallot.dav"):
        result = send(app, "GET", "/a", environ={"wsgi.file_wrapper": None})
    assert result.status == 500
    assert b"secret" not in result.body
    assert b"Traceback" not in result.body
    assert "exploded" in caplog.text
    with caplog.at_level(logging.ERROR, "shallot.dav"):
        cut = send(app, "PROPFIND", "/", {"Depth": "1"})
    assert cut.status == 207
    assert b"secret" not in cut.body
    assert "error while sending" in caplog.text
    app.close()


def test_errors_of_any_layer(send: Callable[..., Result]) -> None:
    def raising(error: Exception) -> Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]:
        def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            raise error

        return app

    dav = send(ErrorPrinter(raising(DAVError(507, "full"))), "PUT")
    assert (dav.status, dav.text) == (507, "full\n")
    http = send(ErrorPrinter(raising(HTTPException(413))), "PUT")
    assert http.status == 413
