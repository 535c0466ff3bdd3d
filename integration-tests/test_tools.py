"""The monorepo tools on a copy of this repository: the layout check and the version bump."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from servers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

IGNORED = shutil.ignore_patterns(
    ".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "_build", "*.egg-info"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the working tree the tools can change freely."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    return copy


def tool(repo: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``tools/<name>.py`` of the copy, capturing its output."""
    return subprocess.run(
        [sys.executable, str(repo / "tools" / f"{name}.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_layout_passes_on_this_repository(repo: Path) -> None:
    result = tool(repo, "check_layout")
    assert result.returncode == 0, result.stderr
    assert "packages in shape" in result.stdout


def test_layout_catches_faults(repo: Path) -> None:
    (repo / "packages" / "testing" / "src" / "shallot" / "__init__.py").write_text("")
    (repo / "packages" / "http" / "src" / "shallot" / "http" / "py.typed").unlink()
    (repo / "stray.txt").write_text("")
    extra = repo / "packages" / "extra"
    shutil.copytree(repo / "packages" / "testing", extra)
    (extra / "pyproject.toml").write_text(
        (extra / "pyproject.toml")
        .read_text()
        .replace('name = "shallot-testing"', 'name = "shallot-extra"')
    )
    result = tool(repo, "check_layout")
    assert result.returncode == 1
    faults = result.stderr
    assert "packages/testing: src/shallot/__init__.py breaks the PEP 420 namespace" in faults
    assert "packages/http: missing src/shallot/http/py.typed" in faults
    assert "unexpected top-level entry: stray.txt" in faults
    assert "mypy_path lacks $MYPY_CONFIG_FILE_DIR/packages/extra/src" in faults
    assert "packages/extra: its module must be shallot.extra" in faults


def test_layout_catches_undeclared_sibling_imports(repo: Path) -> None:
    module = repo / "packages" / "testing" / "src" / "shallot" / "testing" / "sneaky.py"
    module.write_text("from shallot.http import Response\n")
    result = tool(repo, "check_layout")
    assert result.returncode == 1
    assert (
        "packages/testing/src: imports shallot.http without declaring shallot-http" in result.stderr
    )


def test_bump_version_releases_the_changelog_and_flags_stale_ranges(repo: Path) -> None:
    package = repo / "packages" / "testing"
    result = tool(repo, "bump_version", "testing", "minor", "--date", "2026-01-02")
    assert result.returncode == 0, result.stderr
    assert "shallot-testing: 0.1.0 -> 0.2.0" in result.stdout
    assert "shallot-http requires shallot-testing<0.2,>=0.1" in result.stdout
    about = (package / "src" / "shallot" / "testing" / "__about__.py").read_text()
    assert '__version__ = "0.2.0"' in about
    changelog = (package / "CHANGELOG.md").read_text()
    assert changelog.index("## Unreleased") < changelog.index("## 0.2.0 - 2026-01-02")
    layout = tool(repo, "check_layout")
    assert layout.returncode == 1
    assert "needs a range that admits shallot-testing 0.2.0" in layout.stderr


def test_bump_version_refuses_going_back(repo: Path) -> None:
    result = tool(repo, "bump_version", "shallot-http", "0.0.9")
    assert result.returncode != 0
    assert "0.0.9 is not newer than 0.1.0" in result.stderr
    result = tool(repo, "bump_version", "nothing", "patch")
    assert "no package named nothing" in result.stderr
