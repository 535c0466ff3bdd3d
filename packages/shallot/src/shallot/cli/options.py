"""The options every serving command shares (``--host``, ``--port``, ``--threads``,
``--verbose``), what ``--verbose`` wraps around the application, opening the socket, and the line
that announces the URL.

The announcement is the first line a serving command prints, and it carries the real URL (with
``--port 0``, the port the system picked): scripts and tests read it to find the server.

``--verbose`` counts (``-v``, ``-vv``, ``-vvv``), each level adding to the one before, all on
standard error: one is the access log (:class:`~shallot.server.AccessLog`, a line per request);
two adds :class:`~shallot.middleware.DebugFilter` with every request and response header
(``Authorization`` and cookie values redacted); three adds the first bytes of XML bodies.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from shallot.middleware import DebugFilter, Verbosity
from shallot.middleware.debug_filter import LOGGER as DEBUG_LOGGER
from shallot.server import DEFAULT_THREADS, AccessLog, ListenError, base_url, open_listener

if TYPE_CHECKING:
    import socket

    from _typeshed.wsgi import WSGIApplication

__all__ = [
    "add_server_options",
    "announce",
    "log_debug_to_stderr",
    "open_listener_or_exit",
    "positive_int",
    "verbose_app",
]


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free port) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, not {value}")
    return value


def add_server_options(parser: argparse.ArgumentParser, default_port: int) -> None:
    """Add ``--host``, ``--port``, ``--threads`` and ``--verbose`` to ``parser``."""
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 or :: "
        "for every interface)",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=default_port,
        help=f"the port (default: {default_port}; 0 picks a free one, printed at start)",
    )
    parser.add_argument(
        "--threads",
        type=positive_int,
        default=DEFAULT_THREADS,
        metavar="N",
        help=f"requests served at once per process (default: {DEFAULT_THREADS})",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log every request to standard error; -vv adds the headers, -vvv the first bytes "
        "of XML bodies (Authorization and cookie values are never logged)",
    )


def verbose_app(app: WSGIApplication, verbosity: int) -> WSGIApplication:
    """``app`` with what ``--verbose`` given ``verbosity`` times asks for: nothing (0), the
    access log (1), and the debug filter with headers (2) or with XML bodies too (3 or more)."""
    if verbosity >= 2:
        level = Verbosity.BODIES if verbosity >= 3 else Verbosity.HEADERS
        app = DebugFilter(app, verbosity=level)
    return AccessLog(app) if verbosity >= 1 else app


def log_debug_to_stderr(verbosity: int, workers: int = 1) -> None:
    """From ``-vv`` on, send the debug filter's records to standard error, each with its time
    (and the worker's process id when there are several workers)."""
    if verbosity < 2:
        return
    handler = logging.StreamHandler(sys.stderr)
    process = " [%(process)d]" if workers > 1 else ""
    handler.setFormatter(logging.Formatter(f"%(asctime)s{process} %(message)s"))
    DEBUG_LOGGER.addHandler(handler)
    DEBUG_LOGGER.setLevel(logging.DEBUG)
    DEBUG_LOGGER.propagate = False


def open_listener_or_exit(host: str, port: int) -> socket.socket | None:
    """The listening socket, or ``None`` after printing why it cannot be opened."""
    try:
        return open_listener(host, port)
    except ListenError as error:
        print(f"error: {error}", file=sys.stderr)
        return None


def announce(what: str, listener: socket.socket, workers: int = 1) -> None:
    """Print ``<what> on <URL>`` (and the worker count when several) and flush it at once."""
    suffix = f" with {workers} workers" if workers > 1 else ""
    print(f"{what} on {base_url(listener)}{suffix}", flush=True)
