"""``shallot serve MODULE:APP``: any WSGI application on the embedded server.

::

    shallot serve myproject.web:app --port 8000 --workers 4

With ``--workers N`` (N > 1), N pre-forked processes serve one port. Each worker imports the
application itself, after the fork, so whatever the module opens at import time (a SQLite or Redis
connection, a thread) belongs to one process and is never shared through the fork. The command
checks first that the module exists, so a typo is reported at once; an error raised while a worker
imports it stops the server with the worker's traceback on standard error.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from shallot.cli.app_loader import AppNotFound, find_app_module, load_app
from shallot.cli.options import (
    add_server_options,
    announce,
    log_debug_to_stderr,
    open_listener_or_exit,
    positive_int,
    verbose_app,
)
from shallot.server import WorkerBootError, serve

if TYPE_CHECKING:
    import argparse

    from _typeshed.wsgi import WSGIApplication

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``serve`` and its options."""
    parser = commands.add_parser(
        "serve",
        help="serve any WSGI application",
        description="Serve the WSGI application MODULE:APP (APP defaults to 'application') on "
        "the embedded server until Ctrl-C or SIGTERM.",
    )
    parser.add_argument("app", metavar="MODULE:APP", help="the application, e.g. myproject.web:app")
    add_server_options(parser, default_port=8000)
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        metavar="N",
        help="processes sharing the listening socket (pre-fork; default: 1)",
    )
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Import the application and serve it; the exit status."""
    reference: str = arguments.app
    verbosity: int = arguments.verbose

    def factory() -> WSGIApplication:
        return verbose_app(load_app(reference), verbosity)

    try:
        find_app_module(reference)
        app = factory() if arguments.workers == 1 else None
    except AppNotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    listener = open_listener_or_exit(arguments.host, arguments.port)
    if listener is None:
        return 1
    log_debug_to_stderr(verbosity, arguments.workers)
    try:
        serve(
            factory if app is None else lambda: app,
            listener,
            workers=arguments.workers,
            threads=arguments.threads,
            ready=lambda: announce(f"Serving {arguments.app}", listener, arguments.workers),
        )
    except WorkerBootError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("Stopped.", flush=True)
    return 0
