"""The ``shallot`` command: ``shallot dav``, ``shallot serve`` and ``shallot passwd``.

Each subcommand lives in its own module, which adds its parser and runs it; this module only
assembles them. Exit status: 0 done (a server stopped by SIGINT/SIGTERM included), 1 refused or
failed (the reason on standard error), 2 bad usage.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from shallot.cli import dav_command, passwd_command, serve_command
from shallot.cli.__about__ import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The command line's parser, every subcommand included."""
    root = argparse.ArgumentParser(
        prog="shallot",
        description="Shallot: a WebDAV server and any WSGI application on an embedded server.",
    )
    root.add_argument("--version", action="version", version=f"shallot {__version__}")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    dav_command.add_parser(commands)
    serve_command.add_parser(commands)
    passwd_command.add_parser(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    arguments = parser().parse_args(argv)
    status: int = arguments.run(arguments)
    return status
