"""What the response cache decides, shared by its WSGI and App-chain front ends.

:class:`ResponseStore` finds a request's entry before the application runs, and decides after it
answered whether and under which key its answer is stored.

Which profile applies: the one a handler named for this request (``response_cache`` puts it in
``environ[PROFILE_ENVIRON_KEY]``), else the store's default profile, for ``GET`` only. Like
Wheezy, the store learns, per method and path, the profile of the answers it stored, so the next
such request is looked up before anything else runs.

What is stored: ``200`` answers to methods other than ``HEAD`` (a ``HEAD`` reads the ``GET``'s
entry), under a profile whose location caches on the server, whose ``Vary`` is not ``*``, and
whose body is at most ``max_entry_bytes`` (a longer stream passes through unstored). With the
default profile, an answer whose own ``Cache-Control`` says ``no-store`` or ``private`` is not
stored, and one with no ``Cache-Control`` gets the profile's policy.

Keys: the profile's :class:`~shallot.caching.vary.RequestVary` key, plus the request fields the
answer's ``Vary`` names (learned per path, merged over time). ``Accept-Encoding`` counts as "takes
gzip or not", and an answer with a ``Content-Encoding`` varies on it even without saying so, so a
compressed entry is only ever served to clients that accept it.
"""

from __future__ import annotations

import dataclasses
import io
from typing import TYPE_CHECKING
from urllib.parse import quote

from shallot.caching.dependency import DEPENDENCY_ENVIRON_KEY, CacheDependency
from shallot.caching.entry import CachedResponse
from shallot.caching.gzip import accepts_gzip
from shallot.caching.policy import CachePolicy
from shallot.caching.profile import CacheProfile, InvalidCacheProfile
from shallot.caching.resilient import resilient
from shallot.caching.vary import environ_key
from shallot.http import HTTPException, Request, close_iterable

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import WSGIEnvironment

    from shallot.caching.backend import Cache

__all__ = [
    "KEY_ENVIRON_KEY",
    "POLICY_ENVIRON_KEY",
    "PROFILE_ENVIRON_KEY",
    "Capture",
    "Plan",
    "RecordingBody",
    "ResponseStore",
]

PROFILE_ENVIRON_KEY = "shallot.caching.profile"
"""The environ key of the :class:`~shallot.caching.profile.CacheProfile` for this request."""
POLICY_ENVIRON_KEY = "shallot.caching.policy"
"""The environ key of a :class:`~shallot.caching.policy.CachePolicy` the cache middleware puts
into the answer's fields (for plain WSGI applications; handlers use ``response_cache``)."""
KEY_ENVIRON_KEY = "shallot.caching.key"
"""The environ key of the request's vary key, when the handler computed it (it had the form)."""

DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024
_ENCODING = "accept-encoding"


@dataclasses.dataclass(frozen=True, slots=True)
class _Route:
    """What was learned about the answers to one method and path: their profile, the request
    fields their ``Vary`` names (lower case), and, for the lookup, whether the method and path
    alone make the key (``plain``) and the profile's namespace."""

    profile: CacheProfile
    vary: tuple[str, ...]
    plain: bool
    namespace: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """The decision to store an answer: under ``key``, by ``profile``, depending on
    ``dependencies`` (master keys)."""

    key: str
    profile: CacheProfile
    dependencies: tuple[str, ...]


def _vary_names(headers: Iterable[tuple[str, str]]) -> set[str] | None:
    """The request fields an answer varies on; ``None`` for ``Vary: *``."""
    names: set[str] = set()
    for name, value in headers:
        lowered = name.lower()
        if lowered == "vary":
            for field in value.split(","):
                field = field.strip().lower()
                if field == "*":
                    return None
                if field:
                    names.add(field)
        elif lowered == "content-encoding":
            names.add(_ENCODING)
    return names


def _refuses_storing(headers: Iterable[tuple[str, str]]) -> bool | None:
    """``None`` without ``Cache-Control``; else whether it says ``no-store`` or ``private``."""
    control = [value.lower() for name, value in headers if name.lower() == "cache-control"]
    if not control:
        return None
    directives = {part.strip().split("=")[0] for value in control for part in value.split(",")}
    return "no-store" in directives or "private" in directives


