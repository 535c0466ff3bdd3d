"""Trusting the ``X-Forwarded-*`` headers of the proxies you run, and no more: Werkzeug's
``ProxyFix``.

::

    app = ProxyFix(app, x_for=1, x_proto=1)     # one proxy (nginx) in front

Behind ``n`` proxies, each appends what it received to ``X-Forwarded-For`` (and sets or appends
``-Proto``, ``-Host``, ``-Port``, ``-Prefix``), so the ``n``-th value from the right is the one
the outermost trusted proxy wrote; anything left of it came from the client and can be forged.
Setting ``x_for=n`` and so on makes exactly that value the request's ``REMOTE_ADDR``,
``wsgi.url_scheme``, ``HTTP_HOST``/``SERVER_NAME``/``SERVER_PORT`` and ``SCRIPT_NAME`` prefix,
so everything behind (URL building, the static middleware's redirects, the proxy's
``X-Forwarded-*``) sees the client's view. A header with fewer values than trusted, or a value
that is malformed (an address that is not an IP, a scheme other than ``http`` or ``https``, a
host with forbidden characters, a port that is not a number, a prefix not starting with ``/``), is
ignored, never an error. The scheme is held to the two a WSGI ``url_scheme`` can be: a proxy
passing on what a client sent must not make the application build ``javascript:`` URLs. The
original values are kept in ``environ["shallot.proxy_fix.orig"]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.http.forwarded import (
    parse_forwarded_host,
    parse_forwarded_port,
    parse_forwarded_proto,
    parse_x_forwarded_for,
    x_forwarded_address,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ORIGINAL_ENVIRON_KEY", "ProxyFix"]

ORIGINAL_ENVIRON_KEY = "shallot.proxy_fix.orig"
"""The environ key of the dict of original values (``None`` for keys that were absent)."""

_ORIGINAL_KEYS = (
    "REMOTE_ADDR",
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
)


def _trusted(value: object, trusted: int) -> str | None:
    """The ``trusted``-th value from the right of a comma-separated header, if there is one."""
    if not isinstance(value, str):
        return None
    entries = parse_x_forwarded_for(value)
    return entries[-trusted] if len(entries) >= trusted else None


class ProxyFix:
    """Take the client's address, scheme, host, port and path prefix from the ``X-Forwarded-*``
    headers of ``x_for``, ``x_proto``, ``x_host``, ``x_port`` and ``x_prefix`` trusted proxies
    (``0`` ignores that header); see the module documentation.

    Raises :class:`ValueError` for a count that is not a non-negative ``int``.
    """

    __slots__ = ("_app", "x_for", "x_host", "x_port", "x_prefix", "x_proto")

    def __init__(
        self,
        app: WSGIApplication,
        x_for: int = 1,
        x_proto: int = 1,
        x_host: int = 0,
        x_port: int = 0,
        x_prefix: int = 0,
    ) -> None:
        """Wrap ``app``; see the class documentation."""
        for name, count in (
            ("x_for", x_for),
            ("x_proto", x_proto),
            ("x_host", x_host),
            ("x_port", x_port),
            ("x_prefix", x_prefix),
        ):
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"{name} must be a non-negative int, not {count!r}")
        self._app = app
        self.x_for = x_for
        self.x_proto = x_proto
        self.x_host = x_host
        self.x_port = x_port
        self.x_prefix = x_prefix

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Rewrite the environ from the trusted values, then call the application."""
        environ[ORIGINAL_ENVIRON_KEY] = {key: environ.get(key) for key in _ORIGINAL_KEYS}
        if self.x_for:
            value = _trusted(environ.get("HTTP_X_FORWARDED_FOR"), self.x_for)
            address = None if value is None else x_forwarded_address(value)
            if address is not None:
                environ["REMOTE_ADDR"] = address
        if self.x_proto:
            value = _trusted(environ.get("HTTP_X_FORWARDED_PROTO"), self.x_proto)
            scheme = None if value is None else parse_forwarded_proto(value)
            if scheme is not None:
                environ["wsgi.url_scheme"] = scheme
        if self.x_host:
            value = _trusted(environ.get("HTTP_X_FORWARDED_HOST"), self.x_host)
            host = None if value is None else parse_forwarded_host(value)
            if host is not None:
                name, port = host
                environ["HTTP_HOST"] = value
                environ["SERVER_NAME"] = name
                environ["SERVER_PORT"] = port or _default_port(environ)
        if self.x_port:
            value = _trusted(environ.get("HTTP_X_FORWARDED_PORT"), self.x_port)
            port = None if value is None else parse_forwarded_port(value)
            if port is not None:
                _set_port(environ, port)
        if self.x_prefix:
            value = _trusted(environ.get("HTTP_X_FORWARDED_PREFIX"), self.x_prefix)
            if value is not None and value.startswith("/") and value.isprintable():
                environ["SCRIPT_NAME"] = value.rstrip("/") + environ.get("SCRIPT_NAME", "")
        return self._app(environ, start_response)


def _default_port(environ: WSGIEnvironment) -> str:
    return "443" if environ.get("wsgi.url_scheme") == "https" else "80"


def _set_port(environ: WSGIEnvironment, port: str) -> None:
    environ["SERVER_PORT"] = port
    host = environ.get("HTTP_HOST")
    if isinstance(host, str) and host:
        parts = parse_forwarded_host(host)
        name = parts[0] if parts is not None else environ.get("SERVER_NAME", "")
    else:
        name = environ.get("SERVER_NAME", "")
    environ["HTTP_HOST"] = f"{name}:{port}"
