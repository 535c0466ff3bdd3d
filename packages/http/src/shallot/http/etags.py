"""Entity tags: the ``ETag`` validator, its two comparison functions, and lists of them.

RFC 9110 section 8.8.3 defines an entity tag as an opaque quoted string, optionally marked weak
with ``W/``. ``If-Match`` and ``If-None-Match`` carry either ``*`` or a comma-separated list of
entity tags; :func:`parse_etag_list` reads those, :func:`strong_match` and :func:`weak_match`
compare tags, and :func:`make_etag` builds a tag for a resource from cheap facts about it.
"""

from __future__ import annotations

import dataclasses
import hashlib

__all__ = [
    "ETag",
    "ETagList",
    "InvalidETag",
    "make_etag",
    "parse_etag",
    "parse_etag_list",
    "strong_match",
    "weak_match",
]

_ETAGC = frozenset(chr(c) for c in (0x21, *range(0x23, 0x7F), *range(0x80, 0x100)))
_OWS = " \t"


class InvalidETag(ValueError):
    """An entity tag or list of them does not follow RFC 9110's syntax; ``value`` is the input."""

    def __init__(self, message: str, value: str) -> None:
        super().__init__(f"{message}: {value!r}")
        self.value = value


@dataclasses.dataclass(frozen=True, slots=True)
class ETag:
    """An entity tag: ``value`` is the text between the quotes, ``weak`` its ``W/`` mark.

    ``str(tag)`` is the header form, ``"abc"`` or ``W/"abc"``. Raises :class:`InvalidETag` when
    ``value`` holds a character an entity tag cannot carry (a double quote, a space, a control
    character, or anything beyond ``U+00FF``). Equal tags compare and hash equal.
    """

    value: str
    weak: bool = False

    def __post_init__(self) -> None:
        if not _ETAGC.issuperset(self.value):
            raise InvalidETag("character not allowed in an entity tag", self.value)

    def __str__(self) -> str:
        return f'W/"{self.value}"' if self.weak else f'"{self.value}"'


def strong_match(a: ETag, b: ETag) -> bool:
    """Whether ``a`` and ``b`` match by strong comparison: neither is weak and the values agree."""
    return not a.weak and not b.weak and a.value == b.value


def weak_match(a: ETag, b: ETag) -> bool:
    """Whether ``a`` and ``b`` match by weak comparison: the values agree, weakness aside."""
    return a.value == b.value


@dataclasses.dataclass(frozen=True, slots=True)
class ETagList:
    """The value of ``If-Match`` or ``If-None-Match``: ``*`` (``any``) or a tuple of tags.

    An empty tuple (from an empty header value) matches nothing.
    """

    tags: tuple[ETag, ...] = ()
    any: bool = False

    def matches(self, etag: ETag | None, *, weak: bool) -> bool:
        """Whether ``etag`` matches a listed tag, by weak or strong comparison as asked.

        ``*`` matches every tag; ``None`` (the resource has no tag) matches nothing, not even
        ``*``: what ``*`` means for a resource without a tag is the caller's decision.
        """
        if etag is None:
            return False
        if self.any:
            return True
        compare = weak_match if weak else strong_match
        return any(compare(etag, listed) for listed in self.tags)


def parse_etag(value: str) -> ETag | None:
    """Read one entity tag (an ``ETag`` or ``If-Range`` value); ``None`` if it is not one.

    Whitespace around the tag is ignored; a lowercase ``w/`` is accepted as the weak mark.
    """
    value = value.strip(_OWS)
    weak = value[:2] in ("W/", "w/")
    if weak:
        value = value[2:]
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return None
    try:
        return ETag(value[1:-1], weak)
    except InvalidETag:
        return None


def parse_etag_list(header: str) -> ETagList:
    """Read an ``If-Match`` or ``If-None-Match`` value into an :class:`ETagList`.

    ``*`` alone gives ``ETagList(any=True)``. Otherwise the value is a comma-separated list in
    which whitespace and empty elements are ignored, so ``""`` gives an empty list. A lowercase
    ``w/`` is accepted as the weak mark. Raises :class:`InvalidETag` for a malformed list: an
    unquoted tag, an unterminated quote, a bad character, ``*`` mixed with tags, or two tags not
    separated by a comma.
    """
    text = header.strip(_OWS)
    if text == "*":
        return ETagList(any=True)
    tags: list[ETag] = []
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char in _OWS or char == ",":
            position += 1
            continue
        weak = text.startswith(("W/", "w/"), position)
        if weak:
            position += 2
        if not text.startswith('"', position):
            raise InvalidETag("entity tag is not quoted", header)
        close = text.find('"', position + 1)
        if close < 0:
            raise InvalidETag("unterminated entity tag", header)
        try:
            tags.append(ETag(text[position + 1 : close], weak))
        except InvalidETag:
            raise InvalidETag("character not allowed in an entity tag", header) from None
        position = close + 1
        while position < end and text[position] in _OWS:
            position += 1
        if position < end and text[position] != ",":
            raise InvalidETag("entity tags must be separated by commas", header)
    return ETagList(tuple(tags))


def make_etag(*parts: str | bytes | int | float) -> ETag:
    """Build a strong entity tag from facts that change whenever the content does.

    For a file, ``make_etag(stat.st_size, stat.st_mtime_ns, stat.st_ino)`` is typical. The same
    parts (equal values of the same types, in the same order) always give the same tag, across
    processes and runs; different parts give different tags but for a negligible chance.
    Raises :class:`ValueError` when no part is given.
    """
    if not parts:
        raise ValueError("make_etag needs at least one part")
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return ETag(digest)
