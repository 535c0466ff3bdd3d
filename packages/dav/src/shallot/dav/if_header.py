"""The ``If`` header (RFC 4918 section 10.4): its full grammar, and its evaluation.

::

    If = ( 1*No-tag-list | 1*Tagged-list )
    No-tag-list = List
    Tagged-list = Resource-Tag 1*List
    List = "(" 1*Condition ")"
    Condition = ["Not"] (State-token | "[" entity-tag "]")

:func:`parse_if_header` reads a header into an :class:`IfHeader` (400 when malformed);
:meth:`IfHeader.evaluate` says whether it holds. Untagged lists are about the request's resource,
tagged lists about the resource their tag names. A condition holds when the resource has the
entity tag (weak comparison) or when a lock covering the resource has the state token; ``Not``
inverts it. A list holds when all its conditions do, the header when any list does. An unmapped
URL has no entity tag and no lock, so ``(Not <DAV:no-lock>)`` holds for anything.

The lock tokens a request *submits* (RFC 4918 section 6.4) are every state token the header
names outside a ``Not``: :attr:`IfHeader.tokens`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from shallot.dav.errors import DAVError
from shallot.http import parse_etag

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.http import ETag

__all__ = ["IfCondition", "IfHeader", "IfList", "ResourceState", "parse_if_header"]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<open>\() | (?P<close>\)) | (?P<not>Not\b) |
      <(?P<url>[^>\s]*)> | \[(?P<etag>[^\]]*)\]
    )""",
    re.VERBOSE | re.IGNORECASE,
)


class IfCondition(NamedTuple):
    """One condition: a state ``token`` or an ``etag`` (exactly one is set), maybe negated."""

    negated: bool
    token: str | None
    etag: ETag | None


class IfList(NamedTuple):
    """A parenthesised list of conditions, about ``resource`` (a tag) or the request (``None``)."""

    resource: str | None
    conditions: tuple[IfCondition, ...]


class ResourceState(NamedTuple):
    """What the conditions are checked against: the resource's entity tag and its locks' tokens.

    An unmapped resource has ``etag`` ``None`` and no tokens.
    """

    etag: ETag | None
    tokens: frozenset[str]


class IfHeader(NamedTuple):
    """A parsed ``If`` header."""

    lists: tuple[IfList, ...]

    @property
    def tokens(self) -> frozenset[str]:
        """The state tokens named outside a ``Not``: the lock tokens the request submits."""
        return frozenset(
            condition.token
            for if_list in self.lists
            for condition in if_list.conditions
            if condition.token is not None and not condition.negated
        )

    def evaluate(self, state_of: Callable[[str | None], ResourceState]) -> bool:
        """Whether the header holds; ``state_of(tag)`` gives the state of a tagged resource, or of
        the request's resource for ``None``. Each resource's state is asked for once."""
        states: dict[str | None, ResourceState] = {}
        for if_list in self.lists:
            state = states.get(if_list.resource)
            if state is None:
                state = states[if_list.resource] = state_of(if_list.resource)
            if all(_holds(condition, state) for condition in if_list.conditions):
                return True
        return False


def _holds(condition: IfCondition, state: ResourceState) -> bool:
    if condition.token is not None:
        matched = condition.token in state.tokens
    else:
        etag = condition.etag
        matched = state.etag is not None and etag is not None and etag.value == state.etag.value
    return matched != condition.negated


def parse_if_header(value: str) -> IfHeader:
    """Parse an ``If`` header value; a 400 :class:`~shallot.dav.errors.DAVError` if malformed.

    Tagged and untagged lists may not be mixed (the grammar allows one kind per header).
    """
    lists: list[IfList] = []
    tag: str | None = None
    tagged: bool | None = None
    tag_used = True
    conditions: list[IfCondition] | None = None
    negated = False
    position, end = 0, len(value)
    while True:
        while position < end and value[position] in " \t\r\n":
            position += 1
        if position >= end:
            break
        match = _TOKEN.match(value, position)
        if match is None:
            raise DAVError(400, "the If header is malformed")
        position = match.end()
        if match["open"]:
            if conditions is not None:
                raise DAVError(400, "the If header has a list inside a list")
            if tagged is None:
                tagged = False
            conditions = []
        elif match["close"]:
            if not conditions or negated:
                raise DAVError(400, "the If header has an empty or unfinished list")
            lists.append(IfList(tag, tuple(conditions)))
            conditions = None
            tag_used = True
        elif match["not"]:
            if conditions is None or negated:
                raise DAVError(400, "'Not' outside a list in the If header")
            negated = True
        elif match["url"] is not None:
            if conditions is not None:
                conditions.append(IfCondition(negated, match["url"], None))
                negated = False
                continue
            if tagged is False:
                raise DAVError(400, "the If header mixes tagged and untagged lists")
            if not tag_used:
                raise DAVError(400, "a resource tag in the If header has no list")
            tagged, tag, tag_used = True, match["url"], False
        else:
            if conditions is None:
                raise DAVError(400, "an entity tag outside a list in the If header")
            etag = parse_etag(match["etag"] or "")
            if etag is None:
                raise DAVError(400, "the If header has a malformed entity tag")
            conditions.append(IfCondition(negated, None, etag))
            negated = False
    if conditions is not None or not tag_used:
        raise DAVError(400, "the If header ends inside a list or after a resource tag")
    if not lists:
        raise DAVError(400, "the If header has no list")
    return IfHeader(tuple(lists))
