"""What proxies say about the original request: RFC 7239 ``Forwarded`` and ``X-Forwarded-*``.

These headers are untrusted by nature: any client can send them, and only the entries added by
proxies you run mean anything. This module only *parses* them, tolerantly (a malformed
``Forwarded`` element is skipped, never raised); deciding how many entries to trust and rewriting
the request's address, host and scheme belongs to a proxy-fix middleware configured for the
deployment.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ForwardedElement",
    "ForwardedInfo",
    "ForwardedNode",
    "forwarded_info",
    "parse_forwarded",
    "parse_forwarded_host",
    "parse_forwarded_port",
    "parse_forwarded_proto",
    "parse_x_forwarded_for",
    "x_forwarded_address",
]

_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OBFUSCATED_CHAR = frozenset("._-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HOST_CHAR = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%:[]"
)
_ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SCHEME_CHAR = _ALPHA | frozenset("0123456789+-.")
_DIGITS = frozenset("0123456789")
_HOST_NAME_CHAR = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
_WHITESPACE = " \t"
_URL_SCHEMES = frozenset(("http", "https"))


@dataclasses.dataclass(frozen=True, slots=True)
class ForwardedNode:
    """A node of a ``for=`` or ``by=`` parameter (RFC 7239 section 6).

    ``name`` is an IPv4 address, an IPv6 address without its brackets, ``"unknown"`` or an
    obfuscated identifier starting with ``_``; ``port`` is the port's digits, an obfuscated port
    starting with ``_``, or ``None``.
    """

    name: str
    port: str | None = None

    @property
    def ip(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        """The node's IP address, or ``None`` for ``unknown`` and obfuscated nodes."""
        try:
            return ipaddress.ip_address(self.name)
        except ValueError:
            return None

    @property
    def is_obfuscated(self) -> bool:
        """Whether the proxy hid the node's address behind an obfuscated identifier."""
        return self.name.startswith("_")

    @property
    def is_unknown(self) -> bool:
        """Whether the proxy did not know the node (``for=unknown``)."""
        return self.name == "unknown"

    def __str__(self) -> str:
        """The node as written in a header (IPv6 in brackets)."""
        name = f"[{self.name}]" if ":" in self.name else self.name
        return name if self.port is None else f"{name}:{self.port}"


@dataclasses.dataclass(frozen=True, slots=True)
class ForwardedElement:
    """One element of a ``Forwarded`` header: what one proxy recorded.

    ``for_`` (the client or previous proxy) and ``by`` (the proxy's receiving interface) are
    nodes; ``host`` is the Host the proxy received; ``proto`` the lower-cased scheme it received
    the request with. Other parameters are kept in ``extensions`` as ``(lower-cased name, value)``.
    """

    for_: ForwardedNode | None = None
    by: ForwardedNode | None = None
    host: str | None = None
    proto: str | None = None
    extensions: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class ForwardedInfo:
    """The client chain, host and scheme claimed by a request's proxy headers (untrusted).

    ``for_`` lists client then proxies, leftmost first (the node names of a ``Forwarded`` header,
    or the entries of ``X-Forwarded-For``); ``host`` and ``proto`` are the first (client-most)
    values given.
    """

    for_: tuple[str, ...] = ()
    host: str | None = None
    proto: str | None = None


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    in_quotes = False
    position = 0
    end = len(text)
    while position < end:
        char = text[position]
        if in_quotes:
            if char == "\\":
                position += 1
            elif char == '"':
                in_quotes = False
        elif char == '"':
            in_quotes = True
        elif char == separator:
            pieces.append(text[start:position])
            start = position + 1
        position += 1
    pieces.append(text[start:])
    return pieces


def _unquote(value: str) -> str | None:
    if not value.startswith('"'):
        return value if value and _TCHAR.issuperset(value) else None
    if len(value) < 2 or not value.endswith('"'):
        return None
    chars: list[str] = []
    position = 1
    end = len(value) - 1
    while position < end:
        char = value[position]
        if char == "\\":
            position += 1
            if position == end:
                return None
            char = value[position]
        elif char == '"':
            return None
        if (char < " " and char != "\t") or char == "\x7f":
            return None
        chars.append(char)
        position += 1
    return "".join(chars)


def _is_obfuscated(text: str) -> bool:
    return len(text) > 1 and text[0] == "_" and _OBFUSCATED_CHAR.issuperset(text)


def _parse_node(text: str) -> ForwardedNode | None:
    if text.startswith("["):
        close = text.find("]")
        if close == -1:
            return None
        name, rest = text[1:close], text[close + 1 :]
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    else:
        name, colon, port_text = text.partition(":")
        port = port_text if colon else None
        if name.lower() == "unknown":
            name = "unknown"
        elif not _is_obfuscated(name):
            try:
                ipaddress.IPv4Address(name)
            except ValueError:
                return None
    if port is not None and not (
        (0 < len(port) <= 5 and _DIGITS.issuperset(port)) or _is_obfuscated(port)
    ):
        return None
    return ForwardedNode(name, port)


