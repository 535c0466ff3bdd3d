"""JSON responses: a whole value serialised at once, or a JSON array streamed element by element.

Both serialise as :func:`json.dumps` does, with compact separators unless told otherwise; its
other options can be passed as keywords (see :class:`DumpsOptions`).
"""

from __future__ import annotations

import codecs
import json
import json.encoder
from typing import TYPE_CHECKING, TypedDict

from .response import Response
from .streaming import GeneratorResponse

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from typing_extensions import Unpack

    from .types import HeadersInit, JSONLike

__all__ = ["DumpsOptions", "JSONGeneratorResponse", "JSONResponse"]

_COMPACT = (",", ":")
_COMPACT_ENCODER = json.JSONEncoder(separators=_COMPACT)
_COMPACT_DEFAULT = _COMPACT_ENCODER.default
# json's C encoder factory (untyped in typeshed); None without the C accelerator (PyPy).
_make_encoder: Callable[..., Callable[[object, int], Iterable[str]]] | None = getattr(
    json.encoder, "c_make_encoder", None
)


class DumpsOptions(TypedDict, total=False):
    """The :func:`json.dumps` options a JSON response accepts as keywords."""

    skipkeys: bool
    ensure_ascii: bool
    check_circular: bool
    allow_nan: bool
    cls: type[json.JSONEncoder] | None
    indent: int | str | None
    separators: tuple[str, str] | None
    default: Callable[[object], object] | None
    sort_keys: bool


def _encoder(options: DumpsOptions) -> json.JSONEncoder:
    if not options:
        return _COMPACT_ENCODER
    encoder_class = options.get("cls") or json.JSONEncoder
    return encoder_class(
        skipkeys=options.get("skipkeys", False),
        ensure_ascii=options.get("ensure_ascii", True),
        check_circular=options.get("check_circular", True),
        allow_nan=options.get("allow_nan", True),
        sort_keys=options.get("sort_keys", False),
        indent=options.get("indent"),
        separators=options.get("separators", _COMPACT),
        default=options.get("default"),
    )


def _encode_compact(data: JSONLike) -> str:
    """``_COMPACT_ENCODER.encode(data)``, without rebuilding its C encoder in Python each call.

    The C encoder is made as :meth:`json.JSONEncoder.iterencode` makes it, with its own circular
    reference markers per call (a shared one would see another thread's containers as cycles).
    """
    if _make_encoder is None:
        return _COMPACT_ENCODER.encode(data)
    encoder = _make_encoder(
        {},  # markers: check_circular
        _COMPACT_DEFAULT,
        json.encoder.encode_basestring_ascii,  # ensure_ascii
        None,  # indent
        ":",
        ",",
        False,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )
    return "".join(encoder(data, 0))


def _content_type(charset: str | None) -> str:
    return "application/json" if charset is None else f"application/json; charset={charset}"


class JSONResponse(Response):
    """An ``application/json`` response holding ``data`` serialised.

    The content type is ``application/json; charset=<charset>``, or bare ``application/json``
    (encoded as UTF-8) when ``charset`` is ``None``. Values :func:`json.dumps` cannot serialise
    raise its :class:`TypeError` or :class:`ValueError` here, not when the response is sent.
    """

    __slots__ = ()

    def __init__(
        self,
        data: JSONLike,
        status_code: int = 200,
        headers: HeadersInit | None = None,
        charset: str | None = "utf-8",
        **dumps_kwargs: Unpack[DumpsOptions],
    ) -> None:
        """Serialise ``data``; ``dumps_kwargs`` are :func:`json.dumps` options."""
        text = _encoder(dumps_kwargs).encode(data) if dumps_kwargs else _encode_compact(data)
        super().__init__(text, _content_type(charset), headers, status_code)


def _json_array(
    elements: Iterable[JSONLike], charset: str, encoder: json.JSONEncoder
) -> Iterator[bytes]:
    encode = codecs.getincrementalencoder(charset)().encode
    opening = "["
    for element in elements:
        yield encode(opening + encoder.encode(element))
        opening = ","
    yield encode("[]" if opening == "[" else "]")


class JSONGeneratorResponse(GeneratorResponse):
    """A streamed ``application/json`` array of the elements ``iterable`` produces.

    Each element is serialised when the iterable produces it and sent at once, so neither the
    elements nor the array are ever held whole; any iterable (a generator included) becomes an
    array. The content type is as for :class:`JSONResponse`. An element :func:`json.dumps` cannot
    serialise fails the stream when it comes (the client sees a cut-off body). The iterable's
    ``close()`` is called as for :class:`~shallot.http.streaming.GeneratorResponse`.
    """

    __slots__ = ()

    def __init__(
        self,
        iterable: Iterable[JSONLike],
        status_code: int = 200,
        headers: HeadersInit | None = None,
        charset: str | None = "utf-8",
        **dumps_kwargs: Unpack[DumpsOptions],
    ) -> None:
        """Stream ``iterable`` as an array; ``dumps_kwargs`` are :func:`json.dumps` options."""
        super().__init__((), _content_type(charset), headers, status_code)
        self._body = _json_array(iterable, self.charset, _encoder(dumps_kwargs))
        self._source = iterable
