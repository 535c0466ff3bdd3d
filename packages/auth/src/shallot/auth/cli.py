"""The command line: ``python -m shallot.auth passwd FILE REALM USER [--delete]``.

Adds a user to an htdigest file or changes their password (the file is created when missing), or
with ``--delete`` removes them. The password is asked twice without echo when standard input is a
terminal, or read as one line from standard input otherwise (``echo pw | ... passwd``), so
scripts and provisioning tools can use it. The file is rewritten atomically
(:meth:`~shallot.auth.password_map.PasswordMap.save`): a running server reloading it sees the old
or the new file, never a mix, and an aborted command leaves it as it was. The meta-package's
``shallot passwd`` calls :func:`main`.

Exit status: 0 done, 1 refused (passwords differ, empty password, unknown user, bad file),
2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, TextIO

from shallot.auth.errors import InvalidEntry, PasswordFileError
from shallot.auth.password_map import PasswordMap, check_names

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main", "read_new_password"]


class PasswordNotGiven(Exception):
    """No usable password was entered (``str(error)`` says why)."""


def read_new_password(stdin: TextIO, stderr: TextIO) -> str:
    """A new password: prompted twice without echo on a terminal, else one line of ``stdin``.

    Raises :class:`PasswordNotGiven` when the two entries differ, the input is empty, it ends
    before a line is read or the prompt is interrupted.
    """
    if stdin.isatty():
        try:
            first = getpass.getpass("New password: ", stream=stderr)
            second = getpass.getpass("Re-type new password: ", stream=stderr)
        except (EOFError, KeyboardInterrupt):
            raise PasswordNotGiven("no password entered") from None
        if first != second:
            raise PasswordNotGiven("the passwords do not match")
        password = first
    else:
        line = stdin.readline()
        if not line:
            raise PasswordNotGiven("no password on standard input")
        password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise PasswordNotGiven("empty password")
    return password


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m shallot.auth", description="Manage shallot.auth password files."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    passwd = commands.add_parser(
        "passwd",
        help="add, change or delete a user in an htdigest file",
        description="Add a user to an htdigest file or change their password (the file is "
        "created when missing); with --delete, remove the user. The password is prompted for "
        "twice without echo, or read as one line from standard input when it is not a terminal.",
    )
    passwd.add_argument("file", help="the htdigest file")
    passwd.add_argument("realm", help="the realm")
    passwd.add_argument("user", help="the user name")
    passwd.add_argument("--delete", action="store_true", help="remove the user instead")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    arguments = _parser().parse_args(argv)
    realm: str = arguments.realm
    user: str = arguments.user
    try:
        check_names(realm, user)
    except InvalidEntry as error:
        print(f"error: {error}", file=stderr)
        return 1
    passwords = PasswordMap(arguments.file)
    try:
        passwords.load()
    except FileNotFoundError:
        if arguments.delete:
            print(f"error: {arguments.file} does not exist", file=stderr)
            return 1
    except (PasswordFileError, OSError) as error:
        print(f"error: {error}", file=stderr)
        return 1
    try:
        if arguments.delete:
            if not passwords.delete(realm, user):
                print(f"error: no user {user!r} in realm {realm!r}", file=stderr)
                return 1
            passwords.save()
            print(f"Deleted user {user!r} from realm {realm!r}.", file=stdout)
            return 0
        exists = passwords.find(realm, user) is not None
        action = "Changing password for" if exists else "Adding"
        print(f"{action} user {user!r} in realm {realm!r}.", file=stdout)
        stdout.flush()
        passwords.set(realm, user, read_new_password(stdin, stderr))
        passwords.save()
    except (PasswordNotGiven, OSError) as error:
        print(f"error: {error}", file=stderr)
        return 1
    return 0
