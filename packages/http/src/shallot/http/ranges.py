"""Byte ranges: reading a ``Range`` header and resolving it against a representation's length.

RFC 9110 section 14 lets a client ask for parts of a representation with
``Range: bytes=0-99, 200-, -50``. :func:`parse_range` reads the header into a
:class:`RangeRequest`; :meth:`RangeRequest.resolve` turns it into concrete half-open
:class:`ByteRange` s once the length is known; :func:`content_range` writes the matching
``Content-Range`` value.

An invalid ``Range`` header must be ignored (RFC 9110 section 14.2): when :func:`parse_range`
raises :class:`InvalidRange`, answer with the whole representation and a 200, not an error. Only
a valid header whose ranges all miss the representation earns a 416, signalled by
:class:`RangeNotSatisfiable`.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

__all__ = [
    "MAX_RANGES",
    "ByteRange",
    "InvalidRange",
    "RangeNotSatisfiable",
    "RangeRequest",
    "RangeSpec",
    "content_range",
    "parse_range",
]

MAX_RANGES = 100
"""The most ranges one header may list; more is treated as invalid, a guard against abuse."""

_OWS = " \t"
_MAX_DIGITS = 30


class InvalidRange(ValueError):
    """A ``Range`` header that is not valid; RFC 9110 says to ignore it and answer 200.

    ``header`` is the offending value.
    """

    def __init__(self, message: str, header: str) -> None:
        super().__init__(f"{message}: {header!r}")
        self.header = header


class RangeNotSatisfiable(Exception):
    """No requested range overlaps the representation; answer 416 with :attr:`content_range`.

    ``length`` is the representation's length in bytes.
    """

    def __init__(self, length: int) -> None:
        super().__init__(f"no requested range is satisfiable for a length of {length}")
        self.length = length

    @property
    def content_range(self) -> str:
        """The ``Content-Range`` value a 416 answer carries, e.g. ``bytes */1000``."""
        return f"bytes */{self.length}"


@dataclasses.dataclass(frozen=True, slots=True)
class ByteRange:
    """The bytes from ``start`` up to but excluding ``stop``; never empty.

    Raises :class:`ValueError` unless ``0 <= start < stop``.
    """

    start: int
    stop: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.stop:
            raise ValueError(f"not a byte range: start={self.start}, stop={self.stop}")

    @property
    def length(self) -> int:
        """How many bytes the range covers."""
        return self.stop - self.start


class RangeSpec(NamedTuple):
    """One range as written in the header, before the length is known.

    ``first-last`` gives ``RangeSpec(first, last)``, ``first-`` gives ``RangeSpec(first, None)``
    and the suffix form ``-last`` (the final ``last`` bytes) gives ``RangeSpec(None, last)``.
    Positions are inclusive, as in the header.
    """

    first: int | None
    last: int | None


@dataclasses.dataclass(frozen=True, slots=True)
class RangeRequest:
    """A valid ``bytes`` range request: the specs in the order the client listed them."""

    specs: tuple[RangeSpec, ...]

    def resolve(self, length: int) -> list[ByteRange]:
        """The ranges to send for a representation of ``length`` bytes.

        A ``last`` beyond the end is clamped to it, and a suffix longer than the representation
        covers all of it. Specs that miss the representation are dropped; the rest are sorted
        and overlapping or adjacent ones merged, so the result is ascending and disjoint.
        Raises :class:`RangeNotSatisfiable` when nothing is left, and :class:`ValueError` for a
        negative ``length``.
        """
        if length < 0:
            raise ValueError(f"a representation cannot have a negative length: {length}")
        bounds: list[tuple[int, int]] = []
        for first, last in self.specs:
            if first is None:
                if last and length:
                    bounds.append((max(0, length - last), length))
            elif first < length:
                bounds.append((first, length if last is None or last >= length else last + 1))
        if not bounds:
            raise RangeNotSatisfiable(length)
        if len(bounds) == 1:
            return [ByteRange(*bounds[0])]
        bounds.sort()
        merged: list[ByteRange] = []
        start, stop = bounds[0]
        for next_start, next_stop in bounds[1:]:
            if next_start <= stop:
                stop = max(stop, next_stop)
            else:
                merged.append(ByteRange(start, stop))
                start, stop = next_start, next_stop
        merged.append(ByteRange(start, stop))
        return merged


def parse_range(header: str) -> RangeRequest:
    """Read a ``Range`` header value such as ``bytes=0-99, -50``.

    The unit must be ``bytes`` (in any case); whitespace around list elements and empty elements
    are allowed. Raises :class:`InvalidRange` for any other unit, a missing ``=``, a spec that is
    not ``first-last``, ``first-`` or ``-suffix`` in ASCII digits, a ``last`` before its
    ``first``, a position of more than 30 digits, an empty list, or more than
    :data:`MAX_RANGES` specs. Callers must then ignore the header and send the whole
    representation with a 200.
    """
    unit, equals, ranges = header.partition("=")
    if not equals:
        raise InvalidRange("no range unit", header)
    if unit.strip(_OWS).lower() != "bytes":
        raise InvalidRange("unsupported range unit", header)
    if not ranges.isascii():
        raise InvalidRange("range is not ASCII", header)
    specs: list[RangeSpec] = []
    for element in ranges.split(","):
        element = element.strip(_OWS)
        if not element:
            continue
        if len(specs) == MAX_RANGES:
            raise InvalidRange(f"more than {MAX_RANGES} ranges", header)
        first, dash, last = element.partition("-")
        if not dash or not (first or last):
            raise InvalidRange("range is not first-last, first- or -suffix", header)
        if (first and not first.isdigit()) or (last and not last.isdigit()):
            raise InvalidRange("range positions must be digits", header)
        if len(first) > _MAX_DIGITS or len(last) > _MAX_DIGITS:
            raise InvalidRange("range position too long", header)
        spec = RangeSpec(int(first) if first else None, int(last) if last else None)
        if spec.first is not None and spec.last is not None and spec.last < spec.first:
            raise InvalidRange("range ends before it starts", header)
        specs.append(spec)
    if not specs:
        raise InvalidRange("no ranges", header)
    return RangeRequest(tuple(specs))


def content_range(byte_range: ByteRange, length: int) -> str:
    """The ``Content-Range`` value for ``byte_range`` of a ``length``-byte representation.

    For example ``bytes 0-99/1000``. Raises :class:`ValueError` when the range runs past
    ``length``.
    """
    if byte_range.stop > length:
        raise ValueError(f"{byte_range} runs past a length of {length}")
    return f"bytes {byte_range.start}-{byte_range.stop - 1}/{length}"
