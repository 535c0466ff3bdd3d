"""Tests for shallot.http.uploads: FileUpload, Files, the default file factory, file name safety."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, BinaryIO

import pytest

from shallot.http.uploads import (
    FileFactory,
    Files,
    FileUpload,
    default_file_factory,
    sanitize_filename,
)

if TYPE_CHECKING:
    from pathlib import Path


def _upload(name: str = "doc", content: bytes = b"hello", filename: str = "a.txt") -> FileUpload:
    return FileUpload(name, filename, "text/plain", {}, io.BytesIO(content), len(content))


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("/etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("dir/", ""),
        ("..", ""),
        (".", ""),
        ("a/..", ""),
        ("  spaced name.txt  ", "spaced name.txt"),
        ("evil\x00name\r\n.txt", "evilname.txt"),
        ("\x7fdel", "del"),
        (".hidden", ".hidden"),
        ("žluťoučký kůň.txt", "žluťoučký kůň.txt"),
        ("", ""),
    ],
)
def test_sanitize_filename(raw: str, safe: str) -> None:
    assert sanitize_filename(raw) == safe


def test_default_factory_makes_a_disk_file() -> None:
    file = default_file_factory("field", "name.txt", "text/plain")
    try:
        assert not isinstance(file, io.BytesIO)
        assert isinstance(file.fileno(), int)
        file.write(b"data")
        file.seek(0)
        assert file.read() == b"data"
    finally:
        file.close()


def test_a_plain_function_is_a_file_factory() -> None:
    made: list[tuple[str, str, str]] = []

    def factory(field: str, filename: str, content_type: str, /) -> BinaryIO:
        made.append((field, filename, content_type))
        return io.BytesIO()

    typed: FileFactory = factory
    typed("f", "n", "t")
    assert made == [("f", "n", "t")]


def test_save_to_path(tmp_path: Path) -> None:
    upload = _upload(content=b"content")
    upload.file.seek(3)
    target = tmp_path / "out.bin"
    target.write_bytes(b"previous, longer content")
    upload.save(target)
    assert target.read_bytes() == b"content"
    assert upload.file.tell() == 0
    upload.save(str(tmp_path / "again.bin"))
    assert (tmp_path / "again.bin").read_bytes() == b"content"


def test_save_to_file_object() -> None:
    upload = _upload(content=b"content")
    upload.file.read()
    target = io.BytesIO()
    upload.save(target)
    assert target.getvalue() == b"content"
    assert upload.file.tell() == 0


def test_close_and_context_manager() -> None:
    upload = _upload()
    with upload as same:
        assert same is upload
        assert not upload.file.closed
    assert upload.file.closed
    upload.close()


def test_upload_is_a_frozen_record() -> None:
    upload = _upload()
    assert upload.name == "doc"
    assert upload.filename == "a.txt"
    assert upload.content_type == "text/plain"
    assert upload.size == 5
    with pytest.raises(AttributeError):
        upload.size = 3  # type: ignore[misc]  # the point: records are immutable


def test_files_multimap() -> None:
    first, second, other = _upload("doc"), _upload("doc"), _upload("img")
    files = Files([first, other, second])
    assert files["doc"] is first
    assert files.getfirst("doc") is first
    assert files.get("doc") is first
    assert files.getfirst("missing") is None
    assert files.getfirst("missing", "x") == "x"
    assert files.getlist("doc") == [first, second]
    assert files.getlist("missing") == []
    assert "img" in files
    assert "missing" not in files
    assert list(files) == ["doc", "img"]
    assert files.keys() == ["doc", "img"]
    assert len(files) == 2
    assert files.items() == [("doc", first), ("img", other), ("doc", second)]
    with pytest.raises(KeyError):
        files["missing"]
    assert "Files([FileUpload(name='doc'" in repr(files)


def test_files_close_closes_every_upload() -> None:
    uploads = [_upload("a"), _upload("a"), _upload("b")]
    Files(uploads).close()
    assert all(upload.file.closed for upload in uploads)


def test_empty_files() -> None:
    files = Files()
    assert len(files) == 0
    assert files.items() == []
    files.close()
