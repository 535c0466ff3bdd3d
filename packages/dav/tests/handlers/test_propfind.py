"""PROPFIND: allprop, propname, prop, include, depths, dead properties, locks, quota."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packages.dav.tests.conftest import Client

D = "{DAV:}"
DEAD = "{urn:x}colour"
DEAD_VALUE = '<colour xmlns="urn:x">red</colour>'


def populate(dav: Client) -> None:
    dav("MKCOL", "/folder")
    dav.put("/folder/a.txt", b"hello")
    dav("MKCOL", "/folder/sub")
    dav.put("/folder/sub/deep.txt", b"deep")
    dav.app.props.patch("/folder/a.txt", set={DEAD: DEAD_VALUE})


def test_allprop_depth_one(dav: Client) -> None:
    populate(dav)
    found = dav.propfind("/folder")
    assert sorted(found) == ["/folder/", "/folder/a.txt", "/folder/sub/"]
    statuses = dav.prop_statuses(found["/folder/a.txt"])
    assert set(statuses.values()) == {200}
    expected = {
        "resourcetype",
        "displayname",
        "getcontentlength",
        "getcontenttype",
        "getetag",
        "getlastmodified",
        "creationdate",
        "supportedlock",
        "lockdiscovery",
    }
    assert {D + name for name in expected} | {DEAD} == set(statuses)
    length = dav.prop_value(found["/folder/a.txt"], D + "getcontentlength")
    assert length is not None
    assert length.text == "5"
    folder_type = dav.prop_value(found["/folder/sub/"], D + "resourcetype")
    assert folder_type is not None
    assert folder_type.find(D + "collection") is not None
    colour = dav.prop_value(found["/folder/a.txt"], DEAD)
    assert colour is not None
    assert colour.text == "red"
    assert D + "getcontentlength" not in dav.prop_statuses(found["/folder/sub/"])


def test_empty_body_is_allprop_and_depth_zero(dav: Client) -> None:
    populate(dav)
    found = dav.propfind("/folder/a.txt", depth="0")
    assert list(found) == ["/folder/a.txt"]
    assert DEAD in dav.prop_statuses(found["/folder/a.txt"])
    assert list(dav.propfind("/folder", depth="0")) == ["/folder/"]


def test_named_properties_found_and_missing(dav: Client) -> None:
    populate(dav)
    body = dav.propfind_body(D + "getcontentlength", DEAD, "{urn:x}absent", D + "getetag")
    found = dav.propfind("/folder", body)
    assert dav.prop_statuses(found["/folder/a.txt"]) == {
        D + "getcontentlength": 200,
        DEAD: 200,
        "{urn:x}absent": 404,
        D + "getetag": 200,
    }
    assert dav.prop_statuses(found["/folder/sub/"]) == {
        D + "getcontentlength": 404,
        DEAD: 404,
        "{urn:x}absent": 404,
        D + "getetag": 200,
    }


def test_propname_lists_names_only(dav: Client) -> None:
    populate(dav)
    found = dav.propfind(
        "/folder", b'<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>', depth="1"
    )
    names = dav.prop_statuses(found["/folder/a.txt"])
    assert DEAD in names
    assert D + "getetag" in names
    value = dav.prop_value(found["/folder/a.txt"], DEAD)
    assert value is not None
    assert value.text is None


def test_allprop_include_adds_quota(dav: Client) -> None:
    populate(dav)
    body = (
        b'<D:propfind xmlns:D="DAV:"><D:allprop/><D:include>'
        b"<D:quota-used-bytes/><D:quota-available-bytes/></D:include></D:propfind>"
    )
    found = dav.propfind("/folder", body, depth="0")
    used = dav.prop_value(found["/folder/"], D + "quota-used-bytes")
    available = dav.prop_value(found["/folder/"], D + "quota-available-bytes")
    assert used is not None
    assert used.text == "9"
    assert available is not None
    assert int(available.text or "0") > 0
    assert D + "getetag" in dav.prop_statuses(found["/folder/"])


def test_depth_infinity_is_refused_by_default(dav: Client) -> None:
    populate(dav)
    result = dav("PROPFIND", "/folder", {"Depth": "infinity"})
    assert result.status == 403
    assert b"<D:propfind-finite-depth" in result.body
    assert dav("PROPFIND", "/folder", {"Depth": "Infinity"}).status == 403
    assert dav("PROPFIND", "/folder", {"Depth": "2"}).status == 400


def test_depth_infinity_on_a_file_or_a_missing_path_is_not_refused(dav: Client) -> None:
    """Clients such as webdav4 send no Depth when they look at one file: infinity there is a
    file's own properties, and a missing path is a 404, not a finite-depth refusal."""
    populate(dav)
    files = [name for name in dav.propfind("/folder", depth="1") if not name.endswith("/")]
    assert files
    for depth in ({}, {"Depth": "infinity"}):
        result = dav("PROPFIND", files[0], depth)
        assert result.status == 207
        assert result.body.count(b"<D:response>") == 1
    assert dav("PROPFIND", "/folder/missing.txt").status == 404


def test_absent_depth_on_a_collection_is_answered_as_depth_one(dav: Client) -> None:
    """RFC 4918 reads an absent Depth as infinity; with infinity off, a collection is answered
    at Depth 1 (as SabreDAV does) rather than refused, since clients such as webdav4 send no Depth
    when they stat a folder. An explicit ``Depth: infinity`` is still refused."""
    populate(dav)
    result = dav("PROPFIND", "/folder")
    assert result.status == 207
    assert result.body.count(b"<D:response>") == 3
    assert b"deep.txt" not in result.body


def test_bad_bodies_and_missing_resources(dav: Client) -> None:
    populate(dav)
    assert dav("PROPFIND", "/folder", {"Depth": "0"}, b"<D:propfind").status == 400
    assert dav("PROPFIND", "/folder", {"Depth": "0"}, b"<other/>").status == 400
    both = b'<D:propfind xmlns:D="DAV:"><D:allprop/><D:propname/></D:propfind>'
    assert dav("PROPFIND", "/folder", {"Depth": "0"}, both).status == 400
    assert dav("PROPFIND", "/missing", {"Depth": "0"}).status == 404


def test_lockdiscovery_of_members(dav: Client) -> None:
    populate(dav)
    lockinfo = (
        b'<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:shared/></D:lockscope>'
        b"<D:locktype><D:write/></D:locktype><D:owner>ann</D:owner></D:lockinfo>"
    )
    token = dav("LOCK", "/folder/a.txt", body=lockinfo).headers["lock-token"][1:-1]
    found = dav.propfind("/folder", dav.propfind_body(D + "lockdiscovery"))
    discovery = dav.prop_value(found["/folder/a.txt"], D + "lockdiscovery")
    assert discovery is not None
    assert discovery.findtext(f"{D}activelock/{D}locktoken/{D}href") == token
    assert discovery.find(f"{D}activelock/{D}lockscope/{D}shared") is not None
    assert discovery.findtext(f"{D}activelock/{D}owner") == "ann"
    assert discovery.findtext(f"{D}activelock/{D}lockroot/{D}href") == "/folder/a.txt"
    other = dav.prop_value(found["/folder/sub/"], D + "lockdiscovery")
    assert other is not None
    assert list(other) == []
