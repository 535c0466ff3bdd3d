"""Exports and confinement: path segments refused before any file is touched, symlinks refused
when they lead out, package data found through importlib.resources."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from shallot.middleware import ExportError, ExportKind, PathRefused
from shallot.middleware.exports import confined_lstat, make_export, relative_segments

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("rest", "segments", "trailing"),
    [
        ("", [], False),
        ("/", [], True),
        ("/a.txt", ["a.txt"], False),
        ("/docs/", ["docs"], True),
        ("/a//b/./c", ["a", "b", "c"], False),
        ("/.well-known/x", [".well-known", "x"], False),
        ("/caf\xc3\xa9.txt", ["café.txt"], False),  # UTF-8 bytes as WSGI carries them
        ("/%2e%2e", ["%2e%2e"], False),  # double-encoded: a literal name, not a parent
        ("/ab:c", ["ab:c"], False),
    ],
)
def test_segments(rest: str, segments: list[str], trailing: bool) -> None:
    assert relative_segments(rest) == (segments, trailing)


@pytest.mark.parametrize(
    "rest",
    [
        "/..",
        "/../secret",
        "/a/../../secret",
        "/..\\secret",
        "/a\\b",
        "/a\x00.txt",
        "/C:/Windows/win.ini",
        "/c:secret",
        "/x/a:b",
        "/\xff.txt",  # not UTF-8
        "/\xc3(",
    ],
)
def test_refused_segments(rest: str) -> None:
    with pytest.raises(PathRefused):
        relative_segments(rest)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """root/ with a file, a folder, an inside symlink and symlinks leading out."""
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "file.txt").write_text("inside")
    (tmp_path / "secret.txt").write_text("outside")
    (root / "inside-link").symlink_to(root / "sub" / "file.txt")
    (root / "sub-link").symlink_to(root / "sub")
    (root / "out-link").symlink_to(tmp_path / "secret.txt")
    (root / "out-dir").symlink_to(tmp_path)
    (root / "etc").symlink_to("/etc")
    (root / "dangling").symlink_to(root / "missing")
    return root


def test_confined_lstat_walks_inside(tree: Path) -> None:
    root = os.path.realpath(tree)
    found = confined_lstat(root, ["sub", "file.txt"])
    assert found is not None
    assert found[0] == f"{root}/sub/file.txt"
    assert confined_lstat(root, ["inside-link"]) is not None
    assert confined_lstat(root, ["sub-link", "file.txt"]) is not None
    assert confined_lstat(root, []) == (root, os.stat(root))


@pytest.mark.parametrize(
    "segments", [["missing"], ["sub", "file.txt", "more"], ["dangling"], ["sub", "nope.txt"]]
)
def test_confined_lstat_missing(tree: Path, segments: list[str]) -> None:
    assert confined_lstat(os.path.realpath(tree), segments) is None


@pytest.mark.parametrize(
    "segments", [["out-link"], ["out-dir", "secret.txt"], ["etc", "passwd"], ["etc"]]
)
def test_symlinks_out_are_refused(tree: Path, segments: list[str]) -> None:
    with pytest.raises(PathRefused, match="outside"):
        confined_lstat(os.path.realpath(tree), segments)


def test_make_export_kinds(tree: Path) -> None:
    folder = make_export("/static/", tree)
    assert folder.prefix == "/static"
    assert folder.kind is ExportKind.FOLDER
    assert folder.root == os.path.realpath(tree)
    single = make_export("/f.txt", str(tree / "sub" / "file.txt"))
    assert single.kind is ExportKind.FILE
    assert make_export("/", tree).prefix == ""
    assert make_export("/café", tree).prefix == "/caf\xc3\xa9"
    assert make_export("/later", tree / "not-yet").kind is ExportKind.FOLDER


def test_package_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "shallot_mw_pkg"
    (package / "assets").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "data.txt").write_text("x")
    monkeypatch.syspath_prepend(str(tmp_path))
    export = make_export("/assets", ("shallot_mw_pkg", "assets"))
    assert export.root == os.path.realpath(package / "assets")
    with pytest.raises(ExportError, match="not a folder"):
        make_export("/assets", ("shallot_mw_pkg", "data.txt"))
    with pytest.raises(ExportError, match="cannot find package"):
        make_export("/assets", ("shallot_no_such_package", "assets"))


def test_bad_exports(tree: Path) -> None:
    with pytest.raises(ExportError, match="must start with '/'") as caught:
        make_export("static", tree)
    assert caught.value.prefix == "static"
    with pytest.raises(ExportError, match="site root"):
        make_export("/", tree / "sub" / "file.txt")
