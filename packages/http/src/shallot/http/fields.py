"""Form and query-string fields: an immutable ordered multi-map, and the query-string parser.

A query string or a form can repeat a name (``tag=a&tag=b``), so its fields are a multi-map from
name to values in the order they were sent. :class:`Fields` offers the lookups users of
PoorWSGI (``getfirst``/``getlist`` with a converting ``func``), Werkzeug (``get``, ``[]``) and
Wheezy (compact lists: ``id=1,2,3``) reach for, and turns a failed conversion into
``400 Bad Request`` instead of a server error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar, overload
from urllib.parse import unquote_to_bytes

from shallot.http.exceptions import HTTPException
from shallot.http.multimap import OrderedMultiMap
from shallot.http.status import BAD_REQUEST, CONTENT_TOO_LARGE

__all__ = ["Fields", "InvalidFieldValue", "parse_query"]

_T = TypeVar("_T")
_D = TypeVar("_D")

_CONVERSION_ERRORS = (ValueError, TypeError, ArithmeticError)


class InvalidFieldValue(HTTPException):
    """A field's value could not be converted by the ``func`` given to a :class:`Fields` lookup.

    It is a ``400 Bad Request``; :attr:`field_name` names the field, :attr:`value` holds the
    offending value as sent (not part of the response message).
    """

    def __init__(self, field_name: str, value: str) -> None:
        super().__init__(BAD_REQUEST, f"invalid value for field {field_name!r}")
        self.field_name = field_name
        self.value = value


class Fields(OrderedMultiMap[str]):
    """An immutable, ordered multi-map of field names to string values.

    ``fields[name]`` and :meth:`get` give the *first* value sent for a name (as PoorWSGI's
    ``getfirst`` and Werkzeug's ``MultiDict`` do); :meth:`getlist` gives all of them in order.
    Iteration, :meth:`keys` and ``len()`` see each name once, in the order names first appeared;
    :meth:`items` gives every ``(name, value)`` pair as sent.

    ``literal_commas`` says whether commas in the given values were sent literally, which decides
    how ``getlist(..., compact=True)`` splits them; :func:`parse_query` records this per value.
    """

    __slots__ = ("_literal_commas", "_splits")

    _splits: dict[str, dict[int, tuple[str, ...]]] | None
    _literal_commas: bool

    def __init__(
        self,
        pairs: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        *,
        literal_commas: bool = False,
    ) -> None:
        pair_list = list(pairs.items()) if isinstance(pairs, Mapping) else list(pairs)
        index: dict[str, list[str]] = {}
        for name, value in pair_list:
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError(f"field names and values must be str, got {(name, value)!r}")
            bucket = index.get(name)
            if bucket is None:
                index[name] = [value]
            else:
                bucket.append(value)
        self._pairs = pair_list
        self._index = index
        self._splits = None
        self._literal_commas = literal_commas

    def get(self, name: str, default: _D | None = None) -> str | _D | None:
        """The first value sent for ``name``, or ``default``."""
        values = self._index.get(name)
        return default if values is None else values[0]

    @overload
    def getfirst(self, name: str) -> str | None: ...
    @overload
    def getfirst(self, name: str, default: _D) -> str | _D: ...
    @overload
    def getfirst(self, name: str, *, func: Callable[[str], _T]) -> _T | None: ...
    @overload
    def getfirst(self, name: str, default: _D, func: Callable[[str], _T]) -> _T | _D: ...
    def getfirst(
        self,
        name: str,
        default: object = None,
        func: Callable[[str], object] | None = None,
    ) -> object:
        """The first value sent for ``name`` passed through ``func``; ``default`` when absent.

        ``default`` is returned as given, never passed to ``func``. When ``func`` raises
        :class:`ValueError`, :class:`TypeError` or :class:`ArithmeticError` (``int``, ``float``,
        ``Decimal``, ``UUID``, enum constructors...), :class:`InvalidFieldValue` (400) is raised.
        """
        values = self._index.get(name)
        if values is None:
            return default
        value = values[0]
        if func is None:
            return value
        try:
            return func(value)
        except _CONVERSION_ERRORS:
            raise InvalidFieldValue(name, value) from None

    @overload
    def getlist(self, name: str, func: None = None, *, compact: bool = False) -> list[str]: ...
    @overload
    def getlist(
        self, name: str, func: Callable[[str], _T], *, compact: bool = False
    ) -> list[_T]: ...
    def getlist(
        self,
        name: str,
        func: Callable[[str], _T] | None = None,
        *,
        compact: bool = False,
    ) -> list[_T] | list[str]:
        """Every value sent for ``name``, in order, each passed through ``func``; ``[]`` if absent.

        With ``compact=True`` a value that was sent with literal commas is split on them, so
        ``?id=1,2,3&id=4`` gives ``["1", "2", "3", "4"]`` (Wheezy's compact form), while a comma
        sent percent-encoded (``%2C``) is data and never splits. Conversion errors raise
        :class:`InvalidFieldValue` as in :meth:`getfirst`.
        """
        values = self._index.get(name)
        if values is None:
            return []
        if compact:
            values = self._compact(name, values)
        if func is None:
            return list(values)
        converted: list[_T] = []
        for value in values:
            try:
                converted.append(func(value))
            except _CONVERSION_ERRORS:
                raise InvalidFieldValue(name, value) from None
        return converted

    def _compact(self, name: str, values: list[str]) -> list[str]:
        if self._literal_commas:
            return [piece for value in values for piece in value.split(",")]
        splits = self._splits.get(name) if self._splits is not None else None
        if splits is None:
            return values
        result: list[str] = []
        for position, value in enumerate(values):
            pieces = splits.get(position)
            if pieces is None:
                result.append(value)
            else:
                result.extend(pieces)
        return result

    def __eq__(self, other: object) -> bool:
        """Equal when holding the same pairs in the same order (and unhashable, like a dict)."""
        if not isinstance(other, Fields):
            return NotImplemented
        return self.items() == other.items()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.items()!r})"


_NO_FIELDS = Fields()  # immutable, so every empty query can share it
# Bound once: looking ``__new__`` up on ``object`` costs each parse more than the call itself.
_allocate = object.__new__


def _decode(part: str) -> str:
    if "+" in part:
        part = part.replace("+", " ")
    if "%" not in part:
        if part.isascii():
            return part
        try:
            return part.encode("latin-1").decode("utf-8", "replace")
        except UnicodeEncodeError:
            return part
    try:
        raw = part.encode("latin-1")
    except UnicodeEncodeError:
        raw = part.encode("utf-8")
    return unquote_to_bytes(raw).decode("utf-8", "replace")


def parse_query(
    qs: str,
    *,
    max_fields: int | None = None,
    max_field_size: int | None = None,
) -> Fields:
    """Parse a query string (or a urlencoded form body) into :class:`Fields`.

    ``qs`` is a WSGI string as ``QUERY_STRING`` holds it (each character one byte); characters
    above U+00FF are taken as text already. Pairs are separated by ``&``; empty pairs are skipped,
    a pair without ``=`` has the value ``""``, ``+`` is a space, percent-escapes are decoded as
    UTF-8. Never raises on malformed input: an invalid escape stays as sent and undecodable bytes
    become U+FFFD.

    Limits answer ``413 Content Too Large`` (:class:`~shallot.http.exceptions.HTTPException`):
    more than ``max_fields`` pairs, or a value longer than ``max_field_size`` characters as sent.
    """
    if not qs:
        return _NO_FIELDS
    pairs: list[tuple[str, str]] | None = None  # needed only once a name repeats
    index: dict[str, list[str]] = {}
    splits: dict[str, dict[int, tuple[str, ...]]] | None = None
    items = qs.split("&")
    if (
        max_fields is not None
        and len(items) > max_fields
        and sum(1 for item in items if item) > max_fields
    ):
        raise HTTPException(CONTENT_TOO_LARGE, f"too many fields (limit {max_fields})")
    size_limit = max_field_size if max_field_size is not None and len(qs) > max_field_size else None
    # The usual query has nothing to decode or split, and no value to measure: its pairs are
    # taken as sent, with one test per pair.
    plain = "%" not in qs and "+" not in qs and "," not in qs and qs.isascii()
    as_sent = plain and size_limit is None
    for item in items:
        if not item:
            continue
        name, _, value = item.partition("=")
        if not as_sent:
            if size_limit is not None and len(value) > size_limit:
                raise HTTPException(
                    CONTENT_TOO_LARGE, f"field value too large (limit {size_limit} bytes)"
                )
            if not plain:
                raw = value
                if "%" in item or "+" in item or not item.isascii():
                    name = _decode(name)
                    value = _decode(raw)
                if "," in raw:
                    if splits is None:
                        splits = {}
                    splits.setdefault(name, {})[len(index.get(name, ()))] = tuple(
                        _decode(piece) for piece in raw.split(",")
                    )
        bucket = index.get(name)
        if bucket is None:
            index[name] = [value]
            if pairs is not None:
                pairs.append((name, value))
        else:
            if pairs is None:  # the first repeat: until now each name had one value, in order
                pairs = [(seen, values[0]) for seen, values in index.items()]
            bucket.append(value)
            pairs.append((name, value))
    # Made without Fields.__init__'s checks and copies: every form and query pays for this.
    fields = _allocate(Fields)
    fields._pairs = pairs
    fields._index = index
    fields._splits = splits
    fields._literal_commas = False
    return fields
