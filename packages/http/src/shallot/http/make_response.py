"""Turning what a handler returns into a response, as PoorWSGI does.

A handler may return a response, or plain data that :func:`make_response` wraps in the matching
response class, optionally as a tuple that adds the content type, headers and status code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeAlias, TypeVar, overload

from .json_responses import JSONResponse
from .response import BaseResponse, NoContentResponse, Response
from .streaming import GeneratorResponse
from .types import HeadersInit, JSONLike

__all__ = ["ResponseData", "ResponseValue", "make_response"]

_R = TypeVar("_R", bound=BaseResponse)

_RESPONSE_CLASSES: set[type] = set()
"""Response classes seen, so returning a response as it is skips the isinstance checks."""
_MAX_RESPONSE_CLASSES = 64

ResponseData: TypeAlias = (
    str | bytes | dict[str, JSONLike] | list[JSONLike] | Iterator[bytes] | BaseResponse | None
)
"""What :func:`make_response` wraps: text, bytes, JSON objects and arrays, ``None``, byte
iterators, or a response."""

ResponseValue: TypeAlias = (
    ResponseData
    | tuple[ResponseData]
    | tuple[ResponseData, str | None]
    | tuple[ResponseData, str | None, HeadersInit | None]
    | tuple[ResponseData, str | None, HeadersInit | None, int | None]
)
"""What a handler may return: :data:`ResponseData`, alone or as
``(data, content_type, headers, status_code)`` cut short after any element."""


@overload
def make_response(
    data: str | bytes,
    content_type: str | None = None,
    headers: HeadersInit | None = None,
    status_code: int | None = None,
) -> Response: ...
@overload
def make_response(
    data: dict[str, JSONLike] | list[JSONLike],
    content_type: str | None = None,
    headers: HeadersInit | None = None,
    status_code: int | None = None,
) -> JSONResponse: ...
@overload
def make_response(
    data: Iterator[bytes],
    content_type: str | None = None,
    headers: HeadersInit | None = None,
    status_code: int | None = None,
) -> GeneratorResponse: ...
@overload
def make_response(
    data: _R,
    content_type: str | None = None,
    headers: HeadersInit | None = None,
    status_code: int | None = None,
) -> _R: ...
@overload
def make_response(
    data: ResponseValue,
    content_type: str | None = None,
    headers: HeadersInit | None = None,
    status_code: int | None = None,
) -> BaseResponse: ...
def make_response(
    data: ResponseValue,
    content_type: str | None = None,
    headers: HeadersInit | None = None,
    status_code: int | None = None,
) -> BaseResponse:
    """Return the response for ``data``, built with the other arguments where given.

    - ``str`` or ``bytes``: a :class:`~shallot.http.response.Response` (``text/html`` UTF-8
      unless ``content_type`` says otherwise).
    - ``dict`` or ``list``: a :class:`~shallot.http.json_responses.JSONResponse`; a given
      ``content_type`` replaces ``application/json``.
    - ``None``: a :class:`~shallot.http.response.NoContentResponse` (204) when ``status_code``
      is ``None``, 200 or 204; an empty ``Response`` with any other status.
    - an iterator of ``bytes`` (a generator, say):
      a :class:`~shallot.http.streaming.GeneratorResponse`.
    - a response: that very response, with ``content_type`` and ``status_code`` set and
      ``headers`` replacing its fields of the same names, where given.
    - a tuple ``(data,)``, ``(data, content_type)``, ``(data, content_type, headers)`` or
      ``(data, content_type, headers, status_code)``: as if those were passed as arguments;
      arguments given explicitly win over the tuple's.

    Anything else raises :class:`TypeError` naming its type; a bad status code raises
    :class:`ValueError`.
    """
    if content_type is None and headers is None and status_code is None:
        # The commonest cases first, decided by exact type (isinstance on ABCs is slower). mypy
        # cannot narrow ``data`` through ``kind``, hence the ignores.
        kind = type(data)
        if kind is str or kind is bytes:
            return Response(data)  # type: ignore[arg-type]  # str or bytes, by kind
        if kind is dict or kind is list:
            return JSONResponse(data)  # type: ignore[arg-type]  # dict or list, by kind
        if kind in _RESPONSE_CLASSES:
            return data  # type: ignore[return-value]  # a BaseResponse subclass, by kind
        if kind is tuple and len(data) == 2:  # type: ignore[arg-type]  # a tuple, by kind
            body, given_type = data  # type: ignore[misc, str-unpack]  # a 2-tuple, by kind
            if type(given_type) is str and (type(body) is str or type(body) is bytes):
                return Response(body, given_type)
    value: object = data
    if isinstance(value, tuple):
        value, content_type, headers, status_code = _unpack(
            value, content_type, headers, status_code
        )
    status = 200 if status_code is None else status_code
    if isinstance(value, (str, bytes)):
        if content_type is None:
            return Response(value, headers=headers, status_code=status)
        return Response(value, content_type, headers, status)
    if isinstance(value, (dict, list)):
        response = JSONResponse(value, status, headers)
        if content_type is not None:
            response.content_type = content_type
        return response
    if value is None:
        if status in (200, 204):
            return NoContentResponse(headers)
        return Response(b"", content_type or "text/plain; charset=utf-8", headers, status)
    if isinstance(value, BaseResponse):
        if len(_RESPONSE_CLASSES) < _MAX_RESPONSE_CLASSES:
            _RESPONSE_CLASSES.add(type(value))
        if headers is not None:
            value.headers.update(headers)
        if content_type is not None:
            value.content_type = content_type
        if status_code is not None:
            value.status_code = status_code
        return value
    if isinstance(value, Iterator):
        if content_type is None:
            return GeneratorResponse(value, headers=headers, status_code=status)
        return GeneratorResponse(value, content_type, headers, status)
    raise TypeError(f"cannot make a response from {type(value).__name__}")


def _unpack(
    items: tuple[object, ...],
    content_type: str | None,
    headers: HeadersInit | None,
    status_code: int | None,
) -> tuple[object, str | None, HeadersInit | None, int | None]:
    if not 1 <= len(items) <= 4:
        raise TypeError(f"a response tuple has 1 to 4 elements, not {len(items)}")
    value, *rest = items
    rest.extend([None] * (3 - len(rest)))
    given_type, given_headers, given_status = rest
    if isinstance(value, tuple):
        raise TypeError("the data in a response tuple cannot itself be a tuple")
    if given_type is not None and not isinstance(given_type, str):
        raise TypeError(f"content type must be str, not {type(given_type).__name__}")
    if given_headers is not None and (
        isinstance(given_headers, (str, bytes)) or not isinstance(given_headers, Iterable)
    ):
        raise TypeError(f"headers must be a mapping or pairs, not {type(given_headers).__name__}")
    if given_status is not None and (
        not isinstance(given_status, int) or isinstance(given_status, bool)
    ):
        raise TypeError(f"status code must be int, not {type(given_status).__name__}")
    return (
        value,
        given_type if content_type is None else content_type,
        given_headers if headers is None else headers,
        given_status if status_code is None else status_code,
    )
