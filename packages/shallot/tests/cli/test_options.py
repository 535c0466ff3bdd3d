from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import pytest

from shallot.cli.options import (
    add_server_options,
    announce,
    open_listener_or_exit,
    port_number,
    positive_int,
    verbose_app,
)
from shallot.middleware import DebugFilter, Verbosity
from shallot.server import DEFAULT_THREADS, AccessLog

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def parse(*arguments: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_server_options(parser, default_port=8123)
    return parser.parse_args(arguments)


def test_defaults() -> None:
    assert vars(parse()) == {
        "host": "127.0.0.1",
        "port": 8123,
        "threads": DEFAULT_THREADS,
        "verbose": 0,
    }


def test_every_option() -> None:
    given = parse("--host", "::1", "--port", "0", "--threads", "3", "--verbose")
    assert (given.host, given.port, given.threads, given.verbose) == ("::1", 0, 3, 1)


@pytest.mark.parametrize(
    ("arguments", "count"),
    [
        (("-v",), 1),
        (("-vv",), 2),
        (("--verbose", "--verbose"), 2),
        (("-v", "--port", "0", "-v", "-v"), 3),
        (("-vvv",), 3),
        (("-vvvv",), 4),
    ],
)
def test_verbose_counts(arguments: tuple[str, ...], count: int) -> None:
    assert parse(*arguments).verbose == count


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("204 No Content", [])
    return []


def test_what_each_verbosity_wraps_around_the_app() -> None:
    assert verbose_app(app, 0) is app
    access_log = verbose_app(app, 1)
    assert isinstance(access_log, AccessLog)
    assert access_log.app is app
    for count, level in [(2, Verbosity.HEADERS), (3, Verbosity.BODIES), (5, Verbosity.BODIES)]:
        outer = verbose_app(app, count)
        assert isinstance(outer, AccessLog)
        assert isinstance(outer.app, DebugFilter)
        assert (outer.app.app, outer.app.verbosity) == (app, level)


@pytest.mark.parametrize(
    "arguments",
    [("--port", "-1"), ("--port", "65536"), ("--port", "http"), ("--threads", "0")],
)
def test_bad_values_are_usage_errors(
    arguments: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        parse(*arguments)
    assert raised.value.code == 2
    assert arguments[0] in capsys.readouterr().err


def test_types() -> None:
    assert (positive_int("4"), port_number("0"), port_number("65535")) == (4, 0, 65535)
    for bad in ("0", "x", "-3"):
        with pytest.raises(argparse.ArgumentTypeError):
            positive_int(bad)


def test_announce_prints_the_real_url_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    listener = open_listener_or_exit("127.0.0.1", 0)
    assert listener is not None
    with listener:
        port = listener.getsockname()[1]
        announce("Serving x", listener)
        announce("Serving y", listener, workers=3)
    assert capsys.readouterr().out.splitlines() == [
        f"Serving x on http://127.0.0.1:{port}/",
        f"Serving y on http://127.0.0.1:{port}/ with 3 workers",
    ]


def test_a_socket_that_cannot_be_opened_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert open_listener_or_exit("no-such-host.invalid", 0) is None
    assert capsys.readouterr().err.startswith("error: cannot listen on no-such-host.invalid:0: ")
