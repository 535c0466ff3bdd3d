"""``python -m shallot.auth``: the command line of :mod:`shallot.auth.cli`."""

from __future__ import annotations

import sys

from shallot.auth.cli import main

if __name__ == "__main__":
    sys.exit(main())
