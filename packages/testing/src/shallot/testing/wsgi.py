"""Apps under test behind wsgiref's validator, recording what they handed to the server.

A test served through a real server sees the server's answer, not the app's: wsgiref adds
``Content-Length: 0`` to an empty answer and a ``Date`` field, and consumes the body iterable. So
these wrappers keep what the app itself passed to ``start_response`` and returned, and put
:func:`wsgiref.validate.validator` in front, which fails the request when the app breaks PEP 3333
(a status or header that is not a ``str``, a body item that is not ``bytes``, a body iterated
before ``start_response`` was called)::

    sent: dict[str, list[tuple[str, str]]] = {}
    base = serve(route_table({"/": lambda: Response(b"", status_code=204)}, sent))
    assert fetch(base).status == 204
    assert sent["/"] == []
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from wsgiref.validate import validator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def validated(app: WSGIApplication, bodies: list[object] | None = None) -> WSGIApplication:
    """``app`` behind wsgiref's validator; each body object it returns is appended to ``bodies``.

    The objects recorded are the app's own, before the validator wraps them, so a test can check
    their type (a ``wsgi.file_wrapper``, say) or that a bodiless answer returned ``[]``.
    """

    def recording(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = app(environ, start_response)
        if bodies is not None:
            bodies.append(body)
        return body

    return validator(recording)


def route_table(
    table: Mapping[str, Callable[[], WSGIApplication]],
    sent: dict[str, list[tuple[str, str]]] | None = None,
) -> WSGIApplication:
    """An app answering each path (``PATH_INFO``) with a fresh app from ``table``, validated.

    A fresh app per request lets one server answer many cases, each from a clean response object.
    The headers each path's app hands to ``start_response`` are recorded in ``sent[path]``, since
    the server may add its own. A path missing from ``table`` is a ``KeyError``: a 500 answer.
    """

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ["PATH_INFO"]

        def record(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
        ) -> Callable[[bytes], object]:
            if sent is not None:
                sent[path] = list(headers)
            return start_response(status, headers, exc_info)

        return validated(table[path]())(environ, record)

    return app
