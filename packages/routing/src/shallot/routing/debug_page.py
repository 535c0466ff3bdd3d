"""The pages ``debug=True`` adds: ``/debug-info`` and the traceback page of an unhandled error.

``/debug-info`` shows what the App is made of (routes, default, state and error handlers, hooks,
filters, options) and what this request carried (headers, the WSGI environ), which is what one
needs when a request does not land where expected. Both pages reveal internals and the environ,
so they exist only in debug mode; every value is HTML-escaped.
"""

from __future__ import annotations

import html
import traceback
from typing import TYPE_CHECKING

from shallot.http import Response
from shallot.routing.handlers import describe
from shallot.routing.methods import format_allow

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from shallot.routing.request import RoutedRequest

__all__ = ["debug_page", "traceback_page"]

_STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}"
    "th{background:#eee}pre{background:#f6f6f6;padding:1em;overflow:auto}"
)
_NO_STORE = [("Cache-Control", "no-store")]


def _table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    head = "".join(f"<th>{html.escape(name)}</th>" for name in header)
    return f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>{cells}</table>"


def _page(title: str, body: str, status_code: int) -> Response:
    text = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return Response(text, headers=_NO_STORE, status_code=status_code)


def debug_page(request: RoutedRequest) -> Response:
    """The ``/debug-info`` page for ``request``'s App."""
    app = request.app
    sections = [
        _table(
            "Routes",
            ("pattern", "methods", "handler", "name"),
            (
                (
                    route.pattern.text,
                    format_allow(route.methods),
                    describe(route.handler),
                    route.name,
                )
                for route in app.routes
            ),
        ),
        _table(
            "Default handlers",
            ("method", "handler"),
            ((method, describe(handler)) for method, handler in sorted(app.defaults.items())),
        ),
        _table(
            "HTTP state handlers",
            ("status", "method", "handler"),
            (
                (code, method, describe(handler))
                for code, handlers in sorted(app.states.items())
                for method, handler in sorted(handlers.items())
            ),
        ),
        _table(
            "Error handlers (tried in this order)",
            ("exception", "methods", "handler"),
            (
                (
                    describe(item.error_type),
                    "*" if item.methods is None else format_allow(item.methods),
                    describe(item.handler),
                )
                for item in app.error_handlers
            ),
        ),
        _table(
            "Hooks",
            ("when", "hook"),
            [*(("before", describe(hook)) for hook in app.before)]
            + [("after", describe(hook)) for hook in app.after],
        ),
        _table(
            "Filters",
            ("name", "regex", "converter"),
            (
                (name, item.regex, describe(item.convert))
                for name, item in sorted(app.filters.items())
            ),
        ),
        _table("Options", ("name", "value"), sorted((k, repr(v)) for k, v in app.options.items())),
        _table(
            "Application variables (app_*)", ("name", "value"), sorted(app.get_options().items())
        ),
        _table("Request headers", ("name", "value"), sorted(request.headers.items())),
        _table(
            "WSGI environ",
            ("key", "value"),
            sorted((k, repr(v)) for k, v in request.environ.items()),
        ),
    ]
    return _page("Debug information", "".join(sections), 200)


def traceback_page(request: RoutedRequest, error: BaseException) -> Response:
    """A 500 page showing ``error``'s traceback, for debug mode only."""
    formatted = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    body = (
        f"<p>{html.escape(request.method)} {html.escape(request.full_path)}</p>"
        f"<pre>{html.escape(formatted)}</pre>"
    )
    return _page(f"500: unhandled {type(error).__name__}", body, 500)
