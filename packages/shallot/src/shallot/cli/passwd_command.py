"""``shallot passwd FILE REALM USER [--delete]``: manage an htdigest file for ``shallot dav
--auth digest --htdigest FILE``.

The work is :mod:`shallot.auth.cli`'s, run in this process: the password is prompted for twice
without echo, or read as one line from standard input when that is not a terminal; the file is
rewritten atomically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.auth.cli import main as auth_main

if TYPE_CHECKING:
    import argparse

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``passwd`` and its arguments."""
    parser = commands.add_parser(
        "passwd",
        help="add, change or delete a user in an htdigest file",
        description="Add a user to an htdigest file or change their password (the file is "
        "created when missing); with --delete, remove the user. The password is prompted for "
        "twice without echo, or read as one line from standard input when it is not a terminal.",
    )
    parser.add_argument("file", metavar="FILE", help="the htdigest file")
    parser.add_argument("realm", metavar="REALM", help="the realm (shallot dav's --realm)")
    parser.add_argument("user", metavar="USER", help="the user name")
    parser.add_argument("--delete", action="store_true", help="remove the user instead")
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Run shallot.auth's ``passwd`` with these arguments; its exit status."""
    options = ["--delete"] if arguments.delete else []
    return auth_main(["passwd", *options, "--", arguments.file, arguments.realm, arguments.user])
