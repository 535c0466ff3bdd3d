"""The request handlers receive: a :class:`shallot.http.Request` that also knows its App and route.

Creating one costs only storing a few references (every request pays it, so nothing is computed
up front): :attr:`~RoutedRequest.groups` is built from the route and its converted values when
asked for, and everything else is :class:`~shallot.http.Request`'s lazy attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.http import Request

if TYPE_CHECKING:
    from collections.abc import Mapping

    from _typeshed.wsgi import WSGIEnvironment

    from shallot.routing.app import App
    from shallot.routing.handlers import Handler
    from shallot.routing.table import Route

__all__ = ["RoutedRequest", "options_from"]

_OPTION_PREFIX = "app_"


def options_from(variables: Mapping[str, str]) -> dict[str, str]:
    """The application variables among ``variables``: names starting with ``app_`` (any case),
    returned lower-cased without the prefix, values stripped (PoorWSGI's convention)."""
    options: dict[str, str] = {}
    for key, value in variables.items():
        if isinstance(value, str):
            name = key.strip()
            if name[:4].lower() == _OPTION_PREFIX:
                options[name[4:].lower()] = value.strip()
    return options


class RoutedRequest(Request):
    """The request of an :class:`~shallot.routing.App`.

    ``app`` is the App answering it; ``route`` the route it matched (``None`` until routing, and
    when nothing matched, e.g. in a 404 handler). Its limits and upload file factory are the
    App's.
    """

    __slots__ = ("_values", "app", "route")

    route: Route | None
    app: App

    def __init__(self, environ: WSGIEnvironment, app: App) -> None:
        # Request.__init__ inlined (every request pays for this call); a test checks that both
        # set the same attributes.
        self.environ = environ
        self.limits = app.limits
        self.file_factory = app.file_factory
        self._args = self._body = self._content_type = self._form = self._stream = None
        self.app = app
        self.route = None
        self._values: tuple[object, ...] = ()

    @property
    def values(self) -> tuple[object, ...]:
        """The converted group values, in pattern order (as passed to the handler)."""
        return self._values

    @property
    def groups(self) -> dict[str, object]:
        """The converted group values by name, in pattern order; empty without a route."""
        route = self.route
        if route is None:
            return {}
        return dict(zip(route.pattern.names, self._values, strict=True))

    def url_for(self, endpoint: str | Handler, /, **params: object) -> str:
        """:meth:`App.url_for <shallot.routing.App.url_for>` below this request's
        ``SCRIPT_NAME``, so links stay right wherever the App is mounted."""
        return self.app.url_for(endpoint, script_name=self.root_path, **params)

    def get_options(self) -> dict[str, str]:
        """The ``app_`` variables of the WSGI environ (as set by, e.g., mod_wsgi's ``SetEnv``)
        without the prefix; see :meth:`App.get_options <shallot.routing.App.get_options>`."""
        return options_from(self.environ)
