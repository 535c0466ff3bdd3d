"""What the tools know about the monorepo: its packages, their metadata and versions.

Every tool in ``tools/`` discovers packages from ``packages/*/pyproject.toml`` through this module,
so adding a package never means editing a list here.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 in CI
    import tomli as tomllib

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PACKAGES_DIR = ROOT / "packages"
_VERSION_LINE = re.compile(r'^__version__ = "(?P<version>[^"]+)"$', re.MULTILINE)


@dataclass(frozen=True)
class Package:
    """One distribution under ``packages/``, as its own files describe it."""

    folder: Path
    distribution: str
    requirements: tuple[Requirement, ...]
    test_requirements: tuple[Requirement, ...]
    version_file: Path

    @property
    def concern(self) -> str:
        """The folder name under ``packages/`` (``http``), how tools and people name the package."""
        return self.folder.name

    @property
    def module(self) -> str:
        """The package's own module under ``shallot`` (``http`` for ``shallot.http``).

        It is the folder holding ``__about__.py``: the concern's name, except for the meta-package
        ``packages/shallot``, whose command lives in ``shallot.cli``.
        """
        return self.version_file.parent.name

    @property
    def modules(self) -> list[str]:
        """Every module the package ships under ``shallot`` (its own, and e.g. ``shallot.server``
        beside ``shallot.cli`` in the meta-package)."""
        return sorted(
            path.name for path in (self.folder / "src" / "shallot").iterdir() if path.is_dir()
        )

    @property
    def version(self) -> str:
        """The version as ``__about__.py`` declares it (the one place it lives)."""
        match = _VERSION_LINE.search(self.version_file.read_text(encoding="utf-8"))
        if match is None:
            raise ValueError(f"{self.version_file}: no __version__ line")
        return match["version"]

    @property
    def changelog(self) -> Path:
        """The package's Keep-a-Changelog file."""
        return self.folder / "CHANGELOG.md"

    def sibling_requirements(
        self, siblings: dict[str, Package], *, tests: bool = False
    ) -> list[Requirement]:
        """The requirements naming another package of this monorepo (with ``tests``, the test
        group's too)."""
        wanted = self.requirements + self.test_requirements if tests else self.requirements
        return [req for req in wanted if canonical(req.name) in siblings]


def canonical(name: str) -> str:
    """Normalise a distribution name (PEP 503) so lookups ignore case and separators."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file (``pyproject.toml``)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def load_package(folder: Path) -> Package:
    """Read one package's ``pyproject.toml``."""
    data = read_toml(folder / "pyproject.toml")
    project = data["project"]
    version_path = data["tool"]["hatch"]["version"]["path"]
    groups = data.get("dependency-groups", {})
    return Package(
        folder=folder,
        distribution=project["name"],
        requirements=tuple(Requirement(spec) for spec in project.get("dependencies", [])),
        test_requirements=tuple(Requirement(spec) for spec in groups.get("test", [])),
        version_file=folder / version_path,
    )


def discover() -> dict[str, Package]:
    """Every package under ``packages/``, keyed by canonical distribution name, in folder order."""
    found: dict[str, Package] = {}
    for pyproject in sorted(PACKAGES_DIR.glob("*/pyproject.toml")):
        package = load_package(pyproject.parent)
        found[canonical(package.distribution)] = package
    return found


def dependency_closure(
    package: Package, siblings: dict[str, Package], *, tests: bool = False
) -> dict[str, Package]:
    """The sibling packages ``package`` needs installed, directly or through another sibling, by
    key.

    With ``tests``, the siblings its test group names (and what those need) are included.
    """
    seen: dict[str, Package] = {}
    pending = package.sibling_requirements(siblings, tests=tests)
    while pending:
        key = canonical(pending.pop().name)
        if key not in seen:
            seen[key] = siblings[key]
            pending.extend(seen[key].sibling_requirements(siblings))
    return seen
