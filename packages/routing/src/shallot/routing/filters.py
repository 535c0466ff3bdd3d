"""Route filters: what a ``<name:filter>`` group matches, what the handler receives, and how
``url_for`` turns a value back into a path.

A :class:`Filter` pairs a regular expression with a conversion (``int`` makes ``"42"`` into
``42``) and its inverse (``to_url``), so one definition serves both matching a request and building
a URL. The built-in ones are those of PoorWSGI plus ``path``; ``re:<regex>`` makes a one-off
filter inline; :meth:`App.set_filter <shallot.routing.App.set_filter>` adds more.

Each built-in regex is anchored by the pattern it is used in and never matches an empty string,
so a group always receives text. ``int`` and ``float`` accept ASCII digits only (``\\d`` would
admit other scripts' digits, which ``int`` converts but a URL builder would never produce).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar, cast

from shallot.routing.exceptions import RouteError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["BUILTIN_FILTERS", "DEFAULT_FILTER", "Filter", "inline_filter", "make_filter"]

T = TypeVar("T")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Filter:
    """A kind of route parameter.

    ``regex`` is what the parameter's text must match (as a whole); ``convert`` turns the matched
    text into the value the handler receives (raising :class:`ValueError` makes the route not
    match); ``to_url`` turns a value back into text for :meth:`App.url_for
    <shallot.routing.App.url_for>`, which then checks it against ``regex``. ``url_safe`` lists the
    characters ``url_for`` leaves unquoted (``"/"`` for ``path``). :attr:`compiled` is ``regex``
    compiled.
    """

    name: str
    regex: str
    convert: Callable[[str], object]
    to_url: Callable[[object], str]
    url_safe: str = ""
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            compiled = re.compile(self.regex)
        except re.error as error:
            raise RouteError(self.name, f"invalid filter regex {self.regex!r}: {error}") from None
        if compiled.groupindex:
            raise RouteError(self.name, "a filter regex cannot have named groups")
        object.__setattr__(self, "compiled", compiled)


def make_filter(
    name: str,
    regex: str,
    convert: Callable[[str], T],
    to_url: Callable[[T], str],
    url_safe: str = "",
) -> Filter:
    """A named :class:`Filter`, checked: the name must be an ASCII identifier other than ``re``
    (which introduces inline regexes), and the regex must compile without named groups; otherwise
    :class:`~shallot.routing.exceptions.RouteError`.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name == "re":
        raise RouteError(str(name), "a filter name must be an ASCII identifier other than 're'")
    # url_for hands to_url whatever value the caller passed; one it rejects becomes a BuildError.
    return Filter(
        name,
        regex,
        cast("Callable[[str], object]", convert),
        cast("Callable[[object], str]", to_url),
        url_safe,
    )


def inline_filter(regex: str) -> Filter:
    """The filter of an inline ``<name:re:regex>`` group: ``regex``, values passed as text."""
    return Filter(f"re:{regex}", regex, str, str)


def _float_to_url(value: object) -> str:
    """A float as plain digits (``1e+20`` would not match the ``float`` regex)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"expected a number, not {type(value).__name__}")
    return format(Decimal(repr(float(value))), "f")


def _uuid_to_url(value: object) -> str:
    """A UUID (or its text) in the canonical lower-case form."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


DEFAULT_FILTER = Filter("segment", r"[^/]+", str, str)
"""The filter of a group written without one (``<name>``): one path segment, as text."""

BUILTIN_FILTERS: Mapping[str, Filter] = MappingProxyType(
    {
        "segment": DEFAULT_FILTER,
        "int": Filter("int", r"-?[0-9]+", int, str),
        "float": Filter("float", r"-?[0-9]+(?:\.[0-9]+)?", float, _float_to_url),
        "word": Filter("word", r"\w+", str, str),
        "hex": Filter("hex", r"[0-9a-fA-F]+", str, str),
        "uuid": Filter(
            "uuid",
            r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            uuid.UUID,
            _uuid_to_url,
        ),
        "path": Filter("path", r"[^/].*", str, str, url_safe="/"),
    }
)
"""The filters every App starts with: ``segment`` (the default), ``int``, ``float``, ``word``
(Unicode ``\\w+``), ``hex`` (kept as text), ``uuid`` (a :class:`uuid.UUID`) and ``path`` (may
contain ``/``, never starts with one)."""
