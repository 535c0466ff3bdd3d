"""RFC 4709 mount documents: ``?davmount`` on collections, under a real server, parsed safely."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import defusedxml.ElementTree  # type: ignore[import-untyped, unused-ignore]  # stubs may be absent
import pytest

from shallot.dav import DAVConfig, build_app
from shallot.dav.davmount import DAVMOUNT_NS, DAVMOUNT_TYPE, MountDocument, wants_davmount
from shallot.testing import connect, fetch

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from xml.etree.ElementTree import Element

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.testing import Reply, Serve

DM = "{" + DAVMOUNT_NS + "}"


def mount_fields(body: bytes) -> dict[str, str]:
    """The document's elements by local name, after checking its root."""
    root: Element = defusedxml.ElementTree.fromstring(body, forbid_dtd=True)
    assert root.tag == f"{DM}mount"
    fields = {}
    for child in root:
        assert child.tag.startswith(DM)
        fields[child.tag[len(DM) :]] = child.text or ""
    return fields


def davmount(reply: Reply) -> dict[str, str]:
    assert reply.status == 200, reply.body
    assert reply.headers["Content-Type"] == DAVMOUNT_TYPE
    assert reply.headers["Cache-Control"] == "private, no-cache"
    return mount_fields(reply.body)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    root.mkdir()
    (root / "sub").mkdir()
    (root / "sub" / "report 1.odt").write_bytes(b"odt")
    (root / "sub" / "inner").mkdir()
    (root / "caf\u00e9 & <co>").mkdir()
    (root / "file.txt").write_bytes(b"plain file")
    return root


def serve_dav(serve: Serve, tree: Path, **options: object) -> str:
    return serve(build_app(DAVConfig(shares={"/": tree}, **options)))  # type: ignore[arg-type]  # options are DAVConfig fields


def test_the_root_collection(serve: Serve, tree: Path) -> None:
    base = serve_dav(serve, tree)
    assert davmount(fetch(base, "/?davmount")) == {"url": base + "/"}
    assert davmount(fetch(base, "/?davmount=")) == {"url": base + "/"}


def test_a_subcollection_with_or_without_its_final_slash(serve: Serve, tree: Path) -> None:
    base = serve_dav(serve, tree)
    assert davmount(fetch(base, "/sub/?davmount")) == {"url": base + "/sub/"}
    assert davmount(fetch(base, "/sub?sort=size&davmount")) == {"url": base + "/sub/"}


def test_names_are_percent_encoded_in_the_url_and_escaped_in_the_xml(
    serve: Serve, tree: Path
) -> None:
    base = serve_dav(serve, tree)
    reply = fetch(base, "/caf%C3%A9%20%26%20%3Cco%3E/?davmount")
    assert b"&amp;" in reply.body
    assert b"<co>" not in reply.body
    assert davmount(reply) == {"url": base + "/caf%C3%A9%20&%20%3Cco%3E/"}


def test_open_names_a_member_to_open_after_mounting(serve: Serve, tree: Path) -> None:
    base = serve_dav(serve, tree)
    fields = davmount(fetch(base, "/sub/?davmount&open=report%201.odt"))
    assert fields == {"url": base + "/sub/", "open": "report%201.odt"}
    assert davmount(fetch(base, "/sub/?davmount&open=inner"))["open"] == "inner"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("davmount&open=missing.txt", 404),
        ("davmount&open=inner/x", 400),
        ("davmount&open=..", 400),
        ("davmount&open=", 400),
        ("davmount&open=a&open=b", 400),
        ("davmount&open=%00", 400),
        ("davmount&open=CON", 400),
    ],
)
def test_a_bad_open_is_refused(serve: Serve, tree: Path, query: str, status: int) -> None:
    reply = fetch(serve_dav(serve, tree), f"/sub/?{query}")
    assert reply.status == status
    assert reply.headers["Content-Type"] != DAVMOUNT_TYPE


