"""An access log: one line per request, written when its response has been sent.

The embedded server logs no requests; ``shallot dav --verbose`` wraps the application in
:class:`AccessLog`, which writes a Common-Log-like line with the time taken::

    127.0.0.1 - ann [05/Mar/2025:10:00:00 +0000] "PROPFIND /docs/ HTTP/1.1" 207 - 3.1ms

The target is the request line's URI as the client sent it (``REQUEST_URI``, else the quoted
path), and every field is printable: a ``%0A`` in a path or a quote in a user name cannot forge a
line. The size field is the response's ``Content-Length`` (``-`` when it has none, e.g. a
streamed 207). The line is written when the server closes the response, so it follows the whole
body.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote

from shallot.http import close_iterable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["AccessLog"]

_ESCAPED = frozenset(' "\\')


def _printable(text: str) -> str:
    """``text`` with spaces, quotes, backslashes and non-printable characters escaped as
    ``\\xNN``, so that it stays one field of one line."""
    if text.isprintable() and not _ESCAPED.intersection(text):
        return text
    return "".join(c if c.isprintable() and c not in _ESCAPED else f"\\x{ord(c):02x}" for c in text)


class _LoggedBody:
    """The response body, passed through; writes the log line when closed."""

    def __init__(self, body: Iterable[bytes], finish: Callable[[], None]) -> None:
        self._body = body
        self._finish = finish

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close_iterable(self._body)
        finally:
            self._finish()


class AccessLog:
    """Wrap ``app``; write one line per request to ``stream`` (default: standard error).

    Lines from concurrent requests never interleave. The application sees the request untouched.
    """

    def __init__(self, app: WSGIApplication, stream: TextIO | None = None) -> None:
        self.app = app
        self.stream = sys.stderr if stream is None else stream
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: list[str] = ["500 Internal Server Error", "-"]

        def recording_start_response(
            status: str,
            headers: list[tuple[str, str]],
            exc_info: OptExcInfo | None = None,
        ) -> Callable[[bytes], object]:
            seen[0] = status
            seen[1] = next((v for k, v in headers if k.lower() == "content-length"), "-")
            return start_response(status, headers, exc_info)

        def finish() -> None:
            self.write(environ, seen[0], seen[1], time.perf_counter() - started)

        try:
            body = self.app(environ, recording_start_response)
        except BaseException:
            finish()
            raise
        return _LoggedBody(body, finish)

    def write(self, environ: WSGIEnvironment, status: str, size: str, seconds: float) -> None:
        """Write the line for one request."""
        target = environ.get("REQUEST_URI")
        if not target:
            path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
            query = environ.get("QUERY_STRING", "")
            target = quote(path.encode("latin-1", "replace")) + (f"?{query}" if query else "")
        when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
        fields = (
            environ.get("REMOTE_ADDR", "-"),
            environ.get("REMOTE_USER") or "-",
            environ.get("REQUEST_METHOD", "-"),
            target,
            environ.get("SERVER_PROTOCOL", "-"),
        )
        address, user, method, target, protocol = (_printable(str(f)) for f in fields)
        line = (
            f'{address} - {user} [{when}] "{method} {target} {protocol}" '
            f"{status.split(' ', 1)[0]} {_printable(size)} {seconds * 1000:.1f}ms\n"
        )
        with self._lock:
            self.stream.write(line)
            self.stream.flush()
