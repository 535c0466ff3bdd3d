"""The header work of the reverse proxy: what crosses it, what it adds, and redirects it rewrites.

- Hop-by-hop fields (RFC 9110 section 7.6.1: ``Connection``, ``Proxy-Connection``,
  ``Keep-Alive``, ``TE``, ``Transfer-Encoding``, ``Upgrade``, plus the ``Proxy-Authenticate`` and
  ``Proxy-Authorization`` meant for this proxy) and every field named in ``Connection`` are
  dropped in both directions: they describe one connection, not the message.
- ``X-Forwarded-For`` gets the client's address appended, ``X-Forwarded-Proto`` and
  ``X-Forwarded-Host`` are set to what this proxy received, and ``Forwarded`` (RFC 7239) gets an
  element appended saying the same.
- A ``Location`` pointing into the upstream target (absolute, or an absolute path on it) is
  rewritten to the URL the client reaches it at through the proxy.
- The path goes upstream as the client spelt it when the server kept the request line
  (``REQUEST_URI`` or ``RAW_URI``) and it still decodes to ``SCRIPT_NAME`` + ``PATH_INFO``: an
  encoded ``%2F`` inside a segment (``/projects/group%2Fname``) stays one segment, where the
  decoded ``PATH_INFO`` can only say ``/``.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote_to_bytes, urlsplit

from shallot.http.request_target import raw_request_target

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import WSGIEnvironment

__all__ = [
    "HOP_BY_HOP",
    "encoded_path",
    "forwarded_element",
    "quoted_path",
    "raw_path_after",
    "received_host",
    "request_headers",
    "response_headers",
    "rewrite_location",
]

HOP_BY_HOP = frozenset(
    (
        "connection",
        "proxy-connection",
        "keep-alive",
        "te",
        "transfer-encoding",
        "upgrade",
        "proxy-authenticate",
        "proxy-authorization",
    )
)
"""Lower-cased names of the fields never forwarded, whatever ``Connection`` says."""

_SET_BY_PROXY = frozenset(
    (
        "host",
        "expect",
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        "x-forwarded-prefix",
    )
)
_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_URL_SAFE = "/:@!$&'()*+,;=~"


def _connection_names(value: str | None) -> frozenset[str]:
    if not value:
        return HOP_BY_HOP
    named = (name.strip(" \t").lower() for name in value.split(","))
    return HOP_BY_HOP.union(name for name in named if name)


def request_headers(environ: WSGIEnvironment) -> list[tuple[str, str]]:
    """The request's end-to-end header fields but ``Host``, ``Expect`` (the server in front
    already answered it) and the ``Forwarded`` family (the proxy sets those itself), with names in
    ``Title-Case``."""
    dropped = _connection_names(environ.get("HTTP_CONNECTION")) | _SET_BY_PROXY
    headers: list[tuple[str, str]] = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").lower()
        elif key == "CONTENT_TYPE" or key == "CONTENT_LENGTH":
            name = key.replace("_", "-").lower()
        else:
            continue
        if name not in dropped and isinstance(value, str) and value:
            headers.append((name.title(), value))
    return headers


def response_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The upstream answer's end-to-end fields, in order (repeated names kept)."""
    pairs = list(headers)
    connection = ", ".join(value for name, value in pairs if name.lower() == "connection")
    dropped = _connection_names(connection)
    return [(name, value) for name, value in pairs if name.lower() not in dropped]


def _node(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    return f'"[{ip}]"' if ip.version == 6 else str(ip)


def _value(text: str) -> str:
    if text and _TOKEN.issuperset(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def forwarded_element(client: str, host: str, proto: str) -> str:
    """The ``Forwarded`` element (RFC 7239) this proxy adds: ``for`` the client's address
    (``unknown`` when it is not an IP address), the ``host`` and ``proto`` it received."""
    return f"for={_node(client)};host={_value(host)};proto={_value(proto)}"


def received_host(environ: WSGIEnvironment) -> str:
    """The ``Host`` this request was sent to, or the server's name and port without one."""
    host: str | None = environ.get("HTTP_HOST")
    if host:
        return host
    name: str = environ.get("SERVER_NAME", "")
    port: str = environ.get("SERVER_PORT", "")
    scheme = environ.get("wsgi.url_scheme", "http")
    default_port = "443" if scheme == "https" else "80"
    return name if not port or port == default_port else f"{name}:{port}"


def rewrite_location(
    location: str, upstream_origin: str, upstream_base: str, proxy_base: str
) -> str:
    """``location`` with the upstream URL prefix ``upstream_origin + upstream_base`` replaced by
    ``proxy_base`` (an absolute path on the proxy); other locations unchanged.

    ``upstream_origin`` is ``scheme://host[:port]`` in lower case, ``upstream_base`` an absolute
    path without a trailing slash (``""`` for the upstream's root). Absolute URLs on the
    upstream and absolute paths (``/x``) are rewritten when they fall below the base on a whole
    segment; relative references (``x``, ``../x``) already resolve against the proxy's URL.
    """
    if location.startswith("//"):
        return location
    if location.startswith("/"):
        path = location
    else:
        parts = urlsplit(location)
        if not parts.scheme:
            return location
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin != upstream_origin:
            return location
        path = location[len(origin) :] or "/"
    if not path.startswith(upstream_base):
        return location
    rest = path[len(upstream_base) :]
    if rest and rest[0] not in "/?#":
        return location
    return proxy_base + rest or "/"


def raw_path_after(environ: WSGIEnvironment, prefix: str) -> str | None:
    """The rest of the path as the client sent it (still percent-encoded) after the segments
    that make up ``prefix`` (``SCRIPT_NAME`` and a mount point, as the server decoded them).

    ``None`` when the server kept no request line, when the line no longer decodes to
    ``SCRIPT_NAME`` + ``PATH_INFO`` (a middleware rewrote the path), or when ``prefix`` does not
    end at a ``/`` the client sent. Servers differ in what they decode (cheroot keeps ``%2F`` in
    ``PATH_INFO``, wsgiref turns it into ``/``), so both sides are compared fully decoded.
    """
    uri = raw_request_target(environ)
    if uri is None or not uri.startswith("/"):
        return None
    raw = uri.partition("?")[0].partition("#")[0]
    try:
        path = _decoded(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
        if _decoded(raw) != path:
            return None
        wanted = _decoded(prefix)
    except UnicodeEncodeError:  # not a WSGI string: a middleware put text there
        return None
    taken = decoded = 0
    for segment in raw.split("/")[1:]:
        if decoded >= len(wanted):
            break
        taken += 1 + len(segment)
        decoded += 1 + len(_decoded(segment))
    if decoded != len(wanted) or _decoded(raw[:taken]) != wanted:
        return None
    return raw[taken:]


def _decoded(path: str) -> str:
    """WSGI (Latin-1) string ``path`` with every percent-escape decoded."""
    return unquote_to_bytes(path.encode("latin-1")).decode("latin-1")


def encoded_path(path: str) -> str:
    """A URL path as written in a configuration, with what is not yet percent-encoded (spaces,
    non-ASCII text as UTF-8) encoded and its escapes kept."""
    return quote(path, safe=_URL_SAFE + "%")


def quoted_path(wsgi_path: str) -> str:
    """A WSGI path (Latin-1 string of the URL's bytes) percent-encoded again for a URL."""
    return quote(wsgi_path.encode("latin-1"), safe=_URL_SAFE)
