"""What every handler works with: the server's settings and one request, with the checks they share.

:class:`DAVSettings` is built once per app (lock and property managers, shares, options);
:class:`DAVRequest` once per request. The request offers the header parsing (``Depth``,
``Overwrite``, ``Destination``, ``If``) and the checks RFC 4918 orders before any change:

1. :meth:`DAVRequest.check_writable_share` - 403 on a read-only share;
2. :meth:`DAVRequest.check_conditions` - ``If`` and ``If-Match``/``If-None-Match``/... (412);
3. :meth:`DAVRequest.check_locks` - the locks in the way and the tokens submitted (423).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from shallot.dav.errors import DAVError
from shallot.dav.if_header import ResourceState, parse_if_header
from shallot.dav.paths import (
    href_text,
    join_path,
    parent_path,
    path_name,
    quote_path,
    url_to_path,
)
from shallot.http import ETag, Precondition, evaluate_preconditions
from shallot.locks import Depth, LockConflict

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from shallot.dav.if_header import IfHeader
    from shallot.dav.provider import DAVProvider, ResourceInfo
    from shallot.dav.shares import Shares, Target
    from shallot.locks import LockManager
    from shallot.props import PropertyManager

__all__ = ["INFO_KEY", "DAVRequest", "DAVSettings"]

INFO_KEY = "shallot.dav.info"
"""The environ key where a layer in front may leave ``(info,)`` of the request's resource."""


@dataclass(frozen=True, slots=True)
class DAVSettings:
    """What the handlers share across requests."""

    shares: Shares
    locks: LockManager
    props: PropertyManager
    propfind_infinity: bool = False
    max_xml_size: int = 1024 * 1024
    case_insensitive_targets: bool = False


