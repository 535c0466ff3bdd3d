"""Another process of the cross-process dependency test, run as ``python dependency_worker.py``.

``serve URL`` answers ``GET /goods`` once through the same cached app as the test (a Redis cache
at ``URL``) and prints how many times its handler ran and the body; ``invalidate URL`` deletes the
``goods`` dependency. A separate interpreter, so nothing is shared with the test but Redis.
"""

from __future__ import annotations

import io
import json
import sys
from typing import TYPE_CHECKING

from shallot.caching import (
    CacheDependency,
    CacheMiddleware,
    CacheProfile,
    RedisCache,
    depends_on,
    response_cache,
)
from shallot.http import Response
from shallot.routing import App

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.routing import RoutedRequest

PROFILE = CacheProfile("server", duration=600, namespace="shop")


def goods_app(label: str, calls: list[str]) -> App:
    """The shop app: ``/goods`` depends on ``goods`` and says who rendered it."""
    app = App()

    @app.route("/goods")
    @response_cache(PROFILE)
    def goods(request: RoutedRequest) -> Response:
        calls.append(label)
        depends_on(request, "goods")
        return Response(f"goods by {label}", content_type="text/plain")

    return app


def main() -> None:
    command, url = sys.argv[1], sys.argv[2]
    cache = RedisCache(url)
    if command == "invalidate":
        CacheDependency(cache, namespace=PROFILE.namespace).delete("goods")
        print(json.dumps({"invalidated": True}))
    else:
        calls: list[str] = []
        app = CacheMiddleware(goods_app("worker", calls), cache)
        statuses: list[str] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None, /
        ) -> Callable[[bytes], object]:
            statuses.append(status)
            return lambda data: None

        environ: dict[str, object] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/goods",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "wsgi.input": io.BytesIO(),
        }
        body = b"".join(app(environ, start_response))
        print(json.dumps({"calls": len(calls), "status": statuses[0], "body": body.decode()}))
    cache.close()


if __name__ == "__main__":
    main()
