"""Cache profiles: one named decision about where a kind of response is cached, and for how long.

A :class:`CacheProfile` is Wheezy's: its ``location`` says who keeps the response, and that maps to
the :class:`~shallot.caching.policy.CachePolicy` clients receive and to whether the server-side
response cache stores it:

============ =================== =================================================
location     policy for clients  server-side cache
============ =================== =================================================
``none``     ``no-cache``        no
``server``   ``no-cache``        yes, keyed by :class:`~shallot.caching.vary.RequestVary`
``client``   ``private``         no
``both``     ``private``         yes
``public``   ``public``          yes
============ =================== =================================================

Client policies carry ``Last-Modified`` (now), ``Expires`` (now + ``http_max_age``) and
``max-age``; ``http_max_age`` defaults to ``duration``. Define profiles once, in one module, and
use them wherever they apply::

    public_page = CacheProfile("public", duration=timedelta(minutes=15), vary_query=["page"])
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Literal

from shallot.caching.policy import CachePolicy, seconds
from shallot.caching.vary import RequestVary
from shallot.http import CheckedFields

if TYPE_CHECKING:
    from shallot.http import ETag

__all__ = [
    "NO_CACHE_PROFILE",
    "CacheProfile",
    "ETagFunction",
    "InvalidCacheProfile",
    "Location",
    "check_namespace",
]

Location = Literal["none", "server", "client", "both", "public"]
"""Where a response may be cached (see the module documentation)."""

ETagFunction = Callable[[Iterable[bytes]], "ETag"]
"""Computes a response's entity tag from its body chunks (see :mod:`shallot.caching.etags`)."""

_CACHEABILITY: dict[str, Literal["no-cache", "private", "public"]] = {
    "none": "no-cache",
    "server": "no-cache",
    "client": "private",
    "both": "private",
    "public": "public",
}
_NAMESPACE = re.compile(r"[A-Za-z0-9_.\-]+\Z")
_UTC = timezone.utc


