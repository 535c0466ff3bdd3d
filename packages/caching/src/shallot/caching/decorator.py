"""``response_cache``: a handler's answers follow a cache profile (Wheezy's decorator).

The decorated handler's response gets the profile's HTTP cache policy (``Cache-Control``,
``Expires``, ``Last-Modified``, ``ETag`` from the profile's ``etag_func``, ``Vary``). When the
profile caches on the server, the handler also tells the
:class:`~shallot.caching.middleware.CacheMiddleware` in front of the application to store the
answer (through the request's environ), and from then on that middleware answers the same
requests from the cache without calling the application at all::

    goods_profile = CacheProfile("both", duration=600, vary_query=["page"])

    @app.route("/goods")
    @response_cache(goods_profile)
    def goods(request):
        depends_on(request, "goods")
        return Response(render(request.args.get("page")))

Without a middleware in front, only the policy applies. ``response_cache()`` with no profile
marks the answers as not to be kept anywhere (``no-cache, no-store``).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from shallot.caching.policy import put_fields
from shallot.caching.profile import NO_CACHE_PROFILE, CacheProfile
from shallot.caching.store import KEY_ENVIRON_KEY, PROFILE_ENVIRON_KEY
from shallot.http import BaseResponse, Request, Response

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["response_cache"]

P = ParamSpec("P")
RequestT = TypeVar("RequestT", bound=Request)


def response_cache(
    profile: CacheProfile | None = None,
) -> Callable[
    [Callable[Concatenate[RequestT, P], BaseResponse]],
    Callable[Concatenate[RequestT, P], BaseResponse],
]:
    """Apply ``profile`` to a handler's responses (see the module documentation).

    A disabled profile leaves the handler as it is. The ``etag_func`` reads the body of
    in-memory responses (:class:`~shallot.http.Response`); streamed ones get no ``ETag`` from it.
    """
    chosen = NO_CACHE_PROFILE if profile is None else profile

    def decorate(
        handler: Callable[Concatenate[RequestT, P], BaseResponse],
    ) -> Callable[Concatenate[RequestT, P], BaseResponse]:
        if not chosen.enabled:
            return handler
        etag_func = chosen.etag_func
        request_vary = chosen.request_vary if chosen.server_cache else None

        @functools.wraps(handler)
        def cached(request: RequestT, /, *args: P.args, **kwargs: P.kwargs) -> BaseResponse:
            response = handler(request, *args, **kwargs)
            put_fields(response.headers, chosen.policy_fields())
            if etag_func is not None and isinstance(response, Response):
                response.headers["ETag"] = str(etag_func((response.data,)))
            if request_vary is not None:
                environ = request.environ
                environ[PROFILE_ENVIRON_KEY] = chosen
                if not request_vary.plain:
                    environ[KEY_ENVIRON_KEY] = request_vary.key(request)
            return response

        return cached

    return decorate
