"""The litmus 0.13 WebDAV suite against ``shallot dav``, anonymously and with Digest login.

Every suite must pass every test, with no warning and nothing skipped: 104 tests in all, per
login mode. A failing suite's assertion carries litmus's whole output, so whoever fixes the
server sees which test failed and why.
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

import pytest
from dav_servers import LITMUS_SUITES, LitmusSummary, dav_server, parse_litmus

from shallot.testing import require_service

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from servers import ServerProcess

USER, PASSWORD = "litmus", "pass-w0rd"
MODES = ("anonymous", "digest")


@pytest.fixture(scope="module")
def litmus() -> str:
    return require_service("litmus", "apt-get install litmus")


@pytest.fixture(scope="module", params=MODES)
def mode_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, ServerProcess]]:
    """One server per login mode, on a SQLite state (the command's default kind), shared by the
    five suites (each cleans up after itself)."""
    mode: str = request.param
    folder = tmp_path_factory.mktemp(f"litmus-{mode}")
    (folder / "root").mkdir()
    login = ("--auth", "digest", "--user", f"{USER}:{PASSWORD}") if mode == "digest" else ()
    with dav_server(folder / "root", str(folder / "state"), *login) as server:
        yield mode, server


def run_litmus(litmus: str, suite: str, url: str, mode: str, workdir: Path) -> str:
    """litmus's output for one suite (it writes ``debug.log`` and ``child.log`` in ``workdir``)."""
    credentials = [USER, PASSWORD] if mode == "digest" else []
    done = subprocess.run(
        [litmus, url, *credentials],
        env={**os.environ, "TESTS": suite},
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("suite", list(LITMUS_SUITES))
def test_litmus_suite_passes_completely(
    litmus: str, mode_server: tuple[str, ServerProcess], suite: str, tmp_path: Path
) -> None:
    mode, server = mode_server
    output = run_litmus(litmus, suite, server.url, mode, tmp_path)
    summary = parse_litmus(output)
    expected = LITMUS_SUITES[suite]
    assert summary == LitmusSummary(suite, expected, expected, 0, 0, 0), (
        f"litmus {suite} ({mode}) on {server.url}:\n{output}"
    )


SAMPLE = """\
-> running `locks':
 0. init.................. pass
 3. lock_excl............. WARNING: LOCK on unmapped URL returned 200 not 201
...................... pass (with 1 warning)
 4. discover.............. FAIL (PUT failed:
400 Bad Request)
<- summary for `locks': of 40 tests run: 38 passed, 2 failed. 95.0%
-> 1 test was skipped.
-> 2 warnings were issued.
"""


def test_the_summary_parser_reads_failures_warnings_and_skips() -> None:
    assert parse_litmus(SAMPLE) == LitmusSummary("locks", 40, 38, 2, 2, 1)
    assert parse_litmus(SAMPLE.replace("-> 2 warnings were issued.", "-> 1 warning issued.")) == (
        LitmusSummary("locks", 40, 38, 2, 1, 1)
    )
    assert parse_litmus("<- all tests skipped for `http'.\n") == LitmusSummary(
        "http", 0, 0, 0, 0, 0
    )
    assert parse_litmus("Segmentation fault\n") is None


def test_the_suites_add_up_to_104() -> None:
    assert sum(LITMUS_SUITES.values()) == 104
