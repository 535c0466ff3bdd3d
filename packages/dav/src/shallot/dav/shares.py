"""Shares: several providers mounted at paths of one app, and the middleware that resolves them.

:class:`Shares` maps mount paths (``/``, ``/photos``) to providers; a request path belongs to the
longest mount that contains it, segment by segment (``/photos2`` is not in ``/photos``).
:class:`ShareResolver` is the WSGI layer that does this once per request: it decodes and checks
``PATH_INFO`` (:func:`~shallot.dav.paths.decode_request_path`, 400 for a bad path), answers 404
for a path outside every share (``OPTIONS *``, about the server, goes to any share), and leaves a
:class:`Target` in ``environ["shallot.dav.target"]`` for the layers below (directory browser,
request server).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from shallot.dav.errors import DAVError
from shallot.dav.paths import decode_request_path, quote_path
from shallot.http.request_target import asks_about_the_server

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.dav.provider import DAVProvider

__all__ = ["TARGET_KEY", "Share", "ShareResolver", "Shares", "Target"]

TARGET_KEY = "shallot.dav.target"
"""The environ key of the request's :class:`Target`."""


class Share(NamedTuple):
    """A provider mounted at ``mount`` (``/`` or ``/name``, no trailing slash)."""

    mount: str
    provider: DAVProvider

    def url(self, path: str) -> str:
        """The percent-encoded app path of resource ``path`` of this share (the key of its locks
        and dead properties, and its href without ``SCRIPT_NAME``)."""
        if self.mount == "/":
            return quote_path(path)
        return quote_path(self.mount if path == "/" else self.mount + path)


class Target(NamedTuple):
    """A request's resource: its share and its resource path inside that share."""

    share: Share
    path: str

    @property
    def url(self) -> str:
        """See :meth:`Share.url`."""
        return self.share.url(self.path)


class Shares:
    """Providers by mount path; see the module documentation."""

    def __init__(self, providers: Mapping[str, DAVProvider]) -> None:
        self._shares = {mount: Share(mount, provider) for mount, provider in providers.items()}
        self._ordered = sorted(self._shares.values(), key=lambda share: -len(share.mount))

    def __iter__(self) -> Iterator[Share]:
        return iter(self._shares.values())

    def resolve(self, path: str) -> Target | None:
        """The target of the app path ``path`` (a checked resource path), or ``None``."""
        for share in self._ordered:
            mount = share.mount
            if mount == "/":
                return Target(share, path)
            if path == mount:
                return Target(share, "/")
            if path.startswith(mount) and path[len(mount)] == "/":
                return Target(share, path[len(mount) :])
        return None

    def target(self, environ: WSGIEnvironment) -> Target:
        """The request's target, resolved once and kept in the environ; 400 or 404 when none."""
        target: Target | None = environ.get(TARGET_KEY)
        if target is None:
            target = self.resolve(decode_request_path(environ))
            if target is None and asks_about_the_server(environ):
                target = Target(self._ordered[0], "/")  # the answer names no share's resource
            if target is None:
                raise DAVError(404, "no share is mounted at this path")
            environ[TARGET_KEY] = target
        return target


class ShareResolver:
    """WSGI middleware resolving each request's share before ``app`` sees it (see the module)."""

    def __init__(self, app: WSGIApplication, shares: Shares) -> None:
        self.app = app
        self.shares = shares

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ.pop(TARGET_KEY, None)
        environ.pop("shallot.dav.info", None)
        self.shares.target(environ)
        return self.app(environ, start_response)
