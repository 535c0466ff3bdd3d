"""What the App calls: route handlers, default and state handlers, error handlers, and the hooks
around every response, each typed so mypy checks the functions users register.

A route handler takes the request and then the converted group values in pattern order
(``def user(req, name: str, id: int)``), so its parameters vary; it may return anything
:func:`~shallot.http.make_response` accepts. The others have fixed shapes and are
:class:`~typing.Protocol`\\ s with positional-only parameters, so any parameter names fit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeAlias, TypeVar

from shallot.http.make_response import ResponseValue

if TYPE_CHECKING:
    from shallot.http import BaseResponse
    from shallot.routing.request import RoutedRequest

__all__ = [
    "AfterResponseHook",
    "BeforeResponseHook",
    "ErrorHandler",
    "Handler",
    "RequestHandler",
    "describe",
]

E_contra = TypeVar("E_contra", bound=Exception, contravariant=True)

Handler: TypeAlias = Callable[..., ResponseValue]
"""A route handler: ``handler(request, *values) -> ResponseValue``, one value per group."""


class RequestHandler(Protocol):
    """A handler of the request alone: default handlers and HTTP state handlers."""

    def __call__(self, request: RoutedRequest, /) -> ResponseValue:
        """Answer ``request``."""


class ErrorHandler(Protocol[E_contra]):
    """Answers a request whose handler raised ``error`` (an instance of the registered type)."""

    def __call__(self, request: RoutedRequest, error: E_contra, /) -> ResponseValue:
        """Answer ``request`` instead of the failed handler."""


class BeforeResponseHook(Protocol):
    """Runs before the handler of every request (after routing, so ``request.route`` is known).

    It answers early by raising :class:`~shallot.http.HTTPException`; any other exception is
    handled like a handler's.
    """

    def __call__(self, request: RoutedRequest, /) -> None:
        """Inspect or prepare ``request``."""


class AfterResponseHook(Protocol):
    """Runs after every response is made (error answers included) and returns the one to send."""

    def __call__(self, request: RoutedRequest, response: BaseResponse, /) -> BaseResponse:
        """Return ``response``, changed or replaced."""


def describe(thing: object) -> str:
    """How logs, errors and the debug page name a handler, hook or class: ``module.qualname``
    (``repr`` for a callable without a qualified name)."""
    name = getattr(thing, "__qualname__", None)
    if not isinstance(name, str):
        return repr(thing)
    module = getattr(thing, "__module__", None)
    return f"{module}.{name}" if isinstance(module, str) else name
