"""``shallot dav ROOT``: serve a folder as a WebDAV share on the embedded server.

::

    shallot dav ~/files                                   # http://127.0.0.1:8080/, no login
    shallot dav ~/files --auth digest --user ann:secret   # Digest login
    shallot dav --config dav.toml --port 9000             # the file's settings, another port
    shallot dav ~/files --workers 4                       # four processes on one port

Options go into one :class:`~shallot.dav.DAVConfig`: the ``--config`` file first (see
:meth:`DAVConfig.from_toml <shallot.dav.DAVConfig.from_toml>`), then every option given on the
command line on top of it. ``ROOT`` replaces the file's shares with the one folder at ``/``.

The command's defaults differ from the library's in two ways, both for people who run it by hand:

- Locks and dead properties are kept in SQLite in the user's state directory
  (:func:`~shallot.cli.state.default_state_dir`) unless ``--state`` or the file says otherwise,
  so they survive a restart; a state folder inside a served folder is refused.
- ``--user`` or ``--htdigest`` without ``--auth`` means Digest, and ``--auth none`` with users is
  refused: a password given must never be silently ignored.

``--workers N`` serves from N pre-forked processes (:mod:`shallot.server.prefork`), which share
locks and properties through the state: a folder (SQLite) or Redis, never memory.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from shallot.cli.config_file import read_config
from shallot.cli.options import (
    add_server_options,
    announce,
    log_debug_to_stderr,
    open_listener_or_exit,
    positive_int,
    verbose_app,
)
from shallot.cli.state import StateInsideShare, check_state_outside, default_state_dir
from shallot.dav import ConfigError, DAVConfig, build_app
from shallot.dav.config import is_state_folder
from shallot.server import WorkerBootError, serve

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping

    from _typeshed.wsgi import WSGIApplication

__all__ = ["CommandLineError", "add_parser", "config_from_arguments", "run"]


class CommandLineError(ValueError):
    """Options that contradict each other or the configuration file; ``str(error)`` says how."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``dav`` and its options (every one defaults to "not given", so that a
    configuration file's value stands unless the option is on the command line)."""
    parser = commands.add_parser(
        "dav",
        help="serve a folder over WebDAV",
        description="Serve ROOT as a WebDAV share (RFC 4918 class 1 and 2) until Ctrl-C or "
        "SIGTERM. Options override the --config file's settings.",
    )
    parser.add_argument("root", metavar="ROOT", nargs="?", help="the folder to serve at /")
    add_server_options(parser, default_port=8080)
    parser.add_argument("--config", metavar="FILE", help="a TOML configuration file")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        metavar="N",
        help="processes sharing the port (pre-fork; needs a folder or Redis --state; default: 1)",
    )
    parser.add_argument(
        "--readonly", action="store_true", default=None, help="refuse every change (403)"
    )
    parser.add_argument(
        "--auth",
        choices=("none", "basic", "digest"),
        help="how clients log in (default: none; digest when users are given)",
    )
    parser.add_argument(
        "--user",
        action="append",
        metavar="NAME:PASSWORD",
        help="a user who may log in (repeat for several; visible to other local users in the "
        "process list: prefer --htdigest)",
    )
    parser.add_argument(
        "--htdigest", metavar="FILE", help="an htdigest password file (see shallot passwd)"
    )
    parser.add_argument("--realm", help="the login realm (default: shallot)")
    parser.add_argument(
        "--state",
        metavar="PATH|memory|redis://...",
        help="where locks and dead properties live: a folder (SQLite), memory, or a Redis URL "
        "(default: a folder in $XDG_STATE_HOME/shallot, else ~/.local/state/shallot)",
    )
    parser.set_defaults(run=run)


def _users(entries: list[str]) -> dict[str, str]:
    users: dict[str, str] = {}
    for entry in entries:
        name, colon, password = entry.partition(":")
        if not colon or not name or not password:
            raise CommandLineError(f"--user {entry.split(':')[0]}:...: expected NAME:PASSWORD")
        users[name] = password
    return users


