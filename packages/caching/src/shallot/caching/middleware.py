"""The response cache in front of an application: hits never reach it.

Two front ends over the same :class:`~shallot.caching.store.ResponseStore`:

- :class:`CacheMiddleware`, plain WSGI middleware, placed first (outermost), so a hit costs a
  key, a backend read and one ``start_response``::

      app = CacheMiddleware(App(...), MemoryCache(max_bytes=64 * 1024 * 1024))

- :func:`cache_middleware_factory` for ``shallot.routing``'s handler-middleware chain
  (Wheezy's ``http_cache_middleware_factory``), reading the backend from
  ``options["http_cache"]`` and an optional default profile from
  ``options["http_cache_profile"]``::

      App(middleware=[cache_middleware_factory], options={"http_cache": cache})

Which answers are stored and under which keys is the store's business (see
:mod:`shallot.caching.store`); handlers opt in with
:func:`~shallot.caching.decorator.response_cache`, or the middleware's ``profile`` applies to
every ``GET``. A hit whose validators match the request's ``If-None-Match`` or
``If-Modified-Since`` is answered 304. A failing backend answers as an empty cache (see
:mod:`shallot.caching.resilient`): the application answers, never a 500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from shallot.caching.entry import CachedEntryResponse, serve_entry
from shallot.caching.profile import CacheProfile
from shallot.caching.store import DEFAULT_MAX_ENTRY_BYTES, Capture, ResponseStore
from shallot.http import BaseResponse, Headers, Request

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.caching.backend import Cache

__all__ = [
    "CACHE_OPTION",
    "PROFILE_OPTION",
    "CacheMiddleware",
    "ChainCacheMiddleware",
    "cache_middleware_factory",
]

CACHE_OPTION = "http_cache"
"""The App option holding the backend of :func:`cache_middleware_factory` (Wheezy's name)."""
PROFILE_OPTION = "http_cache_profile"
"""The App option holding the default profile of :func:`cache_middleware_factory`."""

RequestT = TypeVar("RequestT", bound=Request)


class _Exchange(Capture):
    """One request passing through :class:`CacheMiddleware` to the application: what it
    answered (a :class:`Capture`) and the ``start_response`` that records it."""

    __slots__ = ("environ", "start", "store")

    def __init__(
        self, store: ResponseStore, environ: WSGIEnvironment, start_response: StartResponse
    ) -> None:
        self.status = None
        self.headers = []
        self.plan = None
        self.store = store
        self.environ = environ
        self.start = start_response

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        self.status = status
        self.headers = headers
        if exc_info is not None:
            self.plan = None
            return self.start(status, headers, exc_info)
        plan = self.plan = self.store.plan(self.environ, status, headers)
        write = self.start(status, headers)
        if plan is None:
            return write

        def write_unstored(data: bytes) -> object:
            self.plan = None  # bytes sent past the body iterable: the entry would miss them
            return write(data)

        return write_unstored


class CacheMiddleware:
    """WSGI middleware serving ``app``'s cacheable answers from ``cache``.

    ``profile`` is the default profile for ``GET`` answers no handler gave one to (``None``:
    only handlers' profiles apply); answers longer than ``max_entry_bytes`` are not stored.
    ``store`` is the :class:`~shallot.caching.store.ResponseStore` deciding it all.
    """

    def __init__(
        self,
        app: WSGIApplication,
        cache: Cache,
        profile: CacheProfile | None = None,
        *,
        max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
    ) -> None:
        """Put ``cache`` in front of ``app``."""
        self.app = app
        self.store = ResponseStore(cache, profile, max_entry_bytes=max_entry_bytes)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer from the cache, or from the application (storing what may be stored)."""
        entry = self.store.lookup(environ)
        if entry is not None:
            if entry.validated and (
                "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
            ):
                return serve_entry(entry, list(entry.headers), environ, start_response)
            start_response(entry.status, list(entry.headers))
            return [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]
        exchange = _Exchange(self.store, environ, start_response)
        return self.store.record(exchange, self.app(environ, exchange.start_response))


class _RecordedResponse(BaseResponse):
    """An answer produced by calling a response, passed on (its body possibly recorded)."""

    __slots__ = ("_body",)

    def __init__(self, status: str, headers: list[tuple[str, str]], body: Iterable[bytes]) -> None:
        super().__init__(None, headers, int(status[:3]))
        self._body = body

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response(self.status, self.headers.items())
        return self._body


def _no_write(data: bytes) -> object:
    raise RuntimeError("write() is not supported for responses stored by the cache middleware")


class ChainCacheMiddleware:
    """The response cache as a link of ``shallot.routing``'s middleware chain.

    Give it the request first (outermost) place in the chain: ``(request, following)`` answers a
    hit with a :class:`~shallot.caching.entry.CachedEntryResponse` without calling
    ``following``, and otherwise stores what ``following`` answered when the store says so.
    """

    def __init__(self, store: ResponseStore) -> None:
        """Decide with ``store``."""
        self.store = store

    def __call__(
        self, request: RequestT, following: Callable[[RequestT], BaseResponse | None], /
    ) -> BaseResponse | None:
        """Answer ``request`` from the cache, or through ``following``."""
        environ = request.environ
        entry = self.store.lookup(environ, request)
        if entry is not None:
            return CachedEntryResponse(entry)
        response = following(request)
        if response is None:
            return None
        if not self.store.concerns(environ):  # plan would neither keep nor change the answer
            return response
        fields = response.headers.items()
        plan = self.store.plan(environ, response.status, fields, request)
        if fields != response.headers.items():  # a policy added its fields
            response.headers = Headers(fields)
        if plan is None:
            return response
        capture = Capture()

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
        ) -> Callable[[bytes], object]:
            capture.status = status
            capture.headers = headers
            return _no_write

        body = response(environ, start_response)
        if capture.status is None:
            raise RuntimeError(f"{response!r} returned a body without calling start_response")
        if capture.status[:4] == "200 ":
            capture.plan = plan
        return _RecordedResponse(capture.status, capture.headers, self.store.record(capture, body))


def cache_middleware_factory(options: dict[str, object]) -> ChainCacheMiddleware:
    """Build the :class:`ChainCacheMiddleware` from the App's ``options``:
    ``options[CACHE_OPTION]`` is the backend (required: :class:`KeyError` without it),
    ``options[PROFILE_OPTION]`` an optional default profile (:class:`TypeError` when it is not a
    :class:`~shallot.caching.profile.CacheProfile`)."""
    if CACHE_OPTION not in options:
        raise KeyError(f"cache_middleware_factory needs options[{CACHE_OPTION!r}], a Cache")
    cache = cast("Cache", options[CACHE_OPTION])
    profile = options.get(PROFILE_OPTION)
    if profile is not None and not isinstance(profile, CacheProfile):
        raise TypeError(f"options[{PROFILE_OPTION!r}] must be a CacheProfile, not {profile!r}")
    return ChainCacheMiddleware(ResponseStore(cache, profile))
