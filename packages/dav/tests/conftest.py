"""Fixtures shared by the shallot-dav tests: apps over each provider, and a way to call them.

A :class:`Client` sends one request at a time to an app in-process, behind wsgiref's validator (so
every answer is also checked against PEP 3333), and returns a :class:`Result`; its static methods
read 207 bodies. ``dav`` is a client of the whole stack over a ``provider`` parametrised as the
filesystem (a folder in ``tmp_path``) and memory, so the handler tests are the provider-agnostic
suite; ``fs`` is one over a real folder, ``share``.
"""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from wsgiref.validate import WSGIWarning

import pytest

from shallot.dav import (
    DAVApplication,
    DAVConfig,
    DAVProvider,
    FilesystemProvider,
    MemoryProvider,
    build_app,
)
from shallot.testing import validated

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import WSGIApplication

D = "{DAV:}"


@dataclass
class Result:
    """One in-process answer: status code, headers (names lower-cased) and body."""

    status: int
    headers: dict[str, str]
    body: bytes
    header_list: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def xml(self) -> ET.Element:
        return ET.fromstring(self.body)


def call(
    app: WSGIApplication,
    method: str,
    path: str = "/",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    *,
    environ: Mapping[str, object] | None = None,
) -> Result:
    """Send one request to ``app`` in-process (see the module documentation)."""
    env: dict[str, object] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    path, _, env["QUERY_STRING"] = path.partition("?")
    env["PATH_INFO"] = path.encode("utf-8").decode("latin-1")
    if body:
        env["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            env[key] = value
        else:
            env[f"HTTP_{key}"] = value
    env.update(environ or {})
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
    ) -> Callable[[bytes], object]:
        started.append((status, response_headers))
        return lambda data: None

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unknown REQUEST_METHOD", WSGIWarning)
        result = validated(app)(env, start_response)
    try:
        content = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, response_headers = started[-1]
    return Result(
        int(status.split()[0]),
        {name.lower(): value for name, value in response_headers},
        content,
        response_headers,
    )


def responses(result: Result) -> dict[str, ET.Element]:
    """The ``<D:response>`` elements of a 207 body by href."""
    assert result.status == 207, result.text
    found: dict[str, ET.Element] = {}
    for response in result.xml().iter(D + "response"):
        href = response.findtext(D + "href")
        assert href is not None
        found[href] = response
    return found


def prop_statuses(response: ET.Element) -> dict[str, int]:
    """Each property of a ``<D:response>`` with the status of its propstat."""
    found: dict[str, int] = {}
    for propstat in response.iter(D + "propstat"):
        status = int((propstat.findtext(D + "status") or "").split()[1])
        prop = propstat.find(D + "prop")
        assert prop is not None
        for element in prop:
            found[element.tag] = status
    return found


def prop_value(response: ET.Element, name: str) -> ET.Element | None:
    """The element of property ``name`` in a 200 propstat of ``response``."""
    for propstat in response.iter(D + "propstat"):
        if " 200 " in (propstat.findtext(D + "status") or ""):
            found = propstat.find(f"{D}prop/{name}")
            if found is not None:
                return found
    return None


def propfind_body(*names: str) -> bytes:
    """A PROPFIND body naming ``names`` (Clark notation)."""
    inner = "".join(f'<{name.split("}")[1]} xmlns="{name[1:].split("}")[0]}"/>' for name in names)
    return f'<D:propfind xmlns:D="DAV:"><D:prop>{inner}</D:prop></D:propfind>'.encode()


class Client:
    """Requests to ``app`` in-process (see the module documentation)."""

    def __init__(self, app: DAVApplication) -> None:
        self.app = app

    def __call__(
        self,
        method: str,
        path: str = "/",
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        *,
        environ: Mapping[str, object] | None = None,
    ) -> Result:
        """Send one request and read the whole answer."""
        return call(self.app, method, path, headers, body, environ=environ)

    def propfind(
        self, path: str, body: bytes = b"", depth: str = "1", headers: Mapping[str, str] = {}
    ) -> dict[str, ET.Element]:
        """The responses of a PROPFIND, by href (asserting a 207)."""
        return responses(self("PROPFIND", path, {"Depth": depth, **headers}, body))

    responses = staticmethod(responses)
    prop_statuses = staticmethod(prop_statuses)
    prop_value = staticmethod(prop_value)
    propfind_body = staticmethod(propfind_body)

    def put(self, path: str, content: bytes = b"data", headers: Mapping[str, str] = {}) -> int:
        """PUT ``content``; the status."""
        return self("PUT", path, headers, content).status


@pytest.fixture(params=["filesystem", "memory"])
def provider(request: pytest.FixtureRequest, tmp_path: Path) -> DAVProvider:
    """An empty provider of each kind."""
    if request.param == "filesystem":
        root = tmp_path / "share"
        root.mkdir()
        return FilesystemProvider(root)
    return MemoryProvider()


@pytest.fixture
def dav(provider: DAVProvider) -> Iterator[Client]:
    """A client of the whole stack over ``provider`` mounted at ``/``, state in memory."""
    app = build_app(DAVConfig(shares={"/": Path("/unused")}), providers={"/": provider})
    yield Client(app)
    app.close()


@pytest.fixture
def share(tmp_path: Path) -> Path:
    """An empty folder to serve."""
    root = tmp_path / "share"
    root.mkdir(exist_ok=True)
    return root


@pytest.fixture
def fs(share: Path) -> Iterator[Client]:
    """A client of the whole stack serving ``share`` from the filesystem, state in memory."""
    app = build_app(DAVConfig(shares={"/": share}))
    yield Client(app)
    app.close()


@pytest.fixture
def send() -> Callable[..., Result]:
    """``send(app, method, path, headers, body, environ=...)``: one in-process request to any
    WSGI app (a single response or middleware), read whole."""
    return call
