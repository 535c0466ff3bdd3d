"""The App's default handlers and before/after-response hooks: their registration (a base of
``App``, which calls them).

Default handlers answer paths no route matches (instead of 404). Before hooks run before every
handler, after routing; after hooks run on every response, error answers included, and return the
one to send (PoorWSGI's semantics). Each registry is replaced, never mutated, when it changes, so
registering while requests are served is safe.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from shallot.routing.methods import METHOD_GET, method_names

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from shallot.routing.handlers import AfterResponseHook, BeforeResponseHook, RequestHandler
    from shallot.routing.methods import Methods

__all__ = ["Hooks"]

_RH = TypeVar("_RH", bound="RequestHandler")
_BH = TypeVar("_BH", bound="BeforeResponseHook")
_AH = TypeVar("_AH", bound="AfterResponseHook")


class Hooks:
    """Default handlers by method, and the before and after hooks in order."""

    def __init__(self) -> None:
        self._defaults: dict[str, RequestHandler] = {}
        self._before: tuple[BeforeResponseHook, ...] = ()
        self._after: tuple[AfterResponseHook, ...] = ()

    def default(self, methods: Methods = METHOD_GET) -> Callable[[_RH], _RH]:
        """Decorator form of :meth:`set_default`."""

        def register(handler: _RH) -> _RH:
            self.set_default(handler, methods)
            return handler

        return register

    def set_default(self, handler: RequestHandler, methods: Methods = METHOD_GET) -> None:
        """Answer requests no route matches with ``handler(request)`` (for ``methods``), instead
        of a 404. A path that a route matches with other methods still gets 405."""
        self._defaults = {**self._defaults, **dict.fromkeys(method_names(methods), handler)}

    def pop_default(self, methods: Methods = METHOD_GET) -> None:
        """Remove the default handlers of ``methods``; :class:`KeyError` when there is none."""
        names = method_names(methods)
        if not names & self._defaults.keys():
            raise KeyError(", ".join(sorted(names)))
        self._defaults = {key: value for key, value in self._defaults.items() if key not in names}

    @property
    def defaults(self) -> Mapping[str, RequestHandler]:
        """The default handlers by method."""
        return MappingProxyType(self._defaults)

    def before_response(self) -> Callable[[_BH], _BH]:
        """Decorator form of :meth:`add_before_response`."""

        def register(hook: _BH) -> _BH:
            self.add_before_response(hook)
            return hook

        return register

    def add_before_response(self, hook: BeforeResponseHook) -> None:
        """Call ``hook(request)`` before every handler, after routing (PoorWSGI's semantics);
        :class:`ValueError` when it is already added."""
        if hook in self._before:
            raise ValueError(f"{hook!r} is already a before-response hook")
        self._before = (*self._before, hook)

    def pop_before_response(self, hook: BeforeResponseHook) -> None:
        """Remove a before-response hook; :class:`ValueError` when it is not one."""
        if hook not in self._before:
            raise ValueError(f"{hook!r} is not a before-response hook")
        self._before = tuple(other for other in self._before if other != hook)

    @property
    def before(self) -> tuple[BeforeResponseHook, ...]:
        """The before-response hooks, in order."""
        return self._before

    def after_response(self) -> Callable[[_AH], _AH]:
        """Decorator form of :meth:`add_after_response`."""

        def register(hook: _AH) -> _AH:
            self.add_after_response(hook)
            return hook

        return register

    def add_after_response(self, hook: AfterResponseHook) -> None:
        """Call ``hook(request, response)`` on every response, error answers included, and send
        what it returns; :class:`ValueError` when it is already added."""
        if hook in self._after:
            raise ValueError(f"{hook!r} is already an after-response hook")
        self._after = (*self._after, hook)

    def pop_after_response(self, hook: AfterResponseHook) -> None:
        """Remove an after-response hook; :class:`ValueError` when it is not one."""
        if hook not in self._after:
            raise ValueError(f"{hook!r} is not an after-response hook")
        self._after = tuple(other for other in self._after if other != hook)

    @property
    def after(self) -> tuple[AfterResponseHook, ...]:
        """The after-response hooks, in order."""
        return self._after
