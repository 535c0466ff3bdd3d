"""Conditional requests: deciding between acting, 304 Not Modified and 412 Precondition Failed.

:func:`evaluate_preconditions` applies RFC 9110 section 13.2.2 in its order: ``If-Match``, else
``If-Unmodified-Since``; then ``If-None-Match``, else (GET and HEAD only) ``If-Modified-Since``.
:func:`if_range_allows` answers the last step, whether ``If-Range`` lets a ``Range`` apply.

Both read a WSGI environ (``HTTP_IF_MATCH`` and so on) or a mapping of request header names to
values, and take the resource's current validators: its :class:`~shallot.http.etags.ETag` and
last-modified time, either of which may be unknown.

Where the RFC leaves a choice, these functions fail safe:

- a malformed ``If-Match`` list fails the request (412), since the client's guard cannot be
  honoured;
- a malformed ``If-None-Match`` list is treated as present but matching nothing: GET and HEAD
  get the full answer (never a 304, and ``If-Modified-Since`` stays ignored) while other methods
  fail with 412, because a method that changes state must not go ahead unguarded;
- ``If-Unmodified-Since`` and ``If-Modified-Since`` are ignored when the date cannot be read or
  the resource has no last-modified time;
- a request is never judged to have "already succeeded", so a false ``If-Match`` or
  ``If-Unmodified-Since`` always gives 412.
"""

from __future__ import annotations

import enum
from datetime import timezone
from typing import TYPE_CHECKING

from shallot.http.dates import parse_http_date
from shallot.http.etags import InvalidETag, parse_etag, parse_etag_list, strong_match

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from shallot.http.etags import ETag

__all__ = ["Precondition", "evaluate_preconditions", "if_range_allows"]

_UTC = timezone.utc
_SAFE_METHODS = frozenset(("GET", "HEAD"))


class Precondition(enum.Enum):
    """What the preconditions of a request say to do."""

    PROCEED = "proceed"
    """Act on the request as if it had no preconditions."""
    NOT_MODIFIED = "not modified"
    """Answer 304 Not Modified (only ever for GET and HEAD)."""
    PRECONDITION_FAILED = "precondition failed"
    """Answer 412 Precondition Failed without acting."""


def evaluate_preconditions(
    request: Mapping[str, object],
    *,
    etag: ETag | None = None,
    last_modified: datetime | None = None,
    exists: bool = True,
    method: str | None = None,
) -> Precondition:
    """Evaluate a request's ``If-*`` headers against the resource, in RFC 9110's order.

    ``request`` is a WSGI environ or a mapping of header names (any case) to values. ``method``
    defaults to the environ's ``REQUEST_METHOD`` and must be given with a header mapping
    (:class:`TypeError` otherwise). ``etag`` and ``last_modified`` describe the current
    representation (naive datetimes are UTC); both are disregarded when ``exists`` is false.

    ``If-Match`` compares strongly and ``*`` in it means "the resource exists"; ``If-None-Match``
    compares weakly and ``*`` in it means the same, so a PUT with ``If-None-Match: *`` creates but
    never overwrites. Dates are compared to the second. A match on ``If-None-Match`` gives
    :attr:`Precondition.NOT_MODIFIED` for GET and HEAD and
    :attr:`Precondition.PRECONDITION_FAILED` otherwise. Malformed headers are handled as the
    module documentation describes; this function does not raise for any header value.
    """
    get = _reader(request)
    if method is None:
        method = get("REQUEST_METHOD")
        if method is None:
            raise TypeError("method is required when request is not a WSGI environ")
    if not exists:
        etag = last_modified = None
    if_match = get("HTTP_IF_MATCH")
    if if_match is not None:
        try:
            listed = parse_etag_list(if_match)
        except InvalidETag:
            return Precondition.PRECONDITION_FAILED
        if not (exists if listed.any else listed.matches(etag, weak=False)):
            return Precondition.PRECONDITION_FAILED
    elif last_modified is not None:
        if_unmodified_since = get("HTTP_IF_UNMODIFIED_SINCE")
        if if_unmodified_since is not None:
            date = parse_http_date(if_unmodified_since)
            if date is not None and _to_second(last_modified) > date:
                return Precondition.PRECONDITION_FAILED
    safe = method in _SAFE_METHODS
    if_none_match = get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        try:
            listed = parse_etag_list(if_none_match)
        except InvalidETag:
            return Precondition.PROCEED if safe else Precondition.PRECONDITION_FAILED
        if exists if listed.any else listed.matches(etag, weak=True):
            return Precondition.NOT_MODIFIED if safe else Precondition.PRECONDITION_FAILED
    elif safe and last_modified is not None:
        if_modified_since = get("HTTP_IF_MODIFIED_SINCE")
        if if_modified_since is not None:
            date = parse_http_date(if_modified_since)
            if date is not None and _to_second(last_modified) <= date:
                return Precondition.NOT_MODIFIED
    return Precondition.PROCEED


def if_range_allows(
    request: Mapping[str, object],
    *,
    etag: ETag | None = None,
    last_modified: datetime | None = None,
) -> bool:
    """Whether a ``Range`` may be honoured given the request's ``If-Range``.

    True without ``If-Range``. An entity tag in it must match ``etag`` by strong comparison (so a
    weak tag on either side never matches); a date in it must equal ``last_modified`` to the
    second (naive datetimes are UTC). Anything else, including a value that is neither, is
    false: send the whole representation with a 200. Only call this for a GET that carries a
    ``Range``; RFC 9110 ignores ``If-Range`` otherwise. ``request`` is read as in
    :func:`evaluate_preconditions`.
    """
    value = _reader(request)("HTTP_IF_RANGE")
    if value is None:
        return True
    value = value.strip(" \t")
    if value.startswith(('"', "W/", "w/")):
        tag = parse_etag(value)
        return tag is not None and etag is not None and strong_match(tag, etag)
    date = parse_http_date(value)
    return date is not None and last_modified is not None and _to_second(last_modified) == date


def _reader(request: Mapping[str, object]) -> Callable[[str], str | None]:
    """A lookup by environ key (``HTTP_IF_MATCH``) that also works on a header mapping."""
    if "REQUEST_METHOD" in request:

        def from_environ(key: str) -> str | None:
            value = request.get(key)
            return value if isinstance(value, str) else None

        return from_environ
    headers = {name.lower(): value for name, value in request.items() if isinstance(value, str)}

    def from_headers(key: str) -> str | None:
        return headers.get(key[5:].replace("_", "-").lower()) if key.startswith("HTTP_") else None

    return from_headers


def _to_second(moment: datetime) -> datetime:
    """``moment`` as aware UTC without its fraction of a second, as HTTP dates carry it."""
    if moment.tzinfo is None:
        return moment.replace(microsecond=0, tzinfo=_UTC)
    return moment.replace(microsecond=0)
