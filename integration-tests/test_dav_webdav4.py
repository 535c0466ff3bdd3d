"""webdav4 (a Python WebDAV client on httpx) against ``shallot dav``, anonymously and with
Digest login: upload, list, download, copy, move, delete, with checksums."""

from __future__ import annotations

import hashlib
import io
import random
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from dav_servers import dav_server
from webdav4.client import Client  # type: ignore[import-untyped]  # webdav4 ships no py.typed

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(params=["anonymous", "digest"])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    """A webdav4 client of a fresh server, and the folder that server serves."""
    root = tmp_path / "root"
    root.mkdir()
    digest = request.param == "digest"
    login = ("--user", "ann:s3cret") if digest else ()
    with dav_server(root, str(tmp_path / "state"), *login) as server:
        auth = httpx.DigestAuth("ann", "s3cret") if digest else None
        dav = Client(server.url, auth=auth, timeout=60)
        yield dav, root
        dav.http.close()


def test_files_and_folders_round_trip(client: tuple[Any, Path]) -> None:
    dav, root = client
    rng = random.Random(4)
    files = {
        "docs/report.txt": b"quarterly\n" * 100,
        "docs/ünï cödé.bin": rng.randbytes(70_000),
        "docs/deeper/empty": b"",
        "big.bin": rng.randbytes(5 * 1024 * 1024 + 17),
    }
    dav.mkdir("docs")
    dav.mkdir("docs/deeper")
    for path, data in files.items():
        dav.upload_fileobj(io.BytesIO(data), path)
    for path, data in files.items():
        assert sha256((root / path).read_bytes()) == sha256(data), path
        downloaded = io.BytesIO()
        dav.download_fileobj(path, downloaded)
        assert sha256(downloaded.getvalue()) == sha256(data), path
        assert dav.content_length(path) == len(data)

    listing = {entry["name"]: entry for entry in dav.ls("docs", detail=True)}
    assert set(listing) == {"docs/report.txt", "docs/ünï cödé.bin", "docs/deeper"}
    assert listing["docs/deeper"]["type"] == "directory"
    assert listing["docs/report.txt"]["content_length"] == 1000
    assert dav.isdir("docs/deeper")
    assert dav.isfile("big.bin")

    with pytest.raises(Exception, match="exists"):
        dav.upload_fileobj(io.BytesIO(b"again"), "big.bin")
    dav.upload_fileobj(io.BytesIO(b"again"), "big.bin", overwrite=True)
    assert (root / "big.bin").read_bytes() == b"again"


def test_copy_move_and_delete(client: tuple[Any, Path]) -> None:
    dav, root = client
    data = random.Random(5).randbytes(200_000)
    dav.mkdir("src")
    dav.upload_fileobj(io.BytesIO(data), "src/file.bin")
    dav.copy("src", "copied")
    assert sha256((root / "copied" / "file.bin").read_bytes()) == sha256(data)
    dav.move("copied/file.bin", "copied/renamed.bin")
    assert not dav.exists("copied/file.bin")
    assert sha256((root / "copied" / "renamed.bin").read_bytes()) == sha256(data)
    dav.move("copied", "src2")
    assert not (root / "copied").exists()
    assert [entry["name"] for entry in dav.ls("src2", detail=True)] == ["src2/renamed.bin"]
    dav.remove("src2")
    dav.remove("src/file.bin")
    assert not dav.exists("src2")
    assert dav.ls("src", detail=False) == []
    assert sorted(p.name for p in root.iterdir()) == ["src"]
