"""PROPFIND: properties of a resource and its members, streamed (RFC 4918 section 9.1).

Requests: ``allprop`` (with an optional ``include`` of more names), ``propname``, or ``prop``
naming properties; an empty body is ``allprop``. ``Depth`` 0 or 1; an explicit ``infinity`` on a
collection is refused with 403 ``propfind-finite-depth`` unless the server enables it, while an
absent Depth (infinity by the RFC) is answered at Depth 1 there, as SabreDAV does, because clients
such as webdav4 send none when they stat a folder. On a file, every depth is the file alone.

The 207 body is a generator: each member's ``<D:response>`` is made as the provider lists it, so
the first bytes leave before the last member is read. Per collection, the dead properties of all
members come from one :meth:`~shallot.props.PropertyManager.get_children` read and their locks
from one :meth:`~shallot.locks.LockManager.discover_tree` read, never one query per member.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from shallot.dav.errors import DAVError
from shallot.dav.live_properties import (
    LIVE_NAMES,
    QUOTA_NAMES,
    SIMPLE_RENDERERS,
    allprop,
    live_names,
    lockdiscovery,
    render_live,
)
from shallot.dav.multistatus import MultistatusResponse, propstat, status_element
from shallot.dav.paths import href_text, join_path, parent_path, quote_path
from shallot.dav.xml_parse import parse_body
from shallot.dav.xml_write import empty_element

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from xml.etree.ElementTree import Element

    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.handlers.context import DAVRequest
    from shallot.dav.provider import Quota, ResourceInfo
    from shallot.locks import Lock

__all__ = ["PropfindQuery", "handle", "parse_propfind"]

_PROPFIND = "{DAV:}propfind"
_OK = status_element(200)
_NOT_FOUND = status_element(404)
_EMPTY_LOCKS = "<D:lockdiscovery/>"


class PropfindQuery(NamedTuple):
    """What a PROPFIND asks: ``kind`` is ``allprop``, ``propname`` or ``prop``; ``names`` are the
    properties named (``prop``) or included (``allprop``), in Clark notation."""

    kind: str
    names: tuple[str, ...] = ()


def parse_propfind(root: Element | None) -> PropfindQuery:
    """The query of a PROPFIND body (``None``: an empty body); 400 when it is not one."""
    if root is None:
        return PropfindQuery("allprop")
    if root.tag != _PROPFIND:
        raise DAVError(400, "the body is not a DAV:propfind element")
    children = list(root)
    kinds = [child for child in children if child.tag != "{DAV:}include"]
    if len(kinds) != 1:
        raise DAVError(400, "DAV:propfind needs exactly one of allprop, propname, prop")
    kind = kinds[0].tag
    if kind == "{DAV:}propname":
        return PropfindQuery("propname")
    if kind == "{DAV:}allprop":
        included = [
            _clark(element)
            for child in children
            if child.tag == "{DAV:}include"
            for element in child
        ]
        return PropfindQuery("allprop", tuple(included))
    if kind == "{DAV:}prop":
        return PropfindQuery("prop", tuple(dict.fromkeys(_clark(element) for element in kinds[0])))
    raise DAVError(400, f"DAV:propfind cannot hold {kind}")


def _clark(element: Element) -> str:
    tag = element.tag
    return tag if tag[:1] == "{" else "{}" + tag


def handle(request: DAVRequest) -> WSGIApplication:
    """Answer a PROPFIND with a streamed 207 (see the module documentation)."""
    depth = request.depth("infinity")
    query = parse_propfind(parse_body(request.environ, request.settings.max_xml_size))
    info = request.info()
    if info is None:
        raise DAVError(404)
    if depth == "infinity" and info.is_collection and not request.settings.propfind_infinity:
        if "HTTP_DEPTH" in request.environ:
            raise DAVError(403, condition="propfind-finite-depth")
        depth = "1"
    return MultistatusResponse(_responses(request, info, query, depth))


def _responses(
    request: DAVRequest, info: ResourceInfo, query: PropfindQuery, depth: str
) -> Iterator[str]:
    render = _Renderer(request, query)
    url = request.url
    own_locks = request.settings.locks.discover(url) if render.wants_locks else _NO_LOCKS
    dead = request.settings.props.get_all(url) if render.wants_dead else _NO_PROPERTIES
    yield render(info, url, parent_path(request.path), dead, own_locks)
    if depth == "0" or not info.is_collection:
        return
    yield from _members(request, render, request.path, url, depth == "infinity")


_NO_LOCKS: list[Lock] = []
_NO_PROPERTIES: dict[str, str] = {}


def _members(
    request: DAVRequest, render: _Renderer, path: str, url: str, recursive: bool
) -> Iterator[str]:
    dead: dict[str, dict[str, str]] = (
        request.settings.props.get_children(url) if render.wants_dead else {}
    )
    locks = request.settings.locks.discover_tree(url) if render.wants_locks else _NO_LOCKS
    prefix = url if url != "/" else ""
    collections: list[tuple[str, str]] = []
    for member in request.provider.members(path):
        member_url = f"{prefix}/{quote_path(member.name)}"
        member_locks = [lock for lock in locks if lock.covers(member_url)] if locks else locks
        yield render(member, member_url, path, dead.get(member_url, _NO_PROPERTIES), member_locks)
        if recursive and member.is_collection:
            collections.append((join_path(path, member.name), member_url))
    for member_path, member_url in collections:
        yield from _members(request, render, member_path, member_url, True)


_SIMPLE, _LOCKS, _QUOTA, _DEAD = range(4)


class _Renderer:
    """Makes one ``<D:response>`` for a resource, as the query asks.

    A ``prop`` query is planned once per request: each name is tagged as a live property
    rendered from the resource alone, ``lockdiscovery``, a quota property, or a dead one.
    """

    def __init__(self, request: DAVRequest, query: PropfindQuery) -> None:
        self.provider = request.provider
        self.query = query
        self.script_name = request.script_name
        self.now = request.settings.locks.clock()
        self.plan: list[tuple[str, int]] = []
        for name in query.names:
            if name in SIMPLE_RENDERERS:
                self.plan.append((name, _SIMPLE))
            elif name == "{DAV:}lockdiscovery":
                self.plan.append((name, _LOCKS))
            elif name in QUOTA_NAMES:
                self.plan.append((name, _QUOTA))
            elif query.kind == "prop":
                self.plan.append((name, _DEAD))
        kinds = {kind for _, kind in self.plan}
        self.wants_locks = query.kind == "allprop" or _LOCKS in kinds
        self.wants_dead = query.kind != "prop" or _DEAD in kinds

    def __call__(
        self,
        info: ResourceInfo,
        url: str,
        parent: str,
        dead: Mapping[str, str],
        locks: list[Lock],
    ) -> str:
        href = self.script_name + url
        if info.is_collection and url != "/":
            href += "/"
        kind = self.query.kind
        if kind == "prop":
            body = self._named(info, parent, dead, locks) or propstat("", 200)
        elif kind == "allprop":
            body = self._allprop(info, parent, dead, locks)
        else:
            names = [*live_names(info), *(name for name in dead if name not in LIVE_NAMES)]
            body = propstat("".join(empty_element(name) for name in names), 200)
        return f"<D:response><D:href>{href_text(href)}</D:href>{body}</D:response>"

    def _locks(self, locks: list[Lock]) -> str:
        return lockdiscovery(locks, self.script_name, self.now) if locks else _EMPTY_LOCKS

    def _allprop(
        self, info: ResourceInfo, parent: str, dead: Mapping[str, str], locks: list[Lock]
    ) -> str:
        properties = allprop(info, self._locks(locks))
        if dead:
            properties += "".join(value for name, value in dead.items() if name not in LIVE_NAMES)
        body = f"<D:propstat><D:prop>{properties}</D:prop>{_OK}</D:propstat>"
        return body + self._named(info, parent, dead, locks, only_quota=True)

    def _named(
        self,
        info: ResourceInfo,
        parent: str,
        dead: Mapping[str, str],
        locks: list[Lock],
        *,
        only_quota: bool = False,
    ) -> str:
        found: list[str] = []
        missing: list[str] = []
        for name, kind in self.plan:
            value: str | None
            if kind == _SIMPLE:
                if only_quota:
                    continue
                value = SIMPLE_RENDERERS[name](info)
            elif kind == _DEAD:
                value = dead.get(name)
            elif kind == _LOCKS:
                if only_quota:
                    continue
                value = self._locks(locks)
            else:
                path = parent if not info.name else join_path(parent, info.name)
                value = render_live(name, info, _EMPTY_LOCKS.__str__, partial(self._quota, path))
            if value is None:
                missing.append(empty_element(name))
            else:
                found.append(value)
        body = f"<D:propstat><D:prop>{''.join(found)}</D:prop>{_OK}</D:propstat>" if found else ""
        if missing:
            body += f"<D:propstat><D:prop>{''.join(missing)}</D:prop>{_NOT_FOUND}</D:propstat>"
        return body

    def _quota(self, path: str) -> Quota | None:
        return self.provider.quota(path)
