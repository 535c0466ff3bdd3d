"""``CORS``: let web pages on other origins use the server (Fetch standard's CORS protocol).

Only origins in the allowed list (or every origin, with ``*``) get CORS headers. A preflight (an
``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``) is answered here with 204, the
WebDAV methods, the requested headers and a ``Max-Age``; it never reaches the app, nor the
authenticator (browsers send no credentials on a preflight). Actual requests from an allowed
origin get ``Access-Control-Allow-Origin`` (the origin itself, with credentials allowed, unless
the list is ``*``), ``Vary: Origin``, and the WebDAV headers a script needs to read exposed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["CORS"]

METHODS = "GET, HEAD, OPTIONS, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK"
EXPOSED = "DAV, ETag, Lock-Token, Content-Length, Content-Range, Last-Modified, Location"
MAX_AGE = "600"


class CORS:
    """WSGI middleware adding CORS to ``app`` for ``origins`` (``("*",)`` for any)."""

    def __init__(self, app: WSGIApplication, origins: Sequence[str]) -> None:
        self.app = app
        self.any_origin = "*" in origins
        self.origins = frozenset(origin.rstrip("/") for origin in origins)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        if origin is None or not (self.any_origin or origin in self.origins):
            return self.app(environ, start_response)
        allowed = self._allow(origin)
        if (
            environ.get("REQUEST_METHOD") == "OPTIONS"
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ
        ):
            headers = [
                *allowed,
                ("Access-Control-Allow-Methods", METHODS),
                ("Access-Control-Max-Age", MAX_AGE),
                ("Content-Length", "0"),
            ]
            requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
            if requested:
                headers.append(("Access-Control-Allow-Headers", requested))
            start_response("204 No Content", headers)
            return []

        def with_cors(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            headers = [*headers, *allowed, ("Access-Control-Expose-Headers", EXPOSED)]
            return start_response(status, headers, exc_info)

        return self.app(environ, with_cors)

    def _allow(self, origin: str) -> list[tuple[str, str]]:
        if self.any_origin:
            return [("Access-Control-Allow-Origin", "*")]
        return [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Credentials", "true"),
            ("Vary", "Origin"),
        ]