def test_the_query_means_nothing_on_a_file_and_an_unmapped_url_is_404(
    serve: Serve, tree: Path
) -> None:
    base = serve_dav(serve, tree)
    reply = fetch(base, "/file.txt?davmount")
    assert (reply.status, reply.body) == (200, b"plain file")
    assert reply.headers["Content-Type"] != DAVMOUNT_TYPE
    assert fetch(base, "/nothing/?davmount").status == 404


def test_head_has_the_headers_only(serve: Serve, tree: Path) -> None:
    reply = fetch(serve_dav(serve, tree), "/sub/?davmount", "HEAD")
    assert (reply.status, reply.body) == (200, b"")
    assert reply.headers["Content-Type"] == DAVMOUNT_TYPE


def test_the_url_includes_script_name(serve: Serve, tree: Path) -> None:
    dav = build_app(DAVConfig(shares={"/": tree}))

    def mounted(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path: str = environ["PATH_INFO"]
        if path != "/files" and not path.startswith("/files/"):
            start_response("404 Not Found", [("Content-Length", "0")])
            return []
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/files"
        environ["PATH_INFO"] = path[len("/files") :]
        return dav(environ, start_response)

    base = serve(mounted)
    assert davmount(fetch(base, "/files/sub/?davmount")) == {"url": base + "/files/sub/"}
    assert davmount(fetch(base, "/files?davmount")) == {"url": base + "/files/"}


def test_the_url_is_the_one_the_client_used_behind_a_trusted_proxy(
    serve: Serve, tree: Path
) -> None:
    base = serve_dav(serve, tree, trusted_proxies=1)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "files.example"}
    reply = fetch(base, "/sub/?davmount", headers=headers)
    assert davmount(reply) == {"url": "https://files.example/sub/"}


def test_an_authenticated_user_is_named(serve: Serve, tree: Path) -> None:
    base = serve_dav(serve, tree, auth="basic", users={"ann": "pw"}, basic_over_http=True)
    credentials = base64.b64encode(b"ann:pw").decode()
    reply = fetch(base, "/sub/?davmount", headers={"Authorization": f"Basic {credentials}"})
    assert davmount(reply) == {"url": base + "/sub/", "username": "ann"}
    assert fetch(base, "/sub/?davmount").status == 401


def test_a_host_header_that_is_no_host_name_is_refused(serve: Serve, tree: Path) -> None:
    base = serve_dav(serve, tree)
    with connect(base) as connection:
        connection.putrequest("GET", "/sub/?davmount", skip_host=True)
        connection.putheader("Host", "evil.example/<x>")
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 400
        assert response.getheader("Content-Type") != DAVMOUNT_TYPE


def test_the_browser_offers_the_mount_link_and_it_leads_to_the_document(
    serve: Serve, tree: Path
) -> None:
    base = serve_dav(serve, tree)
    page = fetch(base, "/sub/").body.decode()
    assert '<a href="?davmount" type="application/davmount+xml">' in page
    assert davmount(fetch(base, "/sub/?davmount")) == {"url": base + "/sub/"}


def test_without_the_browser_the_document_is_still_served(serve: Serve, tree: Path) -> None:
    base = serve_dav(serve, tree, browser=False)
    assert fetch(base, "/sub/").status == 403
    assert davmount(fetch(base, "/sub/?davmount")) == {"url": base + "/sub/"}


def test_the_document_escapes_every_value() -> None:
    document = MountDocument("http://h/a&b/", "x<y>", "ann\x01&\u00e9")
    xml = document.to_xml()
    assert xml.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert mount_fields(xml) == {"url": "http://h/a&b/", "open": "x<y>", "username": "ann\ufffd&é"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("davmount", True),
        ("davmount=", True),
        ("davmount=1", True),
        ("sort=name&davmount", True),
        ("", False),
        ("sort=name", False),
        ("xdavmount", False),
        ("davmount2=1", False),
        ("open=davmount", False),
    ],
)
def test_which_queries_ask_for_the_document(query: str, expected: bool) -> None:
    assert wants_davmount(query) is expected


def test_the_app_type_checks_as_wsgi(tree: Path) -> None:
    app: WSGIApplication = build_app(DAVConfig(shares={"/": tree}))
    assert callable(app)