class InvalidCacheProfile(ValueError):
    """A profile setting is not valid; ``setting`` names it."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting


def check_namespace(namespace: str | None) -> str | None:
    """``namespace`` when it is ``None`` or a valid cache namespace: letters, digits, ``_``, ``.``
    and ``-``. :class:`ValueError` otherwise (shared backends put it in front of keys, so it must
    not contain their separator)."""
    if namespace is not None and (
        not isinstance(namespace, str) or not _NAMESPACE.match(namespace)
    ):
        raise ValueError(f"invalid cache namespace {namespace!r}: use letters, digits, '_.-'")
    return namespace


class CacheProfile:
    """Settings for the HTTP cache policy and the server-side cache of a kind of response.

    - ``location``: see the module documentation; :class:`InvalidCacheProfile` for another value.
    - ``duration``: seconds (or a timedelta) the server keeps the response and, by default,
      clients may reuse it; must be positive unless the location is ``none``.
    - ``no_store``: add ``no-store`` to the clients' policy.
    - ``vary_query``, ``vary_form``, ``vary_cookies``, ``vary_environ``: items the server-side
      key varies on, besides method and path (see :class:`~shallot.caching.vary.RequestVary`).
    - ``http_vary``: request header names sent as ``Vary`` by client policies.
    - ``http_max_age``: the clients' ``max-age``, when it differs from ``duration``; 0 makes
      ``Expires`` equal ``Last-Modified``, so clients revalidate each time.
    - ``etag_func``: computes the ``ETag`` from the body (see :mod:`shallot.caching.etags`); used
      for ``client``, ``both`` and ``public``.
    - ``namespace``: the backend namespace of the server-side entries.
    - ``enabled``: ``False`` turns the profile off (decorated handlers run as they are); the
      other settings are then not checked, except ``location``.

    A profile is shared by many requests; do not change its attributes.
    """

    __slots__ = (
        "_fields",
        "cacheability",
        "duration",
        "enabled",
        "etag_func",
        "http_max_age",
        "http_vary",
        "location",
        "namespace",
        "no_store",
        "request_vary",
    )

    def __init__(
        self,
        location: Location,
        duration: int | timedelta = 0,
        no_store: bool = False,
        vary_query: Iterable[str] = (),
        vary_form: Iterable[str] = (),
        vary_environ: Iterable[str] = (),
        vary_cookies: Iterable[str] = (),
        http_vary: Iterable[str] = (),
        http_max_age: int | timedelta | None = None,
        etag_func: ETagFunction | None = None,
        namespace: str | None = None,
        enabled: bool = True,
    ) -> None:
        """Check and keep the settings (see the class documentation)."""
        if location not in _CACHEABILITY:
            raise InvalidCacheProfile(
                "location", f"{location!r} is not one of none, server, client, both, public"
            )
        self.location: Location = location
        self.cacheability = _CACHEABILITY[location]
        self.enabled = enabled
        self.no_store = no_store
        self.duration = 0
        self.http_max_age = 0
        self.request_vary: RequestVary | None = None
        """How server-side keys vary; ``None`` when the server does not cache (none, client)."""
        self.namespace: str | None = None
        self.etag_func: ETagFunction | None = None
        self.http_vary: tuple[str, ...] = ()
        self._fields: tuple[int, CheckedFields] | None = None
        if not enabled:
            return
        if location != "none":
            try:
                self.duration = seconds(duration)
                self.http_max_age = (
                    self.duration if http_max_age is None else seconds(http_max_age, "http_max_age")
                )
            except (TypeError, ValueError) as error:
                raise InvalidCacheProfile("duration", str(error)) from None
            if self.duration <= 0:
                raise InvalidCacheProfile("duration", "must be positive to cache anywhere")
        if location in ("server", "both", "public"):
            try:
                self.namespace = check_namespace(namespace)
                self.request_vary = RequestVary(
                    query=vary_query, form=vary_form, cookies=vary_cookies, environ=vary_environ
                )
            except (TypeError, ValueError) as error:
                raise InvalidCacheProfile("vary or namespace", str(error)) from None
        if location in ("client", "both", "public"):
            if isinstance(http_vary, str):
                raise InvalidCacheProfile("http_vary", "must be an iterable of names, not a str")
            self.etag_func = etag_func
            self.http_vary = tuple(http_vary)
            CachePolicy(self.cacheability).vary(*self.http_vary)  # checks the names now

    def __repr__(self) -> str:
        state = "" if self.enabled else ", enabled=False"
        return f"{type(self).__name__}({self.location!r}, duration={self.duration}{state})"

    @property
    def server_cache(self) -> bool:
        """Whether the server-side response cache stores responses under this profile."""
        return self.enabled and self.request_vary is not None

    def cache_policy(self) -> CachePolicy:
        """A new policy for one response, as the location prescribes (dates are now's)."""
        return self._policy_at(int(time.time()))

    def policy_fields(self) -> CheckedFields:
        """The header fields of :meth:`cache_policy`, made at most once a second (they only
        change with the clock's second), for handlers that send them as they are."""
        now = 0 if self.cacheability == "no-cache" else int(time.time())
        made = self._fields
        if made is None or made[0] != now:
            made = self._fields = (now, CheckedFields(self._policy_at(now).headers()))
        return made[1]

    def _policy_at(self, now: int) -> CachePolicy:
        policy = CachePolicy(self.cacheability)
        if self.no_store:
            policy.no_store()
        if self.cacheability == "no-cache" or not self.enabled:
            return policy
        modified = datetime.fromtimestamp(now, _UTC)
        policy.last_modified(modified)
        policy.expires(modified + timedelta(seconds=self.http_max_age))
        policy.max_age(self.http_max_age)
        if self.http_vary:
            policy.vary(*self.http_vary)
        return policy


NO_CACHE_PROFILE = CacheProfile("none", no_store=True)
"""The profile of responses nobody may keep: ``Cache-Control: no-cache, no-store``."""