class ResponseStore:
    """The response cache's decisions over ``cache`` (wrapped by
    :func:`~shallot.caching.resilient.resilient`, so a failing backend is a miss).

    ``profile`` is the default profile (see the module documentation); it must cache on the
    server (:class:`~shallot.caching.profile.InvalidCacheProfile` otherwise). Answers longer than
    ``max_entry_bytes`` are not stored. At most ``max_routes`` method-and-path pairs are
    remembered; past that the memory of them starts again.
    """

    def __init__(
        self,
        cache: Cache,
        profile: CacheProfile | None = None,
        *,
        max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
        max_routes: int = 10_000,
    ) -> None:
        """Decide for ``cache`` (see the class documentation)."""
        if profile is not None and not profile.server_cache:
            raise InvalidCacheProfile(
                "location", f"the middleware's profile must cache on the server: {profile!r}"
            )
        self.cache = resilient(cache)
        self.profile = profile
        self.max_entry_bytes = max_entry_bytes
        self.max_routes = max_routes
        self._routes: dict[str, _Route] = {}

    # -- before the application ----------------------------------------------------------------

    def lookup(
        self, environ: WSGIEnvironment, request: Request | None = None
    ) -> CachedResponse | None:
        """The stored answer to this request, or ``None``.

        ``request`` is the request object when there is one (the App's); without it, and when
        the key needs the form, the body is read here and put back as ``wsgi.input``, so the
        application still reads it.
        """
        route_key = environ_key(environ)
        route = self._routes.get(route_key)
        if route is None:
            return None
        if route.plain:
            entry = self.cache.get(route_key, route.namespace)
            return entry if type(entry) is CachedResponse else None
        vary = route.profile.request_vary
        assert vary is not None  # only server-caching profiles are learned
        key = route_key
        if not vary.plain:
            if request is None:
                request = Request(environ)
                if vary.reads_body:
                    try:
                        body = request.body
                    except HTTPException:
                        return None
                    environ["wsgi.input"] = io.BytesIO(body)
                    environ["CONTENT_LENGTH"] = str(len(body))
            try:
                key = vary.key(request)
            except HTTPException:
                return None
        if route.vary:
            key = _with_fields(key, route.vary, environ)
        entry = self.cache.get(key, route.profile.namespace)
        return entry if type(entry) is CachedResponse else None

    # -- after it ------------------------------------------------------------------------------

    def plan(
        self,
        environ: WSGIEnvironment,
        status: str,
        headers: list[tuple[str, str]],
        request: Request | None = None,
    ) -> Plan | None:
        """Whether to store this answer, and how; may add the default profile's policy fields
        (and an environ policy's) to ``headers``."""
        if not self.concerns(environ):
            return None
        policy = environ.get(POLICY_ENVIRON_KEY)
        if isinstance(policy, CachePolicy):
            policy.extend(headers)
        method = environ.get("REQUEST_METHOD") or "GET"
        if method == "HEAD" or status[:4] != "200 ":
            if self.profile is not None and method == "HEAD" and status[:4] == "200 ":
                self._default_fields(headers)
            return None
        profile = environ.get(PROFILE_ENVIRON_KEY)
        if profile is None:
            profile = self.profile
            if profile is None or method != "GET" or not self._default_fields(headers):
                return None
        elif not isinstance(profile, CacheProfile) or not profile.server_cache:
            return None
        names = _vary_names(headers)
        if names is None:
            return None
        route_key = environ_key(environ)
        route = self._routes.get(route_key)
        if route is not None and route.profile is profile:
            names.update(route.vary)
        vary = tuple(sorted(names))
        if route is None or route.profile is not profile or route.vary != vary:
            if len(self._routes) >= self.max_routes:
                self._routes.clear()
            request_vary = profile.request_vary
            assert request_vary is not None  # server_cache says so
            plain = request_vary.plain and not vary
            self._routes[route_key] = _Route(profile, vary, plain, profile.namespace)
        key = environ.get(KEY_ENVIRON_KEY)
        if not isinstance(key, str):
            request_vary = profile.request_vary
            assert request_vary is not None  # server_cache says so
            if request_vary.plain:
                key = route_key
            else:
                try:
                    key = request_vary.key(request or Request(environ))
                except HTTPException:
                    return None
        if vary:
            key = _with_fields(key, vary, environ)
        dependencies = environ.get(DEPENDENCY_ENVIRON_KEY) or ()
        return Plan(key, profile, tuple(dependencies))

    def concerns(self, environ: WSGIEnvironment) -> bool:
        """Whether anything asks to cache or mark this request's answer: a default profile, or a
        profile or policy its handler put in ``environ``. When nothing does, :meth:`plan` neither
        keeps nor changes the answer, so callers may skip it."""
        return (
            self.profile is not None
            or PROFILE_ENVIRON_KEY in environ
            or POLICY_ENVIRON_KEY in environ
        )

    def _default_fields(self, headers: list[tuple[str, str]]) -> bool:
        """Apply the default profile's policy unless the answer has its own; whether the answer
        may be stored."""
        refused = _refuses_storing(headers)
        if refused is None:
            assert self.profile is not None
            self.profile.cache_policy().extend(headers)
            return True
        return not refused

    def record(self, capture: Capture, body: Iterable[bytes]) -> Iterable[bytes]:
        """The body to send in place of the application's ``body``: ``body`` itself when there is
        nothing to store, or once stored (a list or tuple); otherwise a :class:`RecordingBody`
        that stores it when it has all been sent."""
        plan = capture.plan
        if plan is None:
            if capture.status is not None:
                return body
        elif isinstance(body, (list, tuple)):
            data = b"".join(body)
            if len(data) <= self.max_entry_bytes:
                self.store(
                    plan, CachedResponse.capture(capture.status or "", capture.headers, data)
                )
            return body
        return RecordingBody(body, self, capture)

    def store(self, plan: Plan, entry: CachedResponse) -> None:
        """Store ``entry`` as ``plan`` says, with its dependency records; not at all when a
        dependency cannot be recorded (the entry could not be invalidated)."""
        profile = plan.profile
        if not plan.dependencies:
            self.cache.set(plan.key, entry, profile.duration, profile.namespace)
            return
        dependency = CacheDependency(self.cache, profile.duration, profile.namespace)
        mapping: dict[str, object] = {}
        for master_key in plan.dependencies:
            try:
                mapping[dependency.next_key(master_key)] = plan.key
            except RuntimeError:
                return
        mapping[plan.key] = entry
        self.cache.set_multi(mapping, profile.duration, profile.namespace)


