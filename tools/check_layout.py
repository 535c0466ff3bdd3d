"""Check that the monorepo keeps the shape every tool and reader relies on.

Fails (exit 1, one line per fault) when:
- the top level holds anything beyond the agreed folders, files and dotfiles;
- a package lacks its pyproject, README, CHANGELOG (with an ``## Unreleased`` or version section),
  ``py.typed``, ``tests/``, or ships a ``shallot/__init__.py`` (the namespace is PEP 420);
- a package's wheel target is not ``src/shallot`` or its version does not live in ``__about__.py``;
- the root ``[tool.mypy] mypy_path`` disagrees with ``packages/*`` (the one root line a new
  package adds);
- a package imports a ``shallot.*`` sibling it does not declare, or declares a sibling with a
  version range that excludes the sibling's current version.
"""

from __future__ import annotations

import ast
import sys

from monorepo import PACKAGES_DIR, ROOT, Package, canonical, discover, read_toml
from packaging.version import Version

TOP_LEVEL = {
    "pyproject.toml",
    "README.md",
    "packages",
    "integration-tests",
    "docs",
    "tools",
    ".github",
    ".ci",
}
IGNORED_TOP_LEVEL = {"dist", "build", "__pycache__"}


def check_top_level() -> list[str]:
    """Only the agreed entries (and dotfiles) at the root."""
    faults = []
    for entry in ROOT.iterdir():
        name = entry.name
        if name.startswith(".") or name in TOP_LEVEL or name in IGNORED_TOP_LEVEL:
            continue
        faults.append(f"unexpected top-level entry: {name}")
    faults.extend(
        f"missing top-level entry: {name}" for name in TOP_LEVEL if not (ROOT / name).exists()
    )
    return faults


def check_package_files(package: Package) -> list[str]:
    """The files and build settings every package must have."""
    folder = package.folder
    where = folder.relative_to(ROOT)
    faults: list[str] = []
    src = folder / "src" / "shallot" / package.module
    required = [
        folder / "README.md",
        folder / "CHANGELOG.md",
        folder / "tests",
        src / "py.typed",
        src / "__init__.py",
        src / "__about__.py",
    ]
    faults.extend(
        f"{where}: missing {path.relative_to(folder)}" for path in required if not path.exists()
    )
    if (folder / "src" / "shallot" / "__init__.py").exists():
        faults.append(f"{where}: src/shallot/__init__.py breaks the PEP 420 namespace")
    if package.version_file.parent.parent != folder / "src" / "shallot":
        faults.append(
            f"{where}: [tool.hatch.version] path must be src/shallot/<module>/__about__.py"
        )
    if package.module != package.concern and package.concern != "shallot":
        faults.append(f"{where}: its module must be shallot.{package.concern}")
    data = read_toml(folder / "pyproject.toml")
    wheel = data["tool"]["hatch"].get("build", {}).get("targets", {}).get("wheel", {})
    if wheel.get("packages") != ["src/shallot"] and not wheel.get("bypass-selection"):
        faults.append(f'{where}: [tool.hatch.build.targets.wheel] packages must be ["src/shallot"]')
    if package.changelog.exists():
        text = package.changelog.read_text(encoding="utf-8")
        if "\n## " not in text:
            faults.append(f"{where}: CHANGELOG.md has no release or Unreleased section")
    return faults


def check_mypy_path(packages: dict[str, Package]) -> list[str]:
    """``mypy_path`` at the root lists exactly each package's ``src``."""
    config = read_toml(ROOT / "pyproject.toml")
    listed = {
        entry
        for entry in config["tool"]["mypy"]["mypy_path"]
        if entry.startswith("$MYPY_CONFIG_FILE_DIR/packages/")
    }
    expected = {
        f"$MYPY_CONFIG_FILE_DIR/packages/{package.concern}/src" for package in packages.values()
    }
    faults = [f"pyproject.toml: mypy_path lacks {entry}" for entry in sorted(expected - listed)]
    faults.extend(
        f"pyproject.toml: mypy_path names a missing package: {e}" for e in sorted(listed - expected)
    )
    return faults


def imported_siblings(package: Package, folder: str) -> set[str]:
    """The ``shallot.<concern>`` packages imported by the code under ``folder`` (``src`` or
    ``tests``)."""
    found: set[str] = set()
    for path in package.folder.glob(f"{folder}/**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found.update(name.split(".")[1] for name in names if name.startswith("shallot."))
    return found


def check_dependencies(packages: dict[str, Package]) -> list[str]:
    """Sibling imports are declared, and declared ranges admit the sibling's current version."""
    by_module = {module: package for package in packages.values() for module in package.modules}
    faults: list[str] = []
    for package in packages.values():
        where = package.folder.relative_to(ROOT)
        for req in package.sibling_requirements(packages, tests=True):
            version = Version(packages[canonical(req.name)].version)
            if not req.specifier or not req.specifier.contains(version, prereleases=True):
                faults.append(f"{where}: needs a range that admits {req.name} {version}, has {req}")
        for folder, tests in (("src", False), ("tests", True)):
            declared = {
                canonical(r.name) for r in package.sibling_requirements(packages, tests=tests)
            }
            for concern in sorted(imported_siblings(package, folder) - set(package.modules)):
                sibling = by_module.get(concern)
                if sibling is None:
                    faults.append(
                        f"{where}/{folder}: imports shallot.{concern}, which no package provides"
                    )
                elif canonical(sibling.distribution) not in declared:
                    faults.append(
                        f"{where}/{folder}: imports shallot.{concern} "
                        f"without declaring {sibling.distribution}"
                    )
    return faults


def main() -> int:
    """Run every check; print faults; exit 1 when there are any."""
    packages = discover()
    faults = check_top_level() + check_mypy_path(packages) + check_dependencies(packages)
    for package in packages.values():
        faults += check_package_files(package)
    if not any(PACKAGES_DIR.iterdir()):
        faults.append("packages/ is empty")
    for fault in faults:
        print(fault, file=sys.stderr)
    if not faults:
        print(f"layout: {len(packages)} packages in shape")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
