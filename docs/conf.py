"""Sphinx configuration for the Shallot documentation site.

Sphinx because it is what our anchors (Werkzeug, WebOb) use, autodoc builds the API reference from
the docstrings we already write, and ``-W`` turns every broken reference into a failing check. MyST
lets the site reuse each package's ``README.md`` as its page, so a package's docs live in its own
folder.

Package pages are generated at build time from ``packages/*/``: adding a package needs no edit here.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "tools"))

from monorepo import discover  # noqa: E402

project = "Shallot"
author = "The Shallot developers"
copyright = "2026, the Shallot developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx", "sphinx.ext.viewcode", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "Shallot"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
myst_heading_anchors = 3
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
suppress_warnings = ["myst.xref_missing"]


def _write_package_pages() -> None:
    """One page per package: its README, then the API reference of ``shallot.<module>``."""
    pages = DOCS / "packages"
    pages.mkdir(exist_ok=True)
    for stale in pages.glob("*.md"):
        stale.unlink()
    for package in discover().values():
        readme = Path("..", "..") / (package.folder / "README.md").relative_to(ROOT)
        (pages / f"{package.concern}.md").write_text(
            f"```{{include}} {readme.as_posix()}\n```\n\n"
            "## API reference\n\n"
            "```{eval-rst}\n"
            f".. automodule:: shallot.{package.module}\n"
            "```\n",
            encoding="utf-8",
        )


_write_package_pages()
