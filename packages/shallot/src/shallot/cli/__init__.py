"""The ``shallot`` command (the meta-package's entry point): ``shallot dav`` serves a folder over
WebDAV, ``shallot serve`` any WSGI application, ``shallot passwd`` manages htdigest files.

:func:`main` runs the command line in-process and returns the exit status; each subcommand lives
in its own module (:mod:`shallot.cli.dav_command`, :mod:`shallot.cli.serve_command`,
:mod:`shallot.cli.passwd_command`)::

    from shallot.cli import main

    main(["dav", "/srv/files", "--port", "0"])  # serves until SIGINT/SIGTERM, then returns 0
"""

from __future__ import annotations

from shallot.cli.__about__ import __version__ as __version__
from shallot.cli.main import main as main

__all__ = ["__version__", "main"]
