"""OPTIONS: the class 1 and 2 headers and the methods each kind of resource allows."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client


def allowed(dav: Client, path: str) -> list[str]:
    result = dav("OPTIONS", path)
    assert result.status == 200
    assert result.headers["dav"] == "1, 2"
    assert result.headers["ms-author-via"] == "DAV"
    assert result.body == b""
    return [method.strip() for method in result.headers["allow"].split(",")]


def test_options_names_what_each_resource_allows(dav: Client) -> None:
    assert dav.put("/file.txt") == 201
    assert dav("MKCOL", "/folder").status == 201
    assert "PUT" in allowed(dav, "/file.txt")
    assert "PROPFIND" in allowed(dav, "/file.txt")
    folder = allowed(dav, "/folder")
    assert "PUT" not in folder
    assert {"DELETE", "PROPPATCH", "LOCK", "UNLOCK", "COPY", "MOVE"} <= set(folder)
    assert allowed(dav, "/missing") == ["OPTIONS", "PUT", "MKCOL", "LOCK"]


def test_unknown_methods_get_405_with_allow(dav: Client) -> None:
    result = dav("PATCH", "/")
    assert result.status == 405
    assert "PROPFIND" in result.headers["allow"]
