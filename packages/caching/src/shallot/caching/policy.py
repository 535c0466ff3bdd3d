"""The HTTP cache policy of one response: the fields that tell browsers and proxies what to keep.

:class:`CachePolicy` is Wheezy's ``HTTPCachePolicy`` with typed errors: pick a cacheability
(``no-cache``, ``private`` or ``public``), call the directive methods, then
:meth:`CachePolicy.extend` a response's headers with ``Cache-Control``, ``Pragma``,
``Expires``, ``Last-Modified``, ``ETag`` and ``Vary``::

    policy = CachePolicy("public")
    policy.max_age(600)
    policy.vary("Accept-Language")
    policy.extend(response.headers)

A directive the cacheability makes meaningless (a ``max-age`` on a ``no-cache`` answer, a
``private`` field list on anything but a ``public`` one, ``must-revalidate`` together with
``proxy-revalidate``) raises :class:`InvalidCachePolicy` at once, where the mistake is made.

Two outputs differ from Wheezy's on purpose: the shared-cache age is sent as ``s-maxage`` (RFC 9111
section 5.2.2.10; Wheezy writes ``smax-age``, which caches ignore), and ``ETag`` is always a quoted
entity tag (Wheezy sends the string it was given, so ``etag("abc")`` gave an invalid ``ETag: abc``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from shallot.http import CheckedFields, ETag, Headers, http_date, parse_etag

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

__all__ = [
    "CachePolicy",
    "Cacheability",
    "InvalidCachePolicy",
    "merge_vary",
    "put_fields",
    "seconds",
]

Cacheability = Literal["no-cache", "private", "public"]
"""Who may keep a response: nobody without revalidating, the client only, or every cache."""

_CACHEABILITIES: frozenset[str] = frozenset(("no-cache", "private", "public"))
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_EXTENSION = re.compile(r"[\x20-\x7e]+\Z")


class InvalidCachePolicy(ValueError):
    """A directive is not valid for the policy's cacheability, conflicts with one already set,
    or has a malformed argument.

    ``directive`` names the refused call (``"max-age"``, ``"private"``...), ``cacheability`` is the
    policy's.
    """

    def __init__(self, directive: str, cacheability: str, reason: str) -> None:
        super().__init__(f"{directive}: {reason} (cacheability {cacheability!r})")
        self.directive = directive
        self.cacheability = cacheability


def seconds(delta: int | timedelta, what: str = "duration") -> int:
    """``delta`` as whole seconds: an ``int``, or a :class:`~datetime.timedelta` (fractions
    dropped). :class:`ValueError` when it is negative, :class:`TypeError` for other types
    (``bool`` included)."""
    if isinstance(delta, timedelta):
        value = int(delta.total_seconds())
    elif isinstance(delta, int) and not isinstance(delta, bool):
        value = delta
    else:
        raise TypeError(f"{what} must be an int or a timedelta, not {type(delta).__name__}")
    if value < 0:
        raise ValueError(f"{what} must not be negative: {delta!r}")
    return value


class CachePolicy:
    """The cache-related header fields of one response, built directive by directive.

    ``cacheability`` is ``"no-cache"``, ``"private"`` (the default) or ``"public"``; anything else
    raises :class:`InvalidCachePolicy`. A ``no-cache`` policy starts with ``Pragma: no-cache`` and
    ``Expires: -1`` and refuses every directive that would let a cache keep the answer. The
    attributes tell what was set; change them through the methods only.
    """

    __slots__ = (
        "cacheability",
        "entity_tag",
        "expires_at",
        "extensions",
        "is_must_revalidate",
        "is_no_store",
        "is_no_transform",
        "is_proxy_revalidate",
        "max_age_seconds",
        "modified",
        "no_cache_fields",
        "private_fields",
        "smax_age_seconds",
        "vary_fields",
    )

    def __init__(self, cacheability: Cacheability = "private") -> None:
        """Start a policy with ``cacheability`` and no directives."""
        if cacheability not in _CACHEABILITIES:
            raise InvalidCachePolicy(
                "cacheability", str(cacheability), "must be 'no-cache', 'private' or 'public'"
            )
        self.cacheability: Cacheability = cacheability
        self.private_fields: list[str] = []
        self.no_cache_fields: list[str] = []
        self.extensions: list[str] = []
        self.vary_fields: list[str] = []
        self.is_no_store = False
        self.is_must_revalidate = False
        self.is_proxy_revalidate = False
        self.is_no_transform = False
        self.max_age_seconds: int | None = None
        self.smax_age_seconds: int | None = None
        self.expires_at: datetime | None = None
        self.modified: datetime | None = None
        """The time given to :meth:`last_modified`, which conditional requests compare with."""
        self.entity_tag: ETag | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.cache_control()!r}>"

    # -- the checks --------------------------------------------------------------------------------

    def _refuse_no_cache(self, directive: str) -> None:
        if self.cacheability == "no-cache":
            raise InvalidCachePolicy(
                directive, self.cacheability, "not valid for a no-cache policy"
            )

    def _fields(self, directive: str, fields: tuple[str, ...]) -> list[str]:
        for field in fields:
            if not isinstance(field, str) or not _TOKEN.match(field):
                raise InvalidCachePolicy(
                    directive, self.cacheability, f"{field!r} is not a header field name"
                )
        return list(fields)

    # -- the directives ----------------------------------------------------------------------------

    def private(self, *fields: str) -> None:
        """Mark header ``fields`` as meant for one user: shared caches must not store them.

        Valid for a ``public`` policy only; without fields it does nothing.
        """
        if fields:
            if self.cacheability != "public":
                raise InvalidCachePolicy(
                    "private", self.cacheability, "private fields need a public policy"
                )
            self.private_fields += self._fields("private", fields)

    def no_cache(self, *fields: str) -> None:
        """Mark header ``fields`` as not reusable without revalidation with the origin.

        Not valid for a ``no-cache`` policy (the whole answer is already so); without fields it
        does nothing.
        """
        if fields:
            self._refuse_no_cache("no-cache")
            self.no_cache_fields += self._fields("no-cache", fields)

    def no_store(self) -> None:
        """Ask every cache not to store the answer at all (``no-store``)."""
        self.is_no_store = True

    def must_revalidate(self) -> None:
        """Forbid any cache to serve the answer stale (``must-revalidate``); excludes
        :meth:`proxy_revalidate`."""
        if self.is_proxy_revalidate:
            raise InvalidCachePolicy(
                "must-revalidate", self.cacheability, "proxy-revalidate is already set"
            )
        self.is_must_revalidate = True

    def proxy_revalidate(self) -> None:
        """Forbid shared caches to serve the answer stale (``proxy-revalidate``); excludes
        :meth:`must_revalidate`."""
        if self.is_must_revalidate:
            raise InvalidCachePolicy(
                "proxy-revalidate", self.cacheability, "must-revalidate is already set"
            )
        self.is_proxy_revalidate = True

    def no_transform(self) -> None:
        """Forbid caches and proxies to change the body (``no-transform``)."""
        self.is_no_transform = True

    def append_extension(self, extension: str) -> None:
        """Add ``extension`` as it is to ``Cache-Control`` (``immutable``,
        ``stale-while-revalidate=60``...); it must be printable ASCII."""
        if not isinstance(extension, str) or not _EXTENSION.match(extension):
            raise InvalidCachePolicy(
                "extension", self.cacheability, f"{extension!r} is not printable ASCII"
            )
        self.extensions.append(extension)

    def max_age(self, delta: int | timedelta) -> None:
        """Let caches reuse the answer for ``delta`` (seconds or a timedelta; ``max-age``).

        Not valid for a ``no-cache`` policy.
        """
        self._refuse_no_cache("max-age")
        self.max_age_seconds = seconds(delta, "max-age")

    def smax_age(self, delta: int | timedelta) -> None:
        """Let shared caches reuse the answer for ``delta``, overriding ``max-age`` and
        ``Expires`` for them (``s-maxage``). Not valid for a ``no-cache`` policy."""
        self._refuse_no_cache("s-maxage")
        self.smax_age_seconds = seconds(delta, "s-maxage")

    def expires(self, when: datetime) -> None:
        """Send ``Expires: when`` (naive datetimes are UTC). Not valid for a ``no-cache``
        policy."""
        self._refuse_no_cache("expires")
        http_date(when)  # refuses a moment that has no HTTP date now, not when sending
        self.expires_at = when

    def last_modified(self, when: datetime) -> None:
        """Send ``Last-Modified: when`` (naive datetimes are UTC); cached copies are revalidated
        against it. Not valid for a ``no-cache`` policy."""
        self._refuse_no_cache("last-modified")
        http_date(when)
        self.modified = when

    def etag(self, tag: ETag | str) -> None:
        """Send ``ETag``: a :class:`~shallot.http.ETag`, a header form (``'"abc"'``,
        ``'W/"abc"'``), or the opaque value of a strong tag (``"abc"``, sent as ``"abc"``
        quoted). :class:`~shallot.http.InvalidETag` (a :class:`ValueError`) for a value an entity
        tag cannot hold. Not valid for a ``no-cache`` policy."""
        self._refuse_no_cache("etag")
        if isinstance(tag, str):
            tag = parse_etag(tag) or ETag(tag)
        self.entity_tag = tag

    def vary(self, *fields: str) -> None:
        """Name the request fields the answer depends on (``Vary``); no fields means ``*``, any
        of them. Not valid for a ``no-cache`` policy."""
        self._refuse_no_cache("vary")
        if fields:
            self.vary_fields += self._fields("vary", fields)
        else:
            self.vary_fields = ["*"]

    # -- the output --------------------------------------------------------------------------------

    def cache_control(self) -> str:
        """The ``Cache-Control`` value, directives in Wheezy's order."""
        directives: list[str] = [self.cacheability]
        if self.private_fields:
            directives.append(f'private="{", ".join(self.private_fields)}"')
        if self.no_cache_fields:
            directives.append(f'no-cache="{", ".join(self.no_cache_fields)}"')
        if self.is_no_store:
            directives.append("no-store")
        if self.is_must_revalidate:
            directives.append("must-revalidate")
        elif self.is_proxy_revalidate:
            directives.append("proxy-revalidate")
        if self.is_no_transform:
            directives.append("no-transform")
        directives += self.extensions
        if self.max_age_seconds is not None:
            directives.append(f"max-age={self.max_age_seconds}")
        if self.smax_age_seconds is not None:
            directives.append(f"s-maxage={self.smax_age_seconds}")
        return ", ".join(directives)

    def headers(self) -> list[tuple[str, str]]:
        """The fields this policy sends, in order: ``Cache-Control``, then ``Pragma``,
        ``Expires``, ``Last-Modified``, ``ETag`` and ``Vary`` where set."""
        fields = [("Cache-Control", self.cache_control())]
        no_cache = self.cacheability == "no-cache"
        if no_cache:
            fields.append(("Pragma", "no-cache"))
        if self.expires_at is not None:
            fields.append(("Expires", http_date(self.expires_at)))
        elif no_cache:
            fields.append(("Expires", "-1"))
        if self.modified is not None:
            fields.append(("Last-Modified", http_date(self.modified)))
        if self.entity_tag is not None:
            fields.append(("ETag", str(self.entity_tag)))
        if self.vary_fields:
            fields.append(("Vary", ", ".join(self.vary_fields)))
        return fields

    def extend(self, headers: Headers | list[tuple[str, str]]) -> None:
        """Put this policy's fields into ``headers`` (a response's
        :class:`~shallot.http.Headers`, or a list of pairs as WSGI takes them).

        Each field replaces any of that name already there, except ``Vary``, whose names are
        merged with those already listed (a gzip transform's ``Accept-Encoding`` stays).
        """
        fields = self.headers()
        if isinstance(headers, Headers):
            put_fields(headers, fields)
            return
        names = {name.lower() for name, _ in fields}
        previous_vary = [value for name, value in headers if name.lower() == "vary"]
        headers[:] = [item for item in headers if item[0].lower() not in names]
        for name, value in fields:
            if name == "Vary" and previous_vary:
                value = merge_vary(", ".join(previous_vary), value)
            headers.append((name, value))