def _state_default(config: DAVConfig, given: Mapping[str, object]) -> str:
    """The state the command uses when neither the command line nor the file names one."""
    if "state" in given:
        return config.state
    return str(default_state_dir(config.shares))


def config_from_arguments(arguments: argparse.Namespace) -> DAVConfig:
    """The configuration the command line asks for: the ``--config`` file, then the options.

    Raises :class:`~shallot.dav.ConfigError` for a bad file or value, :class:`CommandLineError`
    for contradicting options and :class:`~shallot.cli.state.StateInsideShare` for a state
    folder inside a share.
    """
    file_values: dict[str, object] = {}
    if arguments.config is not None:
        config, file_values = read_config(Path(arguments.config))
    elif arguments.root is None:
        raise CommandLineError("give the folder to serve (ROOT) or a --config file with shares")
    else:
        config = DAVConfig(shares={"/": Path(arguments.root)})
    options: dict[str, object] = {}
    if arguments.root is not None:
        options["shares"] = {"/": Path(arguments.root).absolute()}
    for name in ("readonly", "auth", "realm"):
        value = getattr(arguments, name)
        if value is not None:
            options[name] = value
    if arguments.state is not None:
        state: str = arguments.state
        options["state"] = (
            str(Path(state).expanduser().absolute()) if is_state_folder(state) else state
        )
    if arguments.htdigest is not None:
        options["htdigest"] = Path(arguments.htdigest).absolute()
    if arguments.user:
        options["users"] = {**config.users, **_users(arguments.user)}
    given = {**file_values, **options}
    has_users = bool(options.get("users", config.users)) or (
        options.get("htdigest", config.htdigest) is not None
    )
    if "auth" not in given and has_users:
        options["auth"] = "digest"
    elif given.get("auth") == "none" and has_users:
        raise CommandLineError("users are given but --auth is none: choose basic or digest")
    if options.get("auth", config.auth) == "basic" and "basic_over_http" not in file_values:
        options["basic_over_http"] = True
    config = dataclasses.replace(config, **options)  # type: ignore[arg-type]  # checked by DAVConfig
    chosen = _state_default(config, given)
    if is_state_folder(chosen):
        check_state_outside(Path(chosen), config.shares.values())
    return dataclasses.replace(config, state=chosen)


def _describe(config: DAVConfig) -> str:
    if list(config.shares) == ["/"]:
        return f"Serving {config.shares['/']}"
    mounts = ", ".join(f"{folder} at {mount}" for mount, folder in config.shares.items())
    return f"Serving {mounts}"


def run(arguments: argparse.Namespace) -> int:
    """Build the configuration and the app, serve until stopped; the exit status.

    The app is built once here, so that a bad share or state is reported before anything
    listens; with several workers, each worker then builds its own (its own SQLite or Redis
    connections) after the fork.
    """
    try:
        config = config_from_arguments(arguments)
        if arguments.workers > 1 and config.state == "memory":
            raise CommandLineError(
                "several workers need a shared state (a folder or a Redis URL), not memory"
            )
        dav = build_app(config)
    except (ConfigError, CommandLineError, StateInsideShare) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    verbosity: int = arguments.verbose
    log_debug_to_stderr(verbosity, arguments.workers)

    def factory() -> WSGIApplication:
        return verbose_app(dav if arguments.workers == 1 else build_app(config), verbosity)

    try:
        listener = open_listener_or_exit(arguments.host, arguments.port)
        if listener is None:
            return 1
        if arguments.workers > 1:
            dav.close()

        def ready() -> None:
            announce(_describe(config), listener, arguments.workers)
            print(f"Locks and properties: {config.state}", flush=True)

        serve(factory, listener, workers=arguments.workers, threads=arguments.threads, ready=ready)
    except WorkerBootError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        dav.close()
    print("Stopped.", flush=True)
    return 0
