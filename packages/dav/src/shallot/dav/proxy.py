"""``TrustedProxies``: believe ``X-Forwarded-*`` only from as many proxies as are really there.

Behind ``trusted`` reverse proxies, each appends the address it saw to ``X-Forwarded-For``; the
one ``trusted`` places from the right is the client. This middleware then sets ``REMOTE_ADDR``
from it, ``wsgi.url_scheme`` from ``X-Forwarded-Proto`` and ``HTTP_HOST`` from
``X-Forwarded-Host`` (each taking the value the nearest trusted proxy wrote), so Destination
checks and hrefs see the host the client used. The originals are kept under
``shallot.dav.original.*``. Without this layer (the default, ``trusted_proxies = 0``) the headers
are ignored: a client could forge them. A malformed value is ignored too: an address that is not
an IP, a scheme other than ``http`` or ``https`` (a proxy passing on what a client sent must not
put ``javascript:`` in the URLs the server writes), a host that is not a name or a bracketed IPv6
address with an optional port (:func:`~shallot.http.forwarded.parse_forwarded_host`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.http.forwarded import (
    parse_forwarded_host,
    parse_forwarded_proto,
    x_forwarded_address,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["TrustedProxies"]


class TrustedProxies:
    """WSGI middleware applying ``X-Forwarded-*`` from ``trusted`` proxies (at least 1)."""

    def __init__(self, app: WSGIApplication, trusted: int) -> None:
        if trusted < 1:
            raise ValueError("trusted must be at least 1")
        self.app = app
        self.trusted = trusted

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        entry = self._pick(environ.get("HTTP_X_FORWARDED_FOR"))
        client = None if entry is None else x_forwarded_address(entry)
        proto = self._pick(environ.get("HTTP_X_FORWARDED_PROTO"), nearest=True)
        host = self._pick(environ.get("HTTP_X_FORWARDED_HOST"), nearest=True)
        for key, value in (
            ("REMOTE_ADDR", client),
            ("wsgi.url_scheme", None if proto is None else parse_forwarded_proto(proto)),
            ("HTTP_HOST", host if host and parse_forwarded_host(host) is not None else None),
        ):
            if value:
                environ[f"shallot.dav.original.{key}"] = environ.get(key)
                environ[key] = value
        return self.app(environ, start_response)

    def _pick(self, header: str | None, *, nearest: bool = False) -> str | None:
        """The value a trusted proxy wrote: the client address ``trusted`` entries from the
        right, or (``nearest``) the last entry, which the nearest proxy set."""
        if not header:
            return None
        values = [value.strip() for value in header.split(",") if value.strip()]
        if nearest:
            return values[-1] if values else None
        if len(values) < self.trusted:
            return None
        return values[-self.trusted]
