"""Response headers: an ordered, case-insensitive multi-map that refuses header injection.

A response's headers are a list of ``(name, value)`` pairs, as WSGI's ``start_response`` takes
them; names repeat for fields such as ``Set-Cookie``. :class:`Headers` keeps exactly that list,
looks names up case-insensitively, and checks every name and value on the way in, so a value
carrying CR or LF can never split a response.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar, overload

if TYPE_CHECKING:
    from .types import HeadersInit

__all__ = ["CheckedFields", "Headers"]

_T = TypeVar("_T")

_TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MISSING = object()
_checked_names: set[str] = set()
_MAX_CHECKED_NAMES = 1024


def _check_name(name: str) -> str:
    if name in _checked_names:
        return name
    if not isinstance(name, str):
        raise TypeError(f"header name must be str, not {type(name).__name__}")
    if not name or name.strip(_TOKEN_CHARS):
        raise ValueError(f"invalid header name: {name!r}")
    if len(_checked_names) < _MAX_CHECKED_NAMES:
        _checked_names.add(name)
    return name


def _check_value(name: str, value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"value of header {name!r} must be str, not {type(value).__name__}")
    if value.isascii() and value.isprintable():
        return value
    for char in value:
        code = ord(char)
        if (code < 32 and char != "\t") or code == 127 or code > 255:
            raise ValueError(f"invalid character {char!r} in value of header {name!r}")
    return value


class CheckedFields(tuple[tuple[str, str], ...]):
    """Header fields checked once, to be added to many responses without checking each again.

    A tuple of ``(name, value)`` pairs that passed the checks :class:`Headers` makes; being
    immutable, it stays safe to send, so :meth:`Headers.extend` appends it as it is. For fields
    computed once and sent often (a cache policy's, say). ``names`` holds the names lower-cased.
    """

    names: frozenset[str]

    def __new__(cls, fields: Iterable[tuple[str, str]] = ()) -> CheckedFields:
        """Check ``fields`` as :meth:`Headers.add` would (raising ValueError or TypeError)."""
        checked = super().__new__(
            cls, [(_check_name(name), _check_value(name, value)) for name, value in fields]
        )
        checked.names = frozenset(name.lower() for name, _ in checked)
        return checked


class Headers:
    """Ordered, case-insensitive multi-map of response header fields.

    Names must be RFC 9110 tokens; values may hold any Latin-1 character except controls other
    than tab (WSGI sends headers as Latin-1, and CR, LF or NUL would let a value inject fields).
    Every write path checks both and raises :class:`ValueError` (or :class:`TypeError` for a
    non-``str``), so a ``Headers`` only ever holds fields that are safe to send. Names keep the
    spelling they were given; lookups ignore case. Iteration yields ``(name, value)`` pairs in
    order.
    """

    __slots__ = ("_list", "_sent")

    _list: list[tuple[str, str]]
    _sent: tuple[int, list[tuple[str, str]]] | None
    """What a response last sent with these fields (its Content-Length and the pairs), so sending
    the same response again skips rebuilding them; every change clears it."""

    def __init__(self, init: HeadersInit | None = None) -> None:
        """Start with ``init``: a mapping, or ``(name, value)`` pairs where names may repeat."""
        self._sent = None
        if init is None:
            self._list = []
        elif isinstance(init, Headers):
            self._list = init._list.copy()
        else:
            pairs = init.items() if isinstance(init, Mapping) else init
            self._list = [(_check_name(name), _check_value(name, value)) for name, value in pairs]

    def __getitem__(self, name: str) -> str:
        """Return the last value of ``name``; raise :class:`KeyError` when it is absent."""
        lowered = name.lower()
        for key, value in reversed(self._list):
            if key.lower() == lowered:
                return value
        raise KeyError(name)

    @overload
    def get(self, name: str) -> str | None: ...
    @overload
    def get(self, name: str, default: str) -> str: ...
    @overload
    def get(self, name: str, default: _T) -> str | _T: ...
    def get(self, name: str, default: object = None) -> object:
        """Return the last value of ``name``, or ``default`` when it is absent."""
        lowered = name.lower()
        for key, value in reversed(self._list):
            if key.lower() == lowered:
                return value
        return default

    def getall(self, name: str) -> list[str]:
        """Return every value of ``name`` in order; an empty list when it is absent."""
        lowered = name.lower()
        return [value for key, value in self._list if key.lower() == lowered]

    def __setitem__(self, name: str, value: str) -> None:
        """Make ``value`` the only value of ``name``, in the place of its first occurrence."""
        item = (_check_name(name), _check_value(name, value))
        self._sent = None
        lowered = name.lower()
        items = self._list
        for index, (key, _) in enumerate(items):
            if key.lower() == lowered:
                items[index] = item
                items[index + 1 :] = [kv for kv in items[index + 1 :] if kv[0].lower() != lowered]
                return
        items.append(item)

    def add(self, name: str, value: str) -> None:
        """Append a field, keeping any earlier values of ``name`` (as ``Set-Cookie`` needs)."""
        self._list.append((_check_name(name), _check_value(name, value)))
        self._sent = None

    def extend(self, fields: Iterable[tuple[str, str]]) -> None:
        """Append several fields, as :meth:`add` does for each (all checked before any is kept;
        :class:`CheckedFields` were checked when made)."""
        if type(fields) is CheckedFields:
            self._list.extend(fields)
        else:
            self._list.extend(
                [(_check_name(name), _check_value(name, value)) for name, value in fields]
            )
        self._sent = None

    def __delitem__(self, name: str) -> None:
        """Remove every value of ``name``; raise :class:`KeyError` when it is absent."""
        if self._remove(name) == 0:
            raise KeyError(name)

    @overload
    def pop(self, name: str) -> str: ...
    @overload
    def pop(self, name: str, default: str) -> str: ...
    @overload
    def pop(self, name: str, default: _T) -> str | _T: ...
    def pop(self, name: str, default: object = _MISSING) -> object:
        """Remove every value of ``name`` and return the last one.

        When ``name`` is absent, return ``default``, or raise :class:`KeyError` if none was given.
        """
        value = self.get(name, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                raise KeyError(name)
            return default
        self._remove(name)
        return value

    def update(self, init: HeadersInit) -> None:
        """Replace the fields named in ``init`` with its values; leave the other fields alone.

        A name that repeats in ``init`` keeps all its values there, in order.
        """
        incoming = Headers(init)
        for name in {key.lower() for key, _ in incoming._list}:
            self._remove(name)
        self._list.extend(incoming._list)
        self._sent = None

    def copy(self) -> Headers:
        """Return an independent copy."""
        return Headers(self)

    def items(self) -> list[tuple[str, str]]:
        """Return a new list of the ``(name, value)`` pairs, ready for ``start_response``."""
        return self._list.copy()

    def keys(self) -> list[str]:
        """Return the field names in order, repeated names repeated."""
        return [key for key, _ in self._list]

    def __contains__(self, name: object) -> bool:
        """Tell whether a field called ``name`` (any case) is present."""
        if not isinstance(name, str):
            return False
        lowered = name.lower()
        for key, _ in self._list:  # noqa: SIM110  # much faster than any() on a generator
            if key.lower() == lowered:
                return True
        return False

    def __len__(self) -> int:
        """Return the number of fields, counting each repeated name."""
        return len(self._list)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Yield the ``(name, value)`` pairs in order."""
        return iter(self._list)

    def __eq__(self, other: object) -> bool:
        """Equal to another ``Headers`` holding the same pairs in order, names in any case."""
        if not isinstance(other, Headers):
            return NotImplemented
        return [(k.lower(), v) for k, v in self._list] == [(k.lower(), v) for k, v in other._list]

    __hash__ = None  # type: ignore[assignment]  # mutable, hence unhashable, like list

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._list!r})"

    def _remove(self, name: str) -> int:
        lowered = name.lower()
        items = self._list
        kept = [kv for kv in items if kv[0].lower() != lowered]
        removed = len(items) - len(kept)
        if removed:
            items[:] = kept
            self._sent = None
        return removed
