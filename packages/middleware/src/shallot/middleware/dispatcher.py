"""Several applications mounted side by side under URL prefixes, Werkzeug's
``DispatcherMiddleware`` on whole path segments.

::

    app = Dispatcher(web_app, {"/dav": dav_app, "/static": static_app})
    app = Dispatcher({"/dav": dav_app, "/": web_app})        # the same, "/" as the default

A request goes to the application of the longest prefix that matches whole segments of its path
(``/app`` catches ``/app`` and ``/app/x``, never ``/apple``), with the prefix moved from
``PATH_INFO`` to the end of ``SCRIPT_NAME``, so the mounted application builds its URLs below
it. Requests no prefix matches go to the default application (the mount ``""`` or ``"/"``),
or get a plain 404 when there is none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, overload

from shallot.http import not_found

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["Dispatcher"]


class Dispatcher:
    """Dispatch requests to mounted applications by path prefix; see the module documentation.

    Built as ``Dispatcher(default, mounts)`` (Werkzeug's order) or ``Dispatcher(mounts)`` /
    ``Dispatcher(mounts, default)``. Prefixes are text (non-ASCII ones match the UTF-8 bytes of
    the request path), start with ``/`` (or are ``""``), and a trailing slash is ignored. Raises
    :class:`ValueError` for a prefix not starting with ``/``, two prefixes that are the same
    once normalised, or a default given both as an argument and as the mount ``"/"``.
    """

    __slots__ = ("_deeper", "_default", "_single", "mounts")

    mounts: dict[str, WSGIApplication]
    """The mounted applications by normalised prefix (the default excluded)."""

    @overload
    def __init__(self, app: WSGIApplication, mounts: Mapping[str, WSGIApplication], /) -> None: ...
    @overload
    def __init__(
        self, mounts: Mapping[str, WSGIApplication], default: WSGIApplication | None = None, /
    ) -> None: ...
    def __init__(
        self,
        first: WSGIApplication | Mapping[str, WSGIApplication],
        second: WSGIApplication | Mapping[str, WSGIApplication] | None = None,
        /,
    ) -> None:
        """Normalise and index the mounts; see the class documentation."""
        if callable(first):
            if second is None or callable(second):
                raise TypeError("Dispatcher(app, mounts) needs the mounts as a mapping")
            default: WSGIApplication | None = first
            mounts = second
        else:
            if second is not None and not callable(second):
                raise TypeError("Dispatcher(mounts, default) takes the default as an application")
            default = second
            mounts = first
        self.mounts = {}
        for prefix, app in mounts.items():
            if prefix and not prefix.startswith("/"):
                raise ValueError(f"a mount prefix must start with '/': {prefix!r}")
            normal = prefix.rstrip("/")
            if normal in self.mounts or (not normal and default is not None):
                raise ValueError(f"mount {prefix!r} is given twice")
            if normal:
                self.mounts[normal] = app
            else:
                default = app
        self._default: WSGIApplication = not_found() if default is None else default
        self._single: dict[str, WSGIApplication] = {}
        """Mounts of one segment (``/api``) with no deeper mount under them, by prefix."""
        deeper: dict[str, list[tuple[str, int, WSGIApplication]]] = {}
        for prefix in sorted(self.mounts, key=len, reverse=True):
            wsgi_prefix = prefix.encode().decode("latin-1")
            first_segment = "/" + wsgi_prefix[1:].partition("/")[0]
            deeper.setdefault(first_segment, []).append(
                (wsgi_prefix, len(wsgi_prefix), self.mounts[prefix])
            )
        for first_segment, entries in list(deeper.items()):
            if len(entries) == 1 and entries[0][0] == first_segment:
                self._single[first_segment] = entries[0][2]
                del deeper[first_segment]
        self._deeper = {key: tuple(entries) for key, entries in deeper.items()}
        """The other mounts by their first segment, longest first."""

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Hand the request to the application mounted at its path (see the class docs)."""
        try:
            path: str = environ["PATH_INFO"]
        except KeyError:
            path = ""
        end = path.find("/", 1)
        if end < 0:
            first = path
            rest = ""
        else:
            first = path[:end]
            rest = path[end:]
        mounted = self._single.get(first)
        if mounted is not None:
            try:
                environ["SCRIPT_NAME"] += first
            except KeyError:
                environ["SCRIPT_NAME"] = first
            environ["PATH_INFO"] = rest
            return mounted(environ, start_response)
        candidates = self._deeper.get(first)
        if candidates is not None:
            for prefix, length, app in candidates:
                if path.startswith(prefix) and (len(path) == length or path[length] == "/"):
                    environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                    environ["PATH_INFO"] = path[length:]
                    return app(environ, start_response)
        return self._default(environ, start_response)
