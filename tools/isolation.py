"""Prove that each package stands alone: its tests pass with only it and its declared dependencies
installed.

Usage: ``python tools/isolation.py [PACKAGE ...]`` (folder names; default: every package).

1. Build every package's wheel (the real artefacts users install) into a scratch folder.
2. For each package, create a fresh virtual environment, install the wheels of the siblings it
   declares (transitively) without their dependencies, then its own wheel with its declared
   third-party dependencies and its ``test`` dependency group from the package index.
3. Run the package's own tests there, from outside the source tree, so nothing undeclared is
   importable.

A package importing something it does not declare fails at step 3. Exit status 1 when any package
fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from monorepo import ROOT, Package, canonical, dependency_closure, discover


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    """Run a command, echoing it; raise on failure so the caller reports the package."""
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=cwd, env=env, check=True)


def uv() -> str:
    """The uv executable that drives builds and environments (a dependency of the tools env)."""
    found = shutil.which("uv")
    if found is None:
        raise SystemExit(
            "uv is not installed: run this from the hatch environment (hatch run isolation)"
        )
    return found


def build_wheels(packages: dict[str, Package], dist: Path) -> dict[str, Path]:
    """Build one wheel per package; map canonical distribution name to the wheel file."""
    wheels = {}
    for key, package in packages.items():
        out = dist / package.concern
        run([uv(), "build", "--wheel", "--quiet", "--out-dir", str(out), str(package.folder)])
        (wheel,) = out.glob("*.whl")
        wheels[key] = wheel
    return wheels


def check_package(
    key: str, packages: dict[str, Package], wheels: dict[str, Path], scratch: Path
) -> None:
    """Install the package ``key`` alone into a new venv and run its tests there."""
    package = packages[key]
    venv = scratch / f"venv-{package.concern}"
    run([uv(), "venv", "--quiet", "--python", sys.executable, str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install = [uv(), "pip", "install", "--quiet", "--python", str(python)]
    siblings = dependency_closure(package, packages, tests=True)
    if siblings:
        run([*install, "--no-deps", *(str(wheels[sibling]) for sibling in siblings)])
    external_tests = [
        str(req) for req in package.test_requirements if canonical(req.name) not in packages
    ]
    external_deps = [
        str(req)
        for sibling in siblings.values()
        for req in sibling.requirements
        if canonical(req.name) not in packages
    ]
    run([*install, str(wheels[key]), *external_tests, *external_deps])
    run(
        [
            str(python),
            "-c",
            "import importlib, sys; m = importlib.import_module(sys.argv[1]); "
            "assert sys.prefix in m.__file__, m.__file__; print('installed:', m.__file__)",
            f"shallot.{package.module}",
        ],
        cwd=scratch,
    )
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    run(
        [
            str(python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(package.folder),
            "-c",
            str(ROOT / "pyproject.toml"),
            str(package.folder / "tests"),
        ],
        cwd=scratch,
        env=env,
    )


def main(argv: list[str] | None = None) -> int:
    """Build, install alone, test; summarise which packages stand alone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", help="folder names under packages/ (default: all)")
    args = parser.parse_args(argv)
    packages = discover()
    chosen = [key for key, p in packages.items() if not args.packages or p.concern in args.packages]
    unknown = set(args.packages) - {p.concern for p in packages.values()}
    if unknown:
        raise SystemExit(f"unknown packages: {', '.join(sorted(unknown))}")
    failed = []
    with tempfile.TemporaryDirectory(prefix="shallot-isolation-") as tmp:
        scratch = Path(tmp)
        wheels = build_wheels(packages, scratch / "dist")
        for key in chosen:
            started = time.monotonic()
            try:
                check_package(key, packages, wheels, scratch)
            except subprocess.CalledProcessError as error:
                failed.append(key)
                print(f"FAILED {key}: {error}", flush=True)
            else:
                print(f"ok {key} ({time.monotonic() - started:.0f} s)", flush=True)
    print(f"isolation: {len(chosen) - len(failed)} of {len(chosen)} packages stand alone")
    if failed:
        print("not standing alone:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
