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


def test_options_star_names_every_method_of_the_server(dav: Client) -> None:
    """The request-target ``*`` (which cheroot passes with the path ``/*``) is the server."""
    every = ["OPTIONS", "GET", "HEAD", "PROPFIND", "PUT", "MKCOL"]
    every += ["DELETE", "PROPPATCH", "COPY", "MOVE", "LOCK", "UNLOCK"]
    result = dav("OPTIONS", "/*", environ={"REQUEST_URI": "*"})
    assert result.status == 200
    assert result.headers["dav"] == "1, 2"
    assert [method.strip() for method in result.headers["allow"].split(",")] == every
    assert allowed(dav, "/*") == ["OPTIONS", "PUT", "MKCOL", "LOCK"]  # a file named "*"


def test_unknown_methods_get_405_with_allow(dav: Client) -> None:
    result = dav("PATCH", "/")
    assert result.status == 405
    assert "PROPFIND" in result.headers["allow"]
