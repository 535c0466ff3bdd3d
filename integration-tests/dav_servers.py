"""``shallot dav`` in child processes for the WebDAV integration tests, and litmus's verdicts.

Every server runs the real command (``python -m shallot.cli dav ROOT --port 0 ...``) and is found
through the URL it announces (:func:`servers.start_server`); its state is always given
(``--state``), so no test touches the user's state directory.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from servers import ServerProcess, start_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

LITMUS_SUITES = {"basic": 16, "copymove": 13, "props": 30, "locks": 41, "http": 4}
"""litmus 0.13's suites and how many tests each runs: 104 in all."""


def dav_command(root: Path, state: str, *options: str) -> list[str]:
    """``shallot dav ROOT --port 0 --state STATE OPTIONS`` with this interpreter."""
    return [
        sys.executable, "-m", "shallot.cli", "dav", str(root),
        "--port", "0", "--state", state, *options,
    ]  # fmt: skip


@contextmanager
def dav_server(root: Path, state: str, *options: str) -> Iterator[ServerProcess]:
    """A ``shallot dav`` process serving ``root`` until the block ends (then SIGTERM, and a
    kill only if it does not stop)."""
    server = start_server(dav_command(root, state, *options))
    try:
        yield server
    finally:
        stop_gently(server)


def stop_gently(server: ServerProcess) -> None:
    """SIGTERM, wait up to 30 s, then :meth:`ServerProcess.stop` (kills what is left)."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=30)
    server.stop()


@dataclass(frozen=True)
class LitmusSummary:
    """What one litmus suite reported about itself on its summary lines."""

    suite: str
    run: int
    passed: int
    failed: int
    warnings: int
    skipped: int


_SUMMARY = re.compile(
    r"<- summary for [`'](?P<suite>[^']+)': of (?P<run>\d+) tests run: "
    r"(?P<passed>\d+) passed, (?P<failed>\d+) failed\."
)
_ALL_SKIPPED = re.compile(r"<- all tests skipped for [`'](?P<suite>[^']+)'\.")
_WARNINGS = re.compile(r"-> (?P<count>\d+) warnings? (?:were )?issued\.")
_SKIPPED = re.compile(r"-> (?P<count>\d+) tests? (?:was|were) skipped\.")


def parse_litmus(output: str) -> LitmusSummary | None:
    """The summary of the one suite in ``output`` (a suite whose tests were all skipped ran
    none), or ``None`` when litmus printed none (it crashed, or could not connect)."""
    summary = _SUMMARY.search(output)
    if summary is None:
        skipped = _ALL_SKIPPED.search(output)
        return None if skipped is None else LitmusSummary(skipped["suite"], 0, 0, 0, 0, 0)
    warnings = _WARNINGS.search(output)
    skips = _SKIPPED.search(output)
    return LitmusSummary(
        suite=summary["suite"],
        run=int(summary["run"]),
        passed=int(summary["passed"]),
        failed=int(summary["failed"]),
        warnings=int(warnings["count"]) if warnings else 0,
        skipped=int(skips["count"]) if skips else 0,
    )
