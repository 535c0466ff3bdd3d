"""Type aliases shared across shallot.http's modules and by the packages built on it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

JSONValue: TypeAlias = bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"] | None
"""A value JSON carries, as :func:`json.loads` returns it (what ``Request.json`` gives)."""

JSONLike: TypeAlias = (
    bool | int | float | str | Sequence["JSONLike"] | Mapping[str, "JSONLike"] | None
)
"""What a JSON response accepts: read-only, so ``list[int]`` and ``dict[str, str]`` fit too."""

HeadersInit: TypeAlias = Mapping[str, str] | Iterable[tuple[str, str]]
"""Initial headers of a response: a mapping, or ``(name, value)`` pairs (names may repeat)."""