def _parse_element(text: str) -> ForwardedElement | None:
    values: dict[str, str] = {}
    for pair in _split_outside_quotes(text, ";"):
        pair = pair.strip(_WHITESPACE)
        if not pair:
            continue
        name, equals, raw = pair.partition("=")
        name = name.lower()
        value = _unquote(raw)
        if not equals or not name or not _TCHAR.issuperset(name) or value is None:
            return None
        if name in values:
            return None
        values[name] = value
    if not values:
        return None
    for_node = by_node = None
    if "for" in values:
        for_node = _parse_node(values.pop("for"))
        if for_node is None:
            return None
    if "by" in values:
        by_node = _parse_node(values.pop("by"))
        if by_node is None:
            return None
    host = values.pop("host", None)
    if host is not None and not (host and _HOST_CHAR.issuperset(host)):
        return None
    proto = values.pop("proto", None)
    if proto is not None:
        proto = _scheme(proto)
        if proto is None:
            return None
    return ForwardedElement(for_node, by_node, host, proto, tuple(values.items()))


def _scheme(text: str) -> str | None:
    if text and text[0] in _ALPHA and _SCHEME_CHAR.issuperset(text):
        return text.lower()
    return None


def parse_forwarded(value: str) -> list[ForwardedElement]:
    """Parse a ``Forwarded`` header value into its elements, leftmost (client-most) first.

    Accepts several comma-separated elements, ``;``-separated parameters with case-insensitive
    names, token or quoted-string values (backslash escapes undone), IPv4 nodes, bracketed IPv6
    nodes, ``unknown`` and obfuscated (``_name``) nodes with optional numeric or obfuscated ports.
    An element with a syntax error, a parameter given twice, an invalid node, host or proto is
    skipped; this function never raises for any input string.
    """
    elements: list[ForwardedElement] = []
    for text in _split_outside_quotes(value, ","):
        element = _parse_element(text)
        if element is not None:
            elements.append(element)
    return elements


def parse_x_forwarded_for(value: str) -> list[str]:
    """The comma-separated entries of an ``X-Forwarded-For`` value, stripped, empty ones dropped."""
    return [entry for entry in (part.strip(_WHITESPACE) for part in value.split(",")) if entry]


def parse_forwarded_port(value: str) -> str | None:
    """``value`` when it is a port number (1 to 65535, digits only), else ``None``."""
    if value and len(value) <= 5 and _DIGITS.issuperset(value) and 0 < int(value) < 65536:
        return value
    return None


def parse_forwarded_proto(value: str) -> str | None:
    """The scheme an ``X-Forwarded-Proto`` value names, lower-cased, when it is ``http`` or
    ``https`` (the two a WSGI ``url_scheme`` can be), else ``None``: a proxy passing on what a
    client sent must not make an application write ``javascript:`` URLs."""
    scheme = value.lower()
    return scheme if scheme in _URL_SCHEMES else None


def parse_forwarded_host(value: str) -> tuple[str, str | None] | None:
    """``(name, port)`` of a ``Host`` value such as ``X-Forwarded-Host`` carries (``port``
    ``None`` when absent), or ``None`` when it is malformed: a name of other characters than
    letters, digits and ``-._~``, a bracketed address that is not IPv6, a bad port."""
    if value.startswith("["):
        close = value.find("]")
        if close < 0:
            return None
        try:
            ipaddress.IPv6Address(value[1:close])
        except ValueError:
            return None
        name, rest = value[: close + 1], value[close + 1 :]
        if not rest:
            return name, None
        if not rest.startswith(":"):
            return None
        port = parse_forwarded_port(rest[1:])
        return None if port is None else (name, port)
    name, colon, port_text = value.partition(":")
    if not name or not _HOST_NAME_CHAR.issuperset(name):
        return None
    if not colon:
        return name, None
    port = parse_forwarded_port(port_text)
    return None if port is None else (name, port)


def x_forwarded_address(entry: str) -> str | None:
    """The IP address of one ``X-Forwarded-For`` entry (``ip``, ``[ipv6]``, ``[ipv6]:port`` or
    ``ipv4:port``), in its normal spelling, or ``None`` when the entry holds no IP address."""
    if entry.startswith("["):
        entry = entry[1 : entry.find("]")] if "]" in entry else ""
    elif entry.count(":") == 1:
        entry = entry.partition(":")[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def _first_entry(value: str) -> str | None:
    for part in value.split(","):
        entry = part.strip(_WHITESPACE)
        if entry:
            return entry
    return None


def forwarded_info(environ: Mapping[str, object]) -> ForwardedInfo:
    """What the proxy headers of a WSGI environ claim, as a :class:`ForwardedInfo`.

    A ``Forwarded`` header, when present and not blank, is used alone; otherwise
    ``X-Forwarded-For``, ``X-Forwarded-Host`` and ``X-Forwarded-Proto`` (first entry; a proto that
    is not a valid scheme is ignored). Untrusted: see the module documentation.
    """
    forwarded = environ.get("HTTP_FORWARDED")
    if isinstance(forwarded, str) and forwarded.strip(_WHITESPACE):
        elements = parse_forwarded(forwarded)
        return ForwardedInfo(
            tuple(element.for_.name for element in elements if element.for_ is not None),
            next((element.host for element in elements if element.host is not None), None),
            next((element.proto for element in elements if element.proto is not None), None),
        )
    for_header = environ.get("HTTP_X_FORWARDED_FOR")
    host_header = environ.get("HTTP_X_FORWARDED_HOST")
    proto_header = environ.get("HTTP_X_FORWARDED_PROTO")
    proto = _first_entry(proto_header) if isinstance(proto_header, str) else None
    return ForwardedInfo(
        tuple(parse_x_forwarded_for(for_header)) if isinstance(for_header, str) else (),
        _first_entry(host_header) if isinstance(host_header, str) else None,
        None if proto is None else _scheme(proto),
    )
