"""COPY and MOVE (RFC 4918 sections 9.8 and 9.9).

The ``Destination`` is an absolute URL on this server (any scheme: a TLS-terminating proxy may
change it) or a path; another host gets 502, a path outside the shares 502 too. With
``case_insensitive_targets``, a destination differing from an existing member only in case names
that member. Order of checks: source exists (404), destination not the source nor inside it nor
around it (403), ``Depth`` (COPY: ``0`` or ``infinity``; MOVE: ``infinity``), conditions (412),
locks on the moved source tree and on both parents and the replaced destination (423),
``Overwrite: F`` on an existing destination (412). A replaced destination is deleted first.

201 for a new destination, 204 for a replaced one, 207 with the members that failed. Dead
properties follow the resource (copied or moved with their tree); locks never move (section 7.5):
MOVE drops the source tree's locks and the replaced destination's, COPY copies none.

Between two shares (two providers), the tree is copied member by member through the provider API
and, for MOVE, deleted from the source afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError, Failure, empty_response
from shallot.dav.handlers.delete import failures_response
from shallot.dav.paths import join_path
from shallot.locks import Depth

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.handlers.context import DAVRequest
    from shallot.dav.shares import Target

__all__ = ["handle"]


def handle(request: DAVRequest) -> WSGIApplication:
    """Copy or move the request's resource to its ``Destination``."""
    moving = request.method == "MOVE"
    if moving:
        request.check_writable_share()
    info = request.info()
    if info is None:
        raise DAVError(404)
    destination = request.destination()
    if destination.share.provider.readonly:
        raise DAVError(403, "the destination share is read-only")
    source_url, target_url = request.url, destination.url
    if _within(target_url, source_url) or (moving and _within(source_url, target_url)):
        raise DAVError(403, "the source and the destination overlap")
    if request.path == "/" and moving:
        raise DAVError(403, "a share's root cannot be moved")
    if info.is_collection:
        depth = request.depth("infinity", ("infinity",) if moving else ("0", "infinity"))
    else:
        request.depth("0")  # means nothing for a single resource, but must be a Depth
        depth = "0"
    request.check_conditions(info)
    overwrite = request.overwrite()
    existing = destination.share.provider.info(destination.path)
    if moving:
        request.check_member_locks(request.target, Depth.INFINITY)
    request.check_member_locks(
        destination,
        Depth.INFINITY if existing is not None and existing.is_collection else Depth.ZERO,
    )
    if existing is not None:
        if not overwrite:
            raise DAVError(412, "the destination exists and Overwrite is F")
        if _within(source_url, target_url):
            raise DAVError(403, "the destination contains the source")
        failures = destination.share.provider.delete(destination.path)
        if failures:
            return failures_response(request, destination, failures)
        request.settings.props.delete_tree(target_url)
        if moving:
            request.settings.locks.delete_tree(target_url)
    failures = _transfer(request, destination, recursive=depth == "infinity", moving=moving)
    if failures:
        return failures_response(request, destination, failures)
    if moving:
        request.settings.props.move_tree(source_url, target_url)
        request.settings.locks.move_tree(source_url, target_url)
    elif depth == "infinity" or not info.is_collection:
        request.settings.props.copy_tree(source_url, target_url)
    else:
        _copy_own_properties(request, target_url)
    return empty_response(201 if existing is None else 204)


def _within(url: str, root: str) -> bool:
    return url == root or url.startswith(root.rstrip("/") + "/")


def _copy_own_properties(request: DAVRequest, target_url: str) -> None:
    """A Depth 0 COPY of a collection takes the collection's own dead properties only."""
    properties = request.settings.props.get_all(request.url)
    if properties:
        request.settings.props.patch(target_url, set=properties)


def _transfer(
    request: DAVRequest, destination: Target, *, recursive: bool, moving: bool
) -> list[Failure]:
    source_provider = request.provider
    target_provider = destination.share.provider
    if source_provider is target_provider:
        if moving:
            return source_provider.move(request.path, destination.path)
        return source_provider.copy(request.path, destination.path, recursive=recursive)
    failures: list[Failure] = []
    _copy_between(request, request.path, destination, destination.path, recursive, failures)
    if moving and not failures:
        failures = source_provider.delete(request.path)
    return failures


def _copy_between(
    request: DAVRequest,
    source: str,
    destination: Target,
    path: str,
    recursive: bool,
    failures: list[Failure],
) -> None:
    """Copy ``source`` of the request's provider to ``path`` of another provider."""
    provider = request.provider
    target = destination.share.provider
    info = provider.info(source)
    if info is None:
        return
    try:
        if not info.is_collection:
            with provider.open(source) as stream:
                target.write(path, iter(lambda: stream.read(1024 * 1024), b""), size=info.size)
            return
        target.make_collection(path)
    except DAVError as error:
        if path == destination.path:
            raise
        failures.append(Failure(path, error.status))
        return
    if recursive:
        for member in provider.members(source):
            _copy_between(
                request,
                join_path(source, member.name),
                destination,
                join_path(path, member.name),
                True,
                failures,
            )
