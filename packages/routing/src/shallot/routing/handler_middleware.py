"""Handler middleware in Wheezy's shape: a chain of ``middleware(request, following)`` callables
around the App's routing, built once by factories.

``App(middleware=[factory, ...], options={...})`` calls each ``factory(options)`` once, in order,
when the App is created; a factory returns a middleware, or ``None`` when it only needed to set
something up (fill ``options``, say). The first middleware returned is the outermost. Each one
receives the request and ``following``, the rest of the chain, whose innermost link is the App's
routing: it may answer by itself, call ``following(request)`` and return (or change) its response,
or return ``None``, which the App answers as 404.

Per handler, :func:`~shallot.routing.decorators.response_transforms` applies
``transform(request, response) -> response`` functions to what the handler returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable

    from shallot.http import BaseResponse
    from shallot.routing.request import RoutedRequest

__all__ = ["Following", "Middleware", "MiddlewareFactory", "ResponseTransform", "build_chain"]


class Following(Protocol):
    """The rest of the middleware chain, ending in the App's routing."""

    def __call__(self, request: RoutedRequest, /) -> BaseResponse | None:
        """Answer ``request``; ``None`` means nothing did (a 404)."""


class Middleware(Protocol):
    """One link of the chain: answer, delegate to ``following``, or return ``None``."""

    def __call__(self, request: RoutedRequest, following: Following, /) -> BaseResponse | None:
        """Answer ``request``, usually with ``following(request)``."""


class MiddlewareFactory(Protocol):
    """Builds a middleware from the App's options at start-up; ``None`` adds no link."""

    def __call__(self, options: dict[str, object], /) -> Middleware | None:
        """Return the middleware configured by ``options`` (which it may also fill in)."""


class ResponseTransform(Protocol):
    """Changes or replaces the response of one handler (see ``response_transforms``)."""

    def __call__(self, request: RoutedRequest, response: BaseResponse, /) -> BaseResponse:
        """Return the response to send instead of ``response``."""


class _Link:
    """``middleware`` bound to the links after it."""

    __slots__ = ("following", "middleware")

    def __init__(self, middleware: Middleware, following: Following) -> None:
        self.middleware = middleware
        self.following = following

    def __call__(self, request: RoutedRequest, /) -> BaseResponse | None:
        return self.middleware(request, self.following)


def build_chain(
    factories: Iterable[MiddlewareFactory], options: dict[str, object], innermost: Following
) -> Following:
    """Run the factories in order and chain the middleware they return around ``innermost``.

    With no middleware, ``innermost`` itself is returned, so an App without middleware pays
    nothing for the feature.
    """
    links = [link for link in (factory(options) for factory in factories) if link is not None]
    chain = innermost
    for middleware in reversed(links):
        chain = _Link(middleware, chain)
    return chain
