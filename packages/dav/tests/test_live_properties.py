"""Live properties: their XML, per kind of resource."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from shallot.dav import Quota, ResourceInfo
from shallot.dav.live_properties import (
    LIVE_NAMES,
    activelock,
    allprop,
    creation_date,
    last_modified,
    live_names,
    lockdiscovery,
    render_live,
)
from shallot.locks import Depth, Lock, Scope

FILE = ResourceInfo("a&b.txt", False, 12, 1_000_000_000.5, 999_999_999.0, "e1", "text/plain")
FOLDER = ResourceInfo("dir", True, 0, 1_000_000_000.0, 1_000_000_000.0, "e2", "")


def parse(fragment: str) -> ET.Element:
    return ET.fromstring(f'<D:prop xmlns:D="DAV:">{fragment}</D:prop>')


def test_dates() -> None:
    assert last_modified(1_000_000_000.7) == "Sun, 09 Sep 2001 01:46:40 GMT"
    assert creation_date(1_000_000_000.7) == "2001-09-09T01:46:40Z"


def test_allprop_of_a_file_and_a_folder() -> None:
    file = parse(allprop(FILE, "<D:lockdiscovery/>"))
    assert file.findtext("{DAV:}displayname") == "a&b.txt"
    assert file.findtext("{DAV:}getcontentlength") == "12"
    assert file.findtext("{DAV:}getetag") == '"e1"'
    assert len(file.findall("{DAV:}supportedlock/{DAV:}lockentry")) == 2
    folder = parse(allprop(FOLDER, "<D:lockdiscovery/>"))
    assert folder.find("{DAV:}resourcetype/{DAV:}collection") is not None
    assert folder.find("{DAV:}getcontentlength") is None
    assert set(live_names(FILE)) < LIVE_NAMES
    assert "{DAV:}quota-used-bytes" in live_names(FOLDER)


def test_render_live_asks_only_for_what_it_needs() -> None:
    def no_locks() -> str:
        raise AssertionError("not asked")

    assert render_live("{DAV:}getcontenttype", FILE, no_locks, lambda: None) is not None
    assert render_live("{DAV:}getcontenttype", FOLDER, no_locks, lambda: None) is None
    assert render_live("{DAV:}quota-used-bytes", FILE, no_locks, lambda: None) is None
    assert render_live("{urn:x}dead", FILE, no_locks, lambda: None) is None
    quota = render_live("{DAV:}quota-available-bytes", FOLDER, no_locks, lambda: Quota(1, 2))
    assert quota == "<D:quota-available-bytes>2</D:quota-available-bytes>"
    assert render_live("{DAV:}lockdiscovery", FILE, lambda: "L", lambda: None) == "L"


def test_lock_discovery() -> None:
    lock = Lock(
        token="urn:uuid:1",
        root="/a&b",
        depth=Depth.INFINITY,
        scope=Scope.SHARED,
        owner='<owner xmlns="DAV:">ann</owner>',
        principal=None,
        timeout=100,
        expires_at=1100.0,
    )
    active = parse(activelock(lock, "/dav", 1000.5))[0]
    assert active.findtext("{DAV:}timeout") == "Second-100"
    assert active.findtext("{DAV:}lockroot/{DAV:}href") == "/dav/a&b"
    assert active.findtext("{DAV:}owner") == "ann"
    assert active.findtext("{DAV:}depth") == "infinity"
    assert lockdiscovery([], "", 0) == "<D:lockdiscovery/>"
    forever = Lock("urn:uuid:2", "/", Depth.ZERO, Scope.EXCLUSIVE, None, None, None, None)
    assert "<D:timeout>Infinite</D:timeout>" in lockdiscovery([forever], "", 0)
