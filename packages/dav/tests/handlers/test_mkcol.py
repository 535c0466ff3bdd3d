"""MKCOL: 201, 405, 409 and 415."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client


def test_mkcol_statuses(dav: Client) -> None:
    assert dav("MKCOL", "/folder").status == 201
    assert dav("MKCOL", "/folder/").status == 405
    assert dav("MKCOL", "/missing/child").status == 409
    dav.put("/file")
    assert dav("MKCOL", "/file").status == 405
    assert dav("MKCOL", "/file/child").status == 409
    with_body = dav("MKCOL", "/other", {"Content-Type": "application/xml"}, b"<x/>")
    assert with_body.status == 415
    assert dav("PROPFIND", "/other", {"Depth": "0"}).status == 404
