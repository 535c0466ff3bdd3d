from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pytest

from shallot.cli.app_loader import AppNotFound, find_app_module, load_app

if TYPE_CHECKING:
    from pathlib import Path

MODULE = """
def application(environ, start_response):
    return []

class site:
    def wsgi(environ, start_response):
        return []

app = application
settings = {"debug": True}
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module ``shallot_loader_demo_<n>`` on sys.path (a fresh name per test)."""
    name = f"shallot_loader_demo_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(MODULE))
    (tmp_path / f"{name}_broken.py").write_text("import shallot_no_such_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def test_module_and_attribute(module: str) -> None:
    loaded = load_app(f"{module}:app")
    assert loaded.__name__ == "application"


def test_the_attribute_defaults_to_application(module: str) -> None:
    assert load_app(module) is load_app(f"{module}:application")


def test_a_dotted_attribute_path(module: str) -> None:
    assert load_app(f"{module}:site.wsgi").__qualname__ == "site.wsgi"


def test_the_current_folder_is_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "shallot_cwd_demo.py").write_text(textwrap.dedent(MODULE))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.path", [p for p in __import__("sys").path if p not in ("", ".")])
    assert callable(load_app("shallot_cwd_demo:app"))


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("", "expected MODULE:APP"),
        (":app", "expected MODULE:APP"),
        ("bad-name:app", "expected MODULE:APP"),
        ("{module}:no-such", "is not an attribute path"),
        ("{module}:missing", "has no attribute 'missing'"),
        ("{module}:site.missing", "has no attribute 'site.missing'"),
        ("{module}:settings", "is a dict, not a WSGI app"),
        ("shallot_no_such_module:app", "no module named 'shallot_no_such_module'"),
        ("shallot.no_such_module:app", "no module named 'shallot.no_such_module'"),
    ],
)
def test_bad_references_say_what_is_wrong(module: str, reference: str, reason: str) -> None:
    reference = reference.format(module=module)
    with pytest.raises(AppNotFound) as raised:
        load_app(reference)
    assert raised.value.reference == reference
    assert reason in raised.value.reason


def test_an_import_error_inside_the_module_propagates(module: str) -> None:
    with pytest.raises(ModuleNotFoundError, match="shallot_no_such_dependency"):
        load_app(f"{module}_broken:app")


def test_finding_the_module_does_not_run_it(module: str) -> None:
    find_app_module(f"{module}_broken:app")
    find_app_module("shallot.cli.main:main")
    for reference, reason in [
        ("shallot_no_such_module:app", "no module named 'shallot_no_such_module'"),
        ("shallot_no_such_package.web:app", "no module named 'shallot_no_such_package'"),
        ("shallot.cli.no_such_module", "no module named 'shallot.cli.no_such_module'"),
        ("-x", "expected MODULE:APP"),
    ]:
        with pytest.raises(AppNotFound, match=reason):
            find_app_module(reference)
