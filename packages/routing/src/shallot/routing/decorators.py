"""Decorators for route handlers, in Wheezy's manner: method constraints, HTTPS only, and response
transforms.

Each wraps one handler (keeping its name, so ``url_for`` still finds it by name) and is typed with
:class:`~typing.ParamSpec`, so the wrapped handler keeps its signature for mypy. Apply them below
``@app.route``::

    @app.route("/report/<id:int>", METHOD_ALL)
    @accept_method(("GET", "POST"))
    @response_transforms(add_cache_headers)
    def report(req, id: int): ...
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Concatenate, ParamSpec
from urllib.parse import quote

from shallot.http import BaseResponse, RedirectResponse, forbidden, http_error, make_response
from shallot.routing.methods import format_allow, method_names

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.http.make_response import ResponseValue
    from shallot.routing.handler_middleware import ResponseTransform
    from shallot.routing.methods import Methods
    from shallot.routing.request import RoutedRequest

__all__ = ["accept_method", "response_transforms", "secure"]

P = ParamSpec("P")

_PATH_SAFE = "/!$&'()*+,;=:@"


def accept_method(
    methods: Methods,
) -> Callable[
    [Callable[Concatenate[RoutedRequest, P], ResponseValue]],
    Callable[Concatenate[RoutedRequest, P], ResponseValue],
]:
    """Let the handler answer only ``methods`` (flags or names; ``GET`` admits ``HEAD``); other
    requests get 405 with ``Allow`` listing them.

    Useful when one handler is routed for several methods, or routed by middleware.
    """
    names = method_names(methods)
    if "GET" in names:
        names |= {"HEAD"}
    allow = format_allow(names)

    def decorate(
        handler: Callable[Concatenate[RoutedRequest, P], ResponseValue],
    ) -> Callable[Concatenate[RoutedRequest, P], ResponseValue]:
        @functools.wraps(handler)
        def accept(request: RoutedRequest, /, *args: P.args, **kwargs: P.kwargs) -> ResponseValue:
            if request.method not in names:
                response = http_error(405)
                response.headers["Allow"] = allow
                return response
            return handler(request, *args, **kwargs)

        return accept

    return decorate


def secure(
    *, enabled: bool = True
) -> Callable[
    [Callable[Concatenate[RoutedRequest, P], ResponseValue]],
    Callable[Concatenate[RoutedRequest, P], ResponseValue],
]:
    """Let the handler answer HTTPS requests only (``enabled=False`` turns the check off, e.g.
    in development).

    A plain-HTTP ``GET`` or ``HEAD`` is redirected (301) to the same URL with ``https``; any other
    method gets 403, since redirecting it would not un-send its body. Whether a request is HTTPS
    is ``wsgi.url_scheme``: behind a TLS-terminating proxy, let a proxy-fix middleware set it.
    """

    def decorate(
        handler: Callable[Concatenate[RoutedRequest, P], ResponseValue],
    ) -> Callable[Concatenate[RoutedRequest, P], ResponseValue]:
        if not enabled:
            return handler

        @functools.wraps(handler)
        def check(request: RoutedRequest, /, *args: P.args, **kwargs: P.kwargs) -> ResponseValue:
            if request.secure:
                return handler(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                return forbidden("this resource is served over HTTPS only")
            query = request.query_string
            location = f"https://{request.host}{quote(request.full_path, safe=_PATH_SAFE)}"
            return RedirectResponse(location + (f"?{query}" if query else ""), 301)

        return check

    return decorate


def response_transforms(
    *transforms: ResponseTransform,
) -> Callable[
    [Callable[Concatenate[RoutedRequest, P], ResponseValue]],
    Callable[Concatenate[RoutedRequest, P], BaseResponse],
]:
    """Pass the handler's response through ``transforms`` in order (Wheezy's
    ``response_transforms``): each ``transform(request, response)`` returns the response to use.

    What the handler returns is made a response first (:func:`~shallot.http.make_response`), so
    transforms always receive a :class:`~shallot.http.BaseResponse`. :class:`TypeError` when no
    transform is given.
    """
    if not transforms:
        raise TypeError("response_transforms needs at least one transform")

    def decorate(
        handler: Callable[Concatenate[RoutedRequest, P], ResponseValue],
    ) -> Callable[Concatenate[RoutedRequest, P], BaseResponse]:
        @functools.wraps(handler)
        def transformed(
            request: RoutedRequest, /, *args: P.args, **kwargs: P.kwargs
        ) -> BaseResponse:
            response = make_response(handler(request, *args, **kwargs))
            for transform in transforms:
                response = transform(request, response)
            return response

        return transformed

    return decorate