def _with_fields(key: str, names: tuple[str, ...], environ: WSGIEnvironment) -> str:
    """``key`` with the values of request fields ``names`` added to its sections."""
    values: list[str] = []
    for name in names:
        if name == _ENCODING:
            values.append("g" if accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")) else "i")
        else:
            value = environ.get("HTTP_" + name.upper().replace("-", "_"))
            values.append("!" if value is None else "=" + quote(str(value), safe=""))
    method, _, rest = key.partition(" ")
    sections, _, path = rest.partition(" ")
    return f"{method} {sections}H{'&'.join(values)} {path}"


class Capture:
    """What the application answered for one request: its ``status`` line and ``headers``
    (``None`` and empty until it called ``start_response``), and the :class:`Plan` to store it
    (``None``: do not)."""

    __slots__ = ("headers", "plan", "status")

    def __init__(self) -> None:
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []
        self.plan: Plan | None = None


class RecordingBody:
    """A body passed through chunk by chunk and kept, stored when the last chunk was sent.

    Whether to store it is read from the :class:`Capture` at the end (an application may call
    ``start_response`` only when its body is first iterated). A body that fails, is closed early,
    or grows past the store's ``max_entry_bytes`` is not stored; ``close()`` always closes the
    original.
    """

    __slots__ = ("_body", "_capture", "_chunks", "_iterator", "_size", "_store")

    def __init__(self, body: Iterable[bytes], store: ResponseStore, capture: Capture) -> None:
        self._body = body
        self._iterator: Iterator[bytes] | None = None
        self._store = store
        self._capture = capture
        self._chunks: list[bytes] | None = []
        self._size = 0

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        iterator = self._iterator
        if iterator is None:
            iterator = self._iterator = iter(self._body)
        try:
            chunk = next(iterator)
        except StopIteration:
            chunks, self._chunks = self._chunks, None
            capture = self._capture
            if chunks is not None and capture.plan is not None and capture.status is not None:
                entry = CachedResponse.capture(capture.status, capture.headers, b"".join(chunks))
                self._store.store(capture.plan, entry)
            raise
        chunks = self._chunks
        if chunks is not None:
            self._size += len(chunk)
            if self._size > self._store.max_entry_bytes:
                self._chunks = None
            else:
                chunks.append(chunk)
        return chunk

    def close(self) -> None:
        """Close the original body (and give up storing, unless it was all sent)."""
        self._chunks = None
        close_iterable(self._body)
