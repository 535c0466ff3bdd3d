"""A WSGI app called in this process: the environ a server would build, the answer as the app gave.

The in-process counterpart of :func:`~shallot.testing.fetch`: no socket and no thread, so most of
an app's behaviour is tested quickly, and the answer is what the app itself handed over (a server
adds ``Date`` and ``Content-Length`` fields of its own). It is a module of its own rather than part
of :mod:`shallot.testing.wsgi`: that module wraps apps which a real server runs, while this one
stands in for the server, building the environ and playing ``start_response``::

    reply = call(echo_app, "/caf%C3%A9?q=1", "POST", {"Content-Type": "text/plain"}, b"hello")
    assert (reply.status, reply.body) == (200, b"hello")
"""

from __future__ import annotations

import http.client
import io
import sys
import warnings
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote_to_bytes
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import WSGIWarning

from shallot.testing.client import Reply
from shallot.testing.wsgi import validated

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

_CGI_HEADERS = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH"})
"""Request fields a WSGI server passes under their CGI names, without ``HTTP_``."""


def make_environ(
    target: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    environ: Mapping[str, object] | None = None,
) -> WSGIEnvironment:
    """The environ a WSGI server builds for the request ``method target``, ``headers``, ``body``.

    ``target`` is the request target as a client sends it (``/path?query``); a character outside
    ASCII in it stands for its UTF-8 bytes, as a browser sends it. As a WSGI server does, the path
    arrives percent-decoded in ``PATH_INFO`` with its bytes carried as Latin-1 text
    (``/caf%C3%A9`` gives ``"/caf\\xc3\\xa9"``), and the query as sent in ``QUERY_STRING``.
    ``body`` is ``wsgi.input`` and, when not empty, sets ``CONTENT_LENGTH``. ``headers`` become
    ``HTTP_*`` keys, except ``Content-Type`` and ``Content-Length``, which become ``CONTENT_TYPE``
    and ``CONTENT_LENGTH`` (the latter overriding the body's length). The request comes over
    HTTP/1.1 from ``127.0.0.1`` (as with the ``serve`` fixture), and ``wsgi.errors`` is
    ``sys.stderr``. ``environ`` is applied over all of this (``SCRIPT_NAME``, ``wsgi.url_scheme``,
    a framework's own keys); then :func:`wsgiref.util.setup_testing_defaults` fills in what is
    still missing (``SERVER_NAME`` ``127.0.0.1``, ``HTTP_HOST`` from it, ``SERVER_PORT`` ``80``
    or, for https, ``443``, the other ``wsgi.*`` keys).
    """
    path, _, query = target.partition("?")
    built: WSGIEnvironment = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query.encode("utf-8").decode("latin-1"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }
    if body:
        built["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        built[key if key in _CGI_HEADERS else f"HTTP_{key}"] = value
    built.update(environ or {})
    setup_testing_defaults(built)
    return built


def call(
    app: WSGIApplication,
    target: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    environ: Mapping[str, object] | None = None,
) -> Reply:
    """Send one request to ``app`` in this process, behind wsgiref's validator; the whole answer.

    The request is :func:`make_environ`'s, with the same arguments. The validator fails the call
    with an ``AssertionError`` when the app breaks PEP 3333 (a status or field that is not a
    ``str``, a body item that is not ``bytes``, a missing ``Content-Type``); a method outside its
    list (``PROPFIND``) is the test's choice, not the app's fault, so its warning about one is
    silenced. ``Reply.headers`` holds the fields exactly as the app handed them to
    ``start_response`` (order, case and repeats kept, nothing added), ``Reply.reason`` the status
    text as given, and ``Reply.body`` what the app passed to ``write()`` and then returned. The
    body iterable is read to its end and closed once, also when reading it fails. As a server
    does, a ``start_response`` with ``exc_info`` after body bytes were produced raises that
    error, and one before replaces the status and fields.
    """
    started: list[tuple[str, list[tuple[str, str]]]] = []
    content: list[bytes] = []

    def start_response(
        status: str, fields: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        error = None if exc_info is None else exc_info[1]
        if error is not None and any(content):
            raise error
        started.append((status, list(fields)))
        return content.append

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unknown REQUEST_METHOD", WSGIWarning)
        result = validated(app)(
            make_environ(target, method, headers, body, environ), start_response
        )
    try:
        for chunk in result:
            content.append(chunk)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    if not started:
        raise AssertionError("the app answered without calling start_response")
    status, fields = started[-1]
    message = http.client.HTTPMessage()
    for name, value in fields:
        message[name] = value
    code, _, reason = status.partition(" ")
    return Reply(int(code), reason, message, b"".join(content))


class Call(Protocol):
    """The type of the ``call`` fixture, which is :func:`call`."""

    def __call__(
        self,
        app: WSGIApplication,
        target: str = "/",
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        environ: Mapping[str, object] | None = None,
    ) -> Reply:
        """One request to ``app`` in this process, read whole: see :func:`call`."""
