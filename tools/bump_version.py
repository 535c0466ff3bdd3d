"""Bump one package's version and open its changelog entry.

Usage: ``python tools/bump_version.py PACKAGE (major|minor|patch|X.Y.Z) [--date YYYY-MM-DD]``

``PACKAGE`` is a folder name under ``packages/`` (``http``) or a distribution name
(``shallot-http``). The new version is written to the package's ``__about__.py`` (the one place it
lives), and the changelog's ``## Unreleased`` section becomes ``## X.Y.Z - DATE`` under a fresh,
empty ``## Unreleased``. Siblings whose declared range no longer admits the new version are listed,
since ``tools/check_layout.py`` will fail on them.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys

from monorepo import Package, canonical, discover
from packaging.version import InvalidVersion, Version

UNRELEASED = "## Unreleased"


def next_version(current: str, part: str) -> str:
    """The version after ``current`` for ``part`` (major, minor, patch) or an explicit, greater
    version."""
    old = Version(current)
    major, minor, patch = (*old.release, 0, 0)[:3]
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    try:
        new = Version(part)
    except InvalidVersion:
        raise SystemExit(f"not a version or major/minor/patch: {part}") from None
    if new <= old:
        raise SystemExit(f"{part} is not newer than {current}")
    return str(new)


def release_changelog(text: str, version: str, date: str) -> str:
    """Turn the Unreleased section into the release's and open a new Unreleased one above it."""
    if UNRELEASED not in text:
        raise SystemExit("CHANGELOG.md has no '## Unreleased' section to release")
    return text.replace(UNRELEASED, f"{UNRELEASED}\n\n## {version} - {date}", 1)


def find_package(name: str, packages: dict[str, Package]) -> Package:
    """Look a package up by folder or distribution name."""
    for package in packages.values():
        if name in (package.concern, package.distribution) or canonical(name) == canonical(
            package.distribution
        ):
            return package
    raise SystemExit(
        f"no package named {name}; known: {', '.join(p.concern for p in packages.values())}"
    )


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, write the new version and changelog, report stale sibling ranges."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package")
    parser.add_argument("part", help="major, minor, patch or an explicit version")
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args(argv)
    packages = discover()
    package = find_package(args.package, packages)
    previous = package.version
    version = next_version(previous, args.part)
    about = package.version_file.read_text(encoding="utf-8")
    package.version_file.write_text(
        re.sub(r'^__version__ = "[^"]+"$', f'__version__ = "{version}"', about, flags=re.MULTILINE),
        encoding="utf-8",
    )
    changelog = package.changelog.read_text(encoding="utf-8")
    package.changelog.write_text(release_changelog(changelog, version, args.date), encoding="utf-8")
    print(f"{package.distribution}: {previous} -> {version}")
    stale = [
        f"  {other.distribution} requires {req}"
        for other in packages.values()
        for req in other.sibling_requirements(packages, tests=True)
        if canonical(req.name) == canonical(package.distribution)
        and not req.specifier.contains(Version(version), prereleases=True)
    ]
    if stale:
        print("these ranges no longer admit the new version; widen them:", *stale, sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