def put_fields(headers: Headers, fields: Iterable[tuple[str, str]]) -> None:
    """Put policy ``fields`` into ``headers`` as :meth:`CachePolicy.extend` does: each replaces
    the field of its name, ``Vary`` merges."""
    if isinstance(
        fields, CheckedFields
    ):  # the usual case: none there yet, all appended as they are
        names = fields.names
        for name, _ in headers:
            if name.lower() in names:
                break
        else:
            headers.extend(fields)
            return
    present = {name.lower() for name, _ in headers}
    appended = []
    for name, value in fields:
        if name.lower() not in present:
            appended.append((name, value))
        elif name == "Vary":
            headers[name] = merge_vary(headers.get(name), value)
        else:
            headers[name] = value
    headers.extend(appended)


def merge_vary(current: str | None, added: str) -> str:
    """The ``Vary`` value listing the names of ``current`` and then those of ``added`` not in it
    (compared without case); ``*`` absorbs everything."""
    if not current:
        return added
    names = [name.strip() for name in current.split(",") if name.strip()]
    seen = {name.lower() for name in names}
    if "*" in seen:
        return "*"
    for name in added.split(","):
        name = name.strip()
        if name == "*":
            return "*"
        if name and name.lower() not in seen:
            names.append(name)
            seen.add(name.lower())
    return ", ".join(names)
