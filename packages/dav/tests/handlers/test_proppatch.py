"""PROPPATCH: document order, all or nothing, protected properties, namespaces and xml:lang."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client

D = "{DAV:}"


def patch(dav: Client, path: str, inner: str) -> dict[str, int]:
    body = f'<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z">{inner}</D:propertyupdate>'
    found = dav.responses(dav("PROPPATCH", path, body=body.encode()))
    (response,) = found.values()
    return dav.prop_statuses(response)


def test_set_and_remove_in_document_order(dav: Client) -> None:
    dav.put("/a")
    statuses = patch(
        dav,
        "/a",
        "<D:set><D:prop><Z:one>1</Z:one><Z:two>2</Z:two></D:prop></D:set>"
        "<D:remove><D:prop><Z:one/></D:prop></D:remove>"
        "<D:set><D:prop><Z:two>again</Z:two></D:prop></D:set>",
    )
    assert statuses == {"{urn:z}one": 200, "{urn:z}two": 200}
    assert dav.app.props.get_all("/a") == {"{urn:z}two": '<two xmlns="urn:z">again</two>'}


def test_values_keep_structure_namespaces_and_language(dav: Client) -> None:
    dav.put("/a")
    patch(
        dav,
        "/a",
        '<D:set xml:lang="fr"><D:prop><Z:author><Z:name role="lead" xmlns:q="urn:q" q:n="1">'
        "Jeanne &amp; Co</Z:name> tail <x xmlns=''/></Z:author><nons>plain</nons>"
        "</D:prop></D:set>",
    )
    found = dav.propfind("/a", dav.propfind_body("{urn:z}author", "{}nons"), depth="0")
    author = dav.prop_value(found["/a"], "{urn:z}author")
    assert author is not None
    assert author.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    name = author.find("{urn:z}name")
    assert name is not None
    assert (name.text, name.get("role"), name.get("{urn:q}n")) == ("Jeanne & Co", "lead", "1")
    assert name.tail == " tail "
    assert author.find("x") is not None
    nons = dav.prop_value(found["/a"], "nons")
    assert nons is not None
    assert nons.text == "plain"


def test_protected_properties_fail_the_whole_patch(dav: Client) -> None:
    dav.put("/a")
    statuses = patch(
        dav,
        "/a",
        "<D:set><D:prop><Z:fine>x</Z:fine><D:getetag>forged</D:getetag></D:prop></D:set>",
    )
    assert statuses == {"{urn:z}fine": 424, D + "getetag": 403}
    assert dav.app.props.get_all("/a") == {}
    body = dav(
        "PROPPATCH",
        "/a",
        body=b'<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:getetag>x</D:getetag>'
        b"</D:prop></D:set></D:propertyupdate>",
    ).body
    assert b"cannot-modify-protected-property" in body


def test_win32_properties_are_dead_properties(dav: Client) -> None:
    dav.put("/doc.docx")
    statuses = patch(
        dav,
        "/doc.docx",
        '<D:set><D:prop xmlns:W="urn:schemas-microsoft-com:">'
        "<W:Win32CreationTime>Mon, 01 Jan 2024 10:00:00 GMT</W:Win32CreationTime>"
        "<W:Win32FileAttributes>00000020</W:Win32FileAttributes>"
        "</D:prop></D:set>",
    )
    assert set(statuses.values()) == {200}
    found = dav.propfind(
        "/doc.docx",
        dav.propfind_body("{urn:schemas-microsoft-com:}Win32FileAttributes"),
        depth="0",
    )
    value = dav.prop_value(found["/doc.docx"], "{urn:schemas-microsoft-com:}Win32FileAttributes")
    assert value is not None
    assert value.text == "00000020"


def test_limits_fail_every_property_with_507(dav: Client) -> None:
    dav.put("/a")
    huge = "x" * (70 * 1024)
    statuses = patch(dav, "/a", f"<D:set><D:prop><Z:big>{huge}</Z:big><Z:s/></D:prop></D:set>")
    assert statuses == {"{urn:z}big": 507, "{urn:z}s": 507}
    assert dav.app.props.get_all("/a") == {}


def test_bad_requests(dav: Client) -> None:
    dav.put("/a")
    assert dav("PROPPATCH", "/a").status == 400
    assert dav("PROPPATCH", "/a", body=b"<D:propfind xmlns:D='DAV:'/>").status == 400
    empty = b'<D:propertyupdate xmlns:D="DAV:"/>'
    assert dav("PROPPATCH", "/a", body=empty).status == 400
    assert dav("PROPPATCH", "/missing", body=empty).status == 404
    deep = "<Z:d>" * 100 + "</Z:d>" * 100
    statuses = f'<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z"><D:set><D:prop>{deep}'
    result = dav(
        "PROPPATCH", "/a", body=(statuses + "</D:prop></D:set></D:propertyupdate>").encode()
    )
    assert result.status == 400
