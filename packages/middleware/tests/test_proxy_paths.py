"""The path the proxy sends upstream: the client's own spelling after the mount point when the
server kept it, else the decoded path encoded again; a target's own path encoded once."""

from __future__ import annotations

import pytest

from shallot.middleware.proxy_headers import encoded_path, raw_path_after


def environ(uri: str | None, path: str, script: str = "") -> dict[str, str]:
    values = {"SCRIPT_NAME": script, "PATH_INFO": path}
    if uri is not None:
        values["REQUEST_URI"] = uri
    return values


@pytest.mark.parametrize(
    ("uri", "path", "script", "prefix", "rest"),
    [
        # cheroot keeps %2F in PATH_INFO; wsgiref decodes it: both are recognised.
        ("/api/group%2Fname/x", "/api/group%2Fname/x", "", "/api", "/group%2Fname/x"),
        ("/api/group%2Fname/x", "/api/group/name/x", "", "/api", "/group%2Fname/x"),
        ("/api/caf%C3%A9?q=1", "/api/caf\xc3\xa9", "", "/api", "/caf%C3%A9"),
        ("/m/api/a%2fb", "/api/a%2Fb", "/m", "/m/api", "/a%2fb"),
        ("/m/api/a%2fb", "/api/a%2Fb", "/m", "/m", "/api/a%2fb"),
        ("/api", "/api", "", "/api", ""),
        ("/a%70i/x", "/api/x", "", "/api", "/x"),  # an escaped prefix is still the prefix
        ("/keep/x", "/keep/x", "", "", "/keep/x"),
        # No request line, a rewritten path, a prefix ending inside an escape: no raw path.
        (None, "/api/x", "", "/api", None),
        ("/api/x", "/api/y", "", "/api", None),
        ("/api%2Fx", "/api/x", "", "/api", None),
        ("http://host/api/x", "/api/x", "", "/api", None),
        ("/api/%252F", "/api/%2F", "", "/api", None),  # cheroot's %2F cannot be told apart
        ("/api/x", "/api/\u20ac", "", "/api", None),  # not a WSGI string
    ],
)
def test_raw_path_after(
    uri: str | None, path: str, script: str, prefix: str, rest: str | None
) -> None:
    assert raw_path_after(environ(uri, path, script), prefix) == rest


def test_raw_uri_is_read_too() -> None:
    values = {"RAW_URI": "/api/a%2Fb", "SCRIPT_NAME": "", "PATH_INFO": "/api/a/b"}
    assert raw_path_after(values, "/api") == "/a%2Fb"


@pytest.mark.parametrize(
    ("written", "encoded"),
    [
        ("/v1", "/v1"),
        ("/v%201", "/v%201"),
        ("/v 1/caf\u00e9", "/v%201/caf%C3%A9"),
        ("/a:b@c;d=e", "/a:b@c;d=e"),
    ],
)
def test_a_target_path_is_encoded_once(written: str, encoded: str) -> None:
    assert encoded_path(written) == encoded
