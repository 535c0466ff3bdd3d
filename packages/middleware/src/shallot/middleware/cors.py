"""Cross-origin resource sharing (the Fetch standard's CORS protocol) around an application.

::

    app = CORS(app, ["https://app.example"], methods=["GET", "POST", "DELETE"],
               headers=["Content-Type", "Authorization"], credentials=True, max_age=600)

- A request with an ``Origin`` the policy allows gets ``Access-Control-Allow-Origin`` (and
  ``-Allow-Credentials``, ``-Expose-Headers`` when configured) added to the application's answer;
  any ``Access-Control-Allow-*``/``-Expose-Headers`` the application set itself is replaced.
- A preflight (``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``) is answered
  here, without calling the application: 204 with the allowed methods, headers and max-age when
  the origin, method and every requested header are allowed, else **403** with a short
  ``text/plain`` reason and no CORS headers (the browser fails the request either way; the 403
  makes the refusal visible in its network log and keeps the application out of it).
- Origins are a list (exact, case-insensitive), ``"*"`` or a predicate. ``"*"`` without
  credentials sends ``Access-Control-Allow-Origin: *``; with credentials the spec forbids ``*``,
  so the request's origin is echoed instead. Whenever the answer depends on the origin, every
  answer (with or without ``Origin``) carries ``Vary: Origin``, merged into the application's
  ``Vary``, so a shared cache never hands one origin's answer to another.

CORS-safelisted methods (``GET``, ``HEAD``, ``POST``) are always allowed in a preflight, as
browsers never need permission for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from shallot.http import NoContentResponse, forbidden

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["CORS"]

_SAFELISTED_METHODS = frozenset(("GET", "HEAD", "POST"))
_REPLACED = frozenset(
    (
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-expose-headers",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-max-age",
    )
)


def _merge_vary(headers: list[tuple[str, str]], names: str) -> list[tuple[str, str]]:
    """``headers`` with ``names`` added to their ``Vary`` (unless it is ``*`` or has them)."""
    merged: list[tuple[str, str]] = []
    present: set[str] = set()
    for name, value in headers:
        if name.lower() == "vary":
            present.update(part.strip(" \t").lower() for part in value.split(","))
        else:
            merged.append((name, value))
    if "*" in present:
        merged.append(("Vary", "*"))
        return merged
    values = [value for name, value in headers if name.lower() == "vary"]
    missing = [name for name in names.split(", ") if name.lower() not in present]
    vary = ", ".join([value for value in values if value.strip(" \t")] + missing)
    if vary:
        merged.append(("Vary", vary))
    return merged


class CORS:
    """Answer preflights and add CORS headers to ``app``'s answers; see the module documentation.

    - ``origins``: allowed origins (``["https://a.example"]``), ``"*"``, or a predicate taking
      the ``Origin`` value; default none.
    - ``methods``: methods a preflight may ask for, or ``"*"`` for any.
    - ``headers``: request headers a preflight may ask for, or ``"*"`` for any.
    - ``expose_headers``: response headers scripts may read.
    - ``credentials``: allow cookies and HTTP authentication (``Access-Control-Allow-Credentials``).
    - ``max_age``: seconds a browser may cache a preflight's answer.

    Raises :class:`ValueError` for a negative ``max_age`` or names holding commas or controls.
    """

    __slots__ = (
        "_allow_headers",
        "_allow_methods",
        "_any_header",
        "_any_method",
        "_any_origin",
        "_app",
        "_credentials",
        "_extra",
        "_headers",
        "_max_age",
        "_methods",
        "_origins",
        "_predicate",
        "_varies",
    )

    def __init__(
        self,
        app: WSGIApplication,
        origins: Sequence[str] | Literal["*"] | Callable[[str], bool] = (),
        *,
        methods: Sequence[str] | Literal["*"] = ("GET", "HEAD", "POST"),
        headers: Sequence[str] | Literal["*"] = (),
        expose_headers: Sequence[str] = (),
        credentials: bool = False,
        max_age: int | None = None,
    ) -> None:
        """Check and prepare the policy; see the class documentation."""
        if max_age is not None and (isinstance(max_age, bool) or max_age < 0):
            raise ValueError(f"max_age must be a non-negative int, not {max_age!r}")
        for name in [
            *(() if methods == "*" else methods),
            *(() if headers == "*" else headers),
            *expose_headers,
        ]:
            if not name or "," in name or not name.isascii() or not name.isprintable():
                raise ValueError(f"invalid method or header name: {name!r}")
        self._app = app
        self._any_origin = origins == "*"
        self._predicate: Callable[[str], bool] | None = None
        self._origins: frozenset[str] = frozenset()
        if callable(origins):
            self._predicate = origins
        elif not isinstance(origins, str):
            self._origins = frozenset(origin.lower().rstrip("/") for origin in origins)
        elif origins != "*":
            raise ValueError(f'origins must be a list, "*" or a predicate, not {origins!r}')
        self._credentials = credentials
        self._varies = not self._any_origin or credentials
        self._any_method = methods == "*"
        self._methods = frozenset(() if methods == "*" else methods)
        self._allow_methods = "" if methods == "*" else ", ".join(methods)
        self._any_header = headers == "*"
        self._headers = frozenset(() if headers == "*" else (name.lower() for name in headers))
        self._allow_headers = "" if headers == "*" else ", ".join(headers)
        self._max_age = max_age
        extra: list[tuple[str, str]] = []
        if credentials:
            extra.append(("Access-Control-Allow-Credentials", "true"))
        if expose_headers:
            extra.append(("Access-Control-Expose-Headers", ", ".join(expose_headers)))
        self._extra = tuple(extra)

    def allows(self, origin: str) -> bool:
        """Whether the policy allows ``origin`` (an ``Origin`` header value)."""
        if self._any_origin:
            return True
        if self._predicate is not None:
            return self._predicate(origin)
        return origin.lower() in self._origins

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer a preflight, or call the application and add the CORS headers."""
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            if not self._varies:
                return self._app(environ, start_response)
            added: list[tuple[str, str]] = []
        elif (
            environ.get("REQUEST_METHOD") == "OPTIONS"
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ
        ):
            return self._preflight(origin, environ, start_response)
        elif self.allows(origin):
            added = [("Access-Control-Allow-Origin", self._origin_value(origin)), *self._extra]
        else:
            added = []
        varies = self._varies

        def start(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
        ) -> Callable[[bytes], object]:
            if added:
                headers = [item for item in headers if item[0].lower() not in _REPLACED]
                headers.extend(added)
            if varies:
                headers = _merge_vary(headers, "Origin")
            return start_response(status, headers, exc_info)

        return self._app(environ, start)

    def _origin_value(self, origin: str) -> str:
        return "*" if self._any_origin and not self._credentials else origin

    def _preflight(
        self, origin: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        method: str = environ["HTTP_ACCESS_CONTROL_REQUEST_METHOD"].strip(" \t")
        requested_text: str = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
        requested = [name.strip(" \t") for name in requested_text.split(",") if name.strip(" \t")]
        if not self.allows(origin):
            reason = "origin not allowed"
        elif not (self._any_method or method in self._methods or method in _SAFELISTED_METHODS):
            reason = "method not allowed"
        elif not self._any_header and any(name.lower() not in self._headers for name in requested):
            reason = "request header not allowed"
        else:
            reason = ""
        if reason:
            refusal = forbidden(f"CORS preflight refused: {reason}")
            if self._varies:
                refusal.headers["Vary"] = "Origin"
            return refusal(environ, start_response)
        headers = [("Access-Control-Allow-Origin", self._origin_value(origin)), *self._extra]
        allow_methods = method if self._any_method else self._allow_methods
        if allow_methods:
            headers.append(("Access-Control-Allow-Methods", allow_methods))
        allow_headers = ", ".join(requested) if self._any_header else self._allow_headers
        if allow_headers:
            headers.append(("Access-Control-Allow-Headers", allow_headers))
        if self._max_age is not None:
            headers.append(("Access-Control-Max-Age", str(self._max_age)))
        vary = "Access-Control-Request-Method, Access-Control-Request-Headers"
        headers.append(("Vary", f"Origin, {vary}" if self._varies else vary))
        return NoContentResponse(headers)(environ, start_response)
