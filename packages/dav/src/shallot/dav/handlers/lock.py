"""LOCK: take or refresh a write lock (RFC 4918 section 9.10), through ``shallot.locks``.

A body (``lockinfo``) asks for a new lock: exclusive or shared, ``Depth`` 0 or infinity (the
default), the ``owner`` kept and reported back, the ``Timeout`` the client prefers (capped by the
server). A conflicting lock gives 423 ``no-conflicting-lock`` naming its root. Locking an
unmapped URL creates an empty resource there (201): what Windows Explorer and Office do before a
PUT. An empty body refreshes the lock whose token the ``If`` header names (412 when it names no
lock on this resource, 403 when it is another user's).

The answer carries the lock's ``<D:lockdiscovery>`` and, for a new lock, its ``Lock-Token``.

A client sends the same ``lockinfo`` for every lock it takes (Windows and macOS put the user's
name in ``owner``), so the last :data:`REMEMBERED_LOCKINFOS` bodies read are remembered with what
they asked for: parsing one with defusedxml (in pure Python) cost a LOCK more than taking the lock.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

from shallot.dav.errors import DAVError
from shallot.dav.live_properties import activelock
from shallot.dav.shares import Target
from shallot.dav.xml_parse import parse_xml, xml_body
from shallot.dav.xml_write import serialize_element
from shallot.http import Response
from shallot.locks import (
    Depth,
    InvalidTimeout,
    LockConflict,
    LockNotFound,
    LockOwnerMismatch,
    parse_timeout,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.handlers.context import DAVRequest
    from shallot.locks import Lock

__all__ = [
    "REMEMBERED_LOCKINFOS",
    "REMEMBERED_SIZE",
    "LockRequest",
    "handle",
    "parse_lockinfo",
    "read_lockinfo",
]

REMEMBERED_LOCKINFOS = 256
"""How many ``lockinfo`` bodies are remembered with their meaning, each of at most
:data:`REMEMBERED_SIZE` bytes: at most 1 MiB in all."""

REMEMBERED_SIZE = 4096
"""The largest ``lockinfo`` body remembered (a usual one takes 200 to 400 bytes)."""


class LockRequest(NamedTuple):
    """A ``lockinfo`` body: the scope asked for and the ``owner`` fragment (or ``None``)."""

    exclusive: bool
    owner: str | None


def parse_lockinfo(root: Element) -> LockRequest:
    """Read a ``lockinfo`` element; 400 when it is not one, or asks for no write lock."""
    if root.tag != "{DAV:}lockinfo":
        raise DAVError(400, "the LOCK body is not a DAV:lockinfo element")
    scope = root.find("{DAV:}lockscope")
    kind = root.find("{DAV:}locktype")
    if scope is None or kind is None or len(scope) != 1 or len(kind) != 1:
        raise DAVError(400, "DAV:lockinfo needs one lockscope and one locktype")
    if kind[0].tag != "{DAV:}write":
        raise DAVError(400, "only write locks exist")
    if scope[0].tag not in ("{DAV:}exclusive", "{DAV:}shared"):
        raise DAVError(400, "the lock scope is neither exclusive nor shared")
    owner = root.find("{DAV:}owner")
    return LockRequest(
        scope[0].tag == "{DAV:}exclusive", None if owner is None else serialize_element(owner)
    )


def read_lockinfo(data: bytes) -> LockRequest:
    """What the ``lockinfo`` document ``data`` asks for; 400 when it is malformed or not one.

    Remembered for the next identical body (see the module docs); an error is never remembered.
    """
    if len(data) > REMEMBERED_SIZE:
        return _lockinfo(data)
    return _remembered_lockinfo(data)


def _lockinfo(data: bytes) -> LockRequest:
    return parse_lockinfo(parse_xml(data))


_remembered_lockinfo = functools.lru_cache(maxsize=REMEMBERED_LOCKINFOS)(_lockinfo)


def handle(request: DAVRequest) -> WSGIApplication:
    """Take or refresh a lock on the request's resource."""
    request.check_writable_share()
    try:
        timeout = parse_timeout(request.header("HTTP_TIMEOUT"))
    except InvalidTimeout as error:
        raise DAVError(400, str(error)) from None
    body = xml_body(request.environ, request.settings.max_xml_size)
    asked = None if body is None else read_lockinfo(body)
    info = request.info()
    request.check_conditions(info)
    if asked is None:
        return _refresh(request, timeout)
    depth = request.depth("infinity", ("0", "infinity"))
    if info is None:
        request.check_locks(parent_url(request.target))
    try:
        lock = request.settings.locks.lock(
            request.url,
            depth=Depth.ZERO if depth == "0" else Depth.INFINITY,
            exclusive=asked.exclusive,
            owner=asked.owner,
            principal=request.principal,
            timeout=timeout,
        )
    except LockConflict as conflict:
        raise DAVError(
            423,
            condition="no-conflicting-lock",
            hrefs=[request.script_name + root for root in conflict.roots],
        ) from None
    status = 200
    if info is None:
        try:
            request.provider.write(request.path, (), size=0)
        except BaseException:
            request.settings.locks.unlock(request.url, lock.token, principal=request.principal)
            raise
        status = 201
    return _answer(request, lock, status, [("Lock-Token", f"<{lock.token}>")])


def _refresh(request: DAVRequest, timeout: int | None) -> WSGIApplication:
    tokens = request.tokens
    if not tokens:
        raise DAVError(400, "a lock refresh needs the lock token in an If header")
    for token in sorted(tokens):
        try:
            lock = request.settings.locks.refresh(
                token, url=request.url, timeout=timeout, principal=request.principal
            )
        except LockNotFound:
            continue
        except LockOwnerMismatch:
            raise DAVError(403, "the lock belongs to another user") from None
        return _answer(request, lock, 200, [])
    raise DAVError(412, condition="lock-token-matches-request-uri")


def _answer(
    request: DAVRequest, lock: Lock, status: int, headers: list[tuple[str, str]]
) -> WSGIApplication:
    now = request.settings.locks.clock()
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<D:prop xmlns:D="DAV:"><D:lockdiscovery>'
        f"{activelock(lock, request.script_name, now)}"
        "</D:lockdiscovery></D:prop>"
    )
    return Response(body, "application/xml; charset=utf-8", headers, status)


def parent_url(target: Target) -> str:
    """The app path of the collection holding ``target`` (the share's root for itself)."""
    return Target(target.share, target.path.rsplit("/", 1)[0] or "/").url