class DAVRequest:
    """One request, resolved to its :class:`~shallot.dav.shares.Target`."""

    __slots__ = (
        "_if",
        "_info",
        "environ",
        "method",
        "path",
        "principal",
        "provider",
        "script_name",
        "settings",
        "target",
        "url",
    )

    def __init__(self, environ: WSGIEnvironment, settings: DAVSettings, target: Target) -> None:
        self.environ = environ
        self.settings = settings
        self.target = target
        self.method: str = environ["REQUEST_METHOD"]
        self.provider: DAVProvider = target.share.provider
        self.path = target.path
        self.url = target.url
        self.script_name = quote_path(environ.get("SCRIPT_NAME", "").rstrip("/"))
        self.principal: str | None = environ.get("REMOTE_USER") or None
        self._if: IfHeader | bool | None = False
        self._info: tuple[ResourceInfo | None] | None = environ.get(INFO_KEY)

    def header(self, name: str) -> str | None:
        """A request header by its environ key (``HTTP_DEPTH``), or ``None``."""
        value: str | None = self.environ.get(name)
        return value

    def href(self, url: str, collection: bool = False) -> str:
        """The XML text of the href of app path ``url`` (a collection's ends with ``/``)."""
        if collection and url != "/":
            url += "/"
        return href_text(self.script_name + url)

    def depth(self, default: str, allowed: tuple[str, ...] = ("0", "1", "infinity")) -> str:
        """The ``Depth`` header (``default`` when absent); 400 when it is not one of ``allowed``."""
        raw: str | None = self.environ.get("HTTP_DEPTH")
        if raw is None:
            return default
        value = raw.strip().lower()
        if value not in allowed:
            raise DAVError(400, f"Depth must be one of {', '.join(allowed)} here")
        return value

    def overwrite(self) -> bool:
        """The ``Overwrite`` header: true unless ``F``; 400 for anything but ``T`` or ``F``."""
        raw: str = self.environ.get("HTTP_OVERWRITE", "T")
        value = raw.strip().upper()
        if value not in ("T", "F"):
            raise DAVError(400, "Overwrite must be T or F")
        return value == "T"

    def info(self) -> ResourceInfo | None:
        """The request's resource as it was when the request arrived (read once, or taken from
        a layer in front that read it), or ``None`` when the URL was unmapped."""
        if self._info is None:
            self._info = (self.provider.info(self.path),)
        return self._info[0]

    def check_writable_share(self) -> None:
        """403 when the request's share is read-only."""
        if self.provider.readonly:
            raise DAVError(403, "the share is read-only")

    @property
    def if_header(self) -> IfHeader | None:
        """The parsed ``If`` header, or ``None`` (400 when malformed)."""
        if self._if is False:
            value = self.environ.get("HTTP_IF")
            self._if = None if value is None or not value.strip() else parse_if_header(value)
        return self._if  # type: ignore[return-value]  # False was replaced just above

    @property
    def tokens(self) -> frozenset[str]:
        """The lock tokens this request submits (from its ``If`` header)."""
        header = self.if_header
        return frozenset() if header is None else header.tokens

    def check_conditions(self, info: ResourceInfo | None) -> None:
        """412 when the ``If`` header or the HTTP preconditions fail for the resource ``info``."""
        header = self.if_header
        if header is not None and not header.evaluate(lambda tag: self._state(tag, info)):
            raise DAVError(412, "the If header does not hold")
        if any(
            key in self.environ
            for key in ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
        ):
            etag = None if info is None else ETag(info.etag)
            outcome = evaluate_preconditions(
                self.environ, etag=etag, exists=info is not None, method="PUT"
            )
            if outcome is not Precondition.PROCEED:
                raise DAVError(412, "a precondition failed")

    def check_locks(self, url: str, depth: Depth = Depth.ZERO) -> None:
        """423 (``lock-token-submitted``) unless the request may write ``url`` (to ``depth``)."""
        self._check_locks(url, depth, parent=False)

    def check_member_locks(self, target: Target, depth: Depth = Depth.ZERO) -> None:
        """423 (``lock-token-submitted``) unless the request may create or remove ``target``:
        write it (to ``depth``) and change the membership of the collection holding it, both
        checked in one read of the lock storage. A share's root has no such collection here."""
        self._check_locks(target.url, depth, parent=target.path != "/")

    def _check_locks(self, url: str, depth: Depth, *, parent: bool) -> None:
        try:
            self.settings.locks.check_write_permission(
                url, depth, self.tokens, self.principal, parent=parent
            )
        except LockConflict as conflict:
            raise DAVError(
                423,
                condition="lock-token-submitted",
                hrefs=[self.script_name + root for root in conflict.roots],
            ) from None

    def destination(self) -> Target:
        """The target of the ``Destination`` header; 400 when missing or malformed, 502 when it
        names another server or a path outside this app's shares."""
        value = self.environ.get("HTTP_DESTINATION")
        if not value:
            raise DAVError(400, "Destination is missing")
        url = self.resolve_url(value.strip())
        target = self.settings.shares.resolve(url)
        if target is None:
            raise DAVError(502, "the Destination is outside this server's shares")
        provider = target.share.provider
        if self.settings.case_insensitive_targets and provider.info(target.path) is None:
            matched = provider.match_case(target.path)
            if matched is None:
                parent = provider.match_case(parent_path(target.path))
                if parent is not None:
                    matched = join_path(parent, path_name(target.path))
            if matched is not None and matched.casefold() != self.path.casefold():
                target = target._replace(path=matched)
        return target

    def resolve_url(self, value: str) -> str:
        """The checked app path of a URL from a header (absolute, or a path); 502 when it names
        another host or lies outside ``SCRIPT_NAME``; 400 when it is not a URL."""
        try:
            parts = urlsplit(value)
        except ValueError:  # an unclosed IPv6 bracket, say
            raise DAVError(400, "the URL is malformed") from None
        if (parts.scheme or parts.netloc) and (
            parts.scheme not in ("http", "https") or not self._same_host(parts.netloc)
        ):
            raise DAVError(502, "the URL names another server")
        path = parts.path or "/"
        script_name = self.environ.get("SCRIPT_NAME", "").rstrip("/")
        if script_name:
            encoded = quote_path(script_name)
            if not (path == encoded or path.startswith(encoded + "/")):
                raise DAVError(502, "the URL is outside this application")
            path = path[len(encoded) :] or "/"
        return url_to_path(path)

    def _same_host(self, netloc: str) -> bool:
        """Whether ``netloc`` names this server: the same host and, when it gives a port, the
        port the request came to (a URL without a port passes: a TLS-terminating proxy may have
        changed the scheme, and so the default port, on the way)."""
        host, port = _split_host(netloc.rpartition("@")[2])
        own_host, own_port = _split_host(
            self.environ.get("HTTP_HOST") or self.environ.get("SERVER_NAME", "")
        )
        if not own_port:
            own_port = "443" if self.environ.get("wsgi.url_scheme") == "https" else "80"
        return host == own_host and (not port or port == own_port)

    def _state(self, tag: str | None, info: ResourceInfo | None) -> ResourceState:
        """The entity tag and lock tokens of the request's resource (``tag`` ``None``) or of the
        resource an ``If`` tag names; an unreachable tag has neither."""
        if tag is None:
            url = self.url
        else:
            try:
                target = self.settings.shares.resolve(self.resolve_url(tag))
            except DAVError:
                return ResourceState(None, frozenset())
            if target is None:
                return ResourceState(None, frozenset())
            url = target.url
            info = target.share.provider.info(target.path)
        tokens = frozenset(lock.token for lock in self.settings.locks.discover(url))
        return ResourceState(None if info is None else ETag(info.etag), tokens)


def _split_host(host: str) -> tuple[str, str]:
    """``host[:port]`` as lower-case host and port (``""`` when none is given)."""
    host = host.strip().lower()
    if host.startswith("["):
        name, _, rest = host.partition("]")
        return name + "]", rest.lstrip(":")
    name, _, port = host.partition(":")
    return name, port
