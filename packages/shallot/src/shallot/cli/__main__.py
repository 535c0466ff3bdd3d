"""``python -m shallot.cli``: the ``shallot`` command, where its script is not on the PATH."""

from __future__ import annotations

import sys

from shallot.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
