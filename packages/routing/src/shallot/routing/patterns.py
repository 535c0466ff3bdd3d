"""Route patterns: ``/user/<name>/<id:int>`` parsed once, at registration, into a compiled matcher.

A pattern is literal text with groups: ``<name>`` (one path segment), ``<name:filter>`` (a
:class:`~shallot.routing.filters.Filter` by name) or ``<name:re:regex>`` (an inline regex, which
ends at the first ``>`` not escaped as ``\\>``). Everything that can be wrong with a pattern is
found here and raised as :class:`~shallot.routing.exceptions.RouteError`: so a typo in a route
fails at start-up, not on a request.

A :class:`Pattern` keeps its parts in order (for ``url_for``), its compiled regex (for matching),
and the literal segments before its first group (the key the route table indexes it by).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shallot.routing.exceptions import RouteError
from shallot.routing.filters import DEFAULT_FILTER, Filter, inline_filter

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Parameter", "Pattern", "has_dot_segment", "parse_pattern", "wsgi_path"]

_RESERVED_NAMES = frozenset(("script_name",))


@dataclass(frozen=True, slots=True)
class Parameter:
    """One group of a pattern: the name it is passed by and the filter it goes through."""

    name: str
    filter: Filter


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed route pattern.

    ``text`` is the pattern as registered; ``parts`` its literal pieces and parameters in order;
    ``regex`` the compiled matcher of the whole path (``None`` for a static pattern, which is
    matched by equality).
    """

    text: str
    parts: tuple[str | Parameter, ...]
    regex: re.Pattern[str] | None

    @property
    def is_static(self) -> bool:
        """Whether the pattern has no groups (its path is its text)."""
        return self.regex is None

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """The groups, in the order their values are passed to the handler."""
        return tuple(part for part in self.parts if isinstance(part, Parameter))

    @property
    def names(self) -> tuple[str, ...]:
        """The group names, in order."""
        return tuple(part.name for part in self.parts if isinstance(part, Parameter))

    @property
    def prefix(self) -> tuple[str, ...]:
        """The whole literal segments before the first group (``("user",)`` for
        ``/user/<name>``): a path must start with them, each followed by ``/``, to match."""
        first = self.parts[0]
        if not isinstance(first, str):
            return ()
        return tuple(first[: first.rfind("/") + 1].split("/")[1:-1])


def wsgi_path(text: str) -> str:
    """``text`` as a WSGI server puts it in ``PATH_INFO``: UTF-8 bytes carried as Latin-1."""
    return text if text.isascii() else text.encode("utf-8").decode("latin-1")


def has_dot_segment(path: str) -> bool:
    """Whether ``path`` has a ``.`` or ``..`` segment: the App refuses such paths (400), so no
    pattern may need one and no built URL may have one."""
    return any(segment in (".", "..") for segment in path.split("/"))


def _group_end(text: str, start: int) -> int:
    """The index of the ``>`` closing an inline regex that starts at ``start``."""
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == ">":
            return index
        index += 1
    raise RouteError(text, "unclosed '<' (end an inline regex with '>', write '\\>' inside it)")


def _parse_group(text: str, start: int, filters: Mapping[str, Filter]) -> tuple[Parameter, int]:
    """The parameter of the group opened by the ``<`` at ``start``, and where the text resumes."""
    name_end = start + 1
    while name_end < len(text) and text[name_end] not in ":>":
        name_end += 1
    if name_end == len(text):
        raise RouteError(text, f"unclosed '<' at {start}")
    name = text[start + 1 : name_end]
    if not name.isidentifier():
        raise RouteError(text, f"invalid group name {name!r} (must be an identifier)")
    if name in _RESERVED_NAMES:
        raise RouteError(text, f"group name {name!r} is reserved for url_for")
    if text[name_end] == ">":
        return Parameter(name, DEFAULT_FILTER), name_end + 1
    if text.startswith("re:", name_end + 1):
        end = _group_end(text, name_end + 4)
        regex = text[name_end + 4 : end]
        if not regex:
            raise RouteError(text, f"empty inline regex for group {name!r}")
        try:
            return Parameter(name, inline_filter(regex)), end + 1
        except RouteError as error:
            raise RouteError(text, f"group {name!r}: {error.reason}") from None
    end = text.find(">", name_end)
    if end < 0:
        raise RouteError(text, f"unclosed '<' at {start}")
    filter_name = text[name_end + 1 : end]
    found = filters.get(filter_name)
    if found is None:
        known = ", ".join(sorted(filters))
        raise RouteError(text, f"unknown filter {filter_name!r} (known: {known}, re:<regex>)")
    return Parameter(name, found), end + 1


def parse_pattern(text: str, filters: Mapping[str, Filter]) -> Pattern:
    """Parse ``text`` with the named ``filters`` into a :class:`Pattern`.

    Raises :class:`~shallot.routing.exceptions.RouteError` when the text does not start with
    ``/``, a group is unclosed or badly named, a name repeats, a filter is unknown, an inline
    regex does not compile (or has named groups), or a literal ``.``/``..`` segment could never
    match.
    """
    if not isinstance(text, str) or not text.startswith("/"):
        raise RouteError(str(text), "a pattern must be a str starting with '/'")
    parts: list[str | Parameter] = []
    seen: set[str] = set()
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            if position < len(text):
                parts.append(text[position:])
            break
        if start > position:
            parts.append(text[position:start])
        parameter, position = _parse_group(text, start, filters)
        if parameter.name in seen:
            raise RouteError(text, f"group name {parameter.name!r} used twice")
        seen.add(parameter.name)
        parts.append(parameter)
    if has_dot_segment("".join(part if isinstance(part, str) else "x" for part in parts)):
        raise RouteError(text, "'.' and '..' segments never match (such paths are refused)")
    if not seen:
        return Pattern(text, tuple(parts), None)
    source = "".join(
        re.escape(part) if isinstance(part, str) else f"(?P<{part.name}>{part.filter.regex})"
        for part in parts
    )
    try:
        regex = re.compile(source)
    except re.error as error:
        raise RouteError(text, f"the pattern does not compile: {error}") from None
    return Pattern(text, tuple(parts), regex)
