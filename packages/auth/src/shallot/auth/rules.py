"""Realms and per-path rules: which realm a path belongs to, and who may read or write there.

This is the part WsgiDAV gives its *domain controllers* (``get_domain_realm``,
``require_authentication``, ``is_share_anonymous``), made typed: :class:`AccessPolicy` is the
protocol the :class:`~shallot.auth.middleware.Authenticator` asks, :class:`AccessRules` the
implementation built from :class:`PathRule` records::

    files = Realm("files", HtdigestUserStore("users.htdigest"), roles={"editors": ["alice"]})
    rules = AccessRules([
        PathRule("/", files, read=AUTHENTICATED, write=roles("editors")),
        PathRule("/public", files, read=ANYONE, write=NOBODY),
    ])

A request is a *read* (``GET``, ``HEAD``, ``OPTIONS``, ``PROPFIND``, ``REPORT``, ``SEARCH``) or a
*write* (everything else, ``PUT`` to ``UNLOCK``). ``COPY`` and ``MOVE`` also write to their
``Destination``: a WebDAV server checks that path with :meth:`AccessRules.permits` itself.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable

    from shallot.auth.realms import Realm

__all__ = [
    "ANYONE",
    "AUTHENTICATED",
    "NOBODY",
    "Access",
    "AccessPolicy",
    "AccessRules",
    "PathRule",
    "Principals",
    "access_for",
    "normalize_path",
    "roles",
    "users",
]

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PROPFIND", "REPORT", "SEARCH"})


class Access(enum.Enum):
    """What a request does to the resource it names."""

    READ = "read"
    WRITE = "write"


# Read on every request, so bound once: before Python 3.12 each attribute read on an Enum class
# goes through EnumType.__getattr__, which costs about as much as a function call.
_READ = Access.READ
_WRITE = Access.WRITE


def access_for(method: str) -> Access:
    """:attr:`Access.READ` for the methods that change nothing, :attr:`Access.WRITE` otherwise."""
    return _READ if method.upper() in _READ_METHODS else _WRITE


@dataclasses.dataclass(frozen=True, slots=True)
class Principals:
    """Who is admitted: ``anonymous`` callers, any ``authenticated`` user of the realm, the named
    ``users``, or the holders of ``roles`` (as the realm defines them).

    Combine with ``|``: ``users("bob") | roles("editors")``. Use the constants :data:`ANYONE`,
    :data:`AUTHENTICATED` and :data:`NOBODY` and the helpers :func:`users` and :func:`roles`.
    """

    anonymous: bool = False
    authenticated: bool = False
    users: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()

    def __or__(self, other: Principals) -> Principals:
        return Principals(
            self.anonymous or other.anonymous,
            self.authenticated or other.authenticated,
            self.users | other.users,
            self.roles | other.roles,
        )

    def admits(self, username: str | None, realm: Realm) -> bool:
        """Whether ``username`` (``None``: not authenticated) is admitted in ``realm``."""
        if self.anonymous:
            return True
        if username is None:
            return False
        if self.authenticated or username in self.users:
            return True
        return any(realm.has_role(username, role) for role in self.roles)


ANYONE = Principals(anonymous=True)
"""Everyone, without credentials."""

AUTHENTICATED = Principals(authenticated=True)
"""Every user who authenticates in the realm."""

NOBODY = Principals()
"""No one at all."""


def users(*names: str) -> Principals:
    """The named users (once authenticated)."""
    return Principals(users=frozenset(names))


def roles(*names: str) -> Principals:
    """The users holding any of the named roles in the realm."""
    return Principals(roles=frozenset(names))


@dataclasses.dataclass(frozen=True, slots=True)
class PathRule:
    """Under ``path`` (a prefix on ``/`` boundaries: ``/dav`` covers ``/dav`` and ``/dav/x``, not
    ``/dav2``), requests belong to ``realm``; ``read`` and ``write`` say who may do each."""

    path: str
    realm: Realm
    read: Principals = AUTHENTICATED
    write: Principals = AUTHENTICATED

    def __post_init__(self) -> None:
        if not self.path.startswith("/"):
            raise ValueError(f"a rule path must start with '/': {self.path!r}")
        object.__setattr__(self, "path", normalize_path(self.path))

    def principals(self, access: Access) -> Principals:
        """:attr:`read` or :attr:`write`."""
        return self.read if access is _READ else self.write


class AccessPolicy(Protocol):
    """What an authenticator asks about a path (relative to the application it guards)."""

    def realm_for(self, path: str) -> Realm | None:
        """The realm ``path`` belongs to; ``None`` when no rule covers it (refused with 403)."""
        ...

    def permits(self, path: str, username: str | None, access: Access) -> bool:
        """Whether ``username`` (``None``: anonymous) may do ``access`` at ``path``."""
        ...


def normalize_path(path: str) -> str:
    """``path`` with empty, ``.`` and ``..`` segments resolved (never above ``/``).

    Rules are matched on the normalised path, so ``/public/../private`` is judged as
    ``/private``, whatever the application below makes of it.
    """
    if (
        path.startswith("/")
        and "//" not in path
        and "/." not in path
        and (path == "/" or not path.endswith("/"))
    ):
        return path  # already normal: every segment is non-empty and neither "." nor ".."
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    return "/" + "/".join(segments)


class AccessRules:
    """An :class:`AccessPolicy` from :class:`PathRule` records: the rule with the longest path
    covering a request wins. Paths no rule covers are refused (add a ``"/"`` rule to cover all).
    Two rules for the same path raise :class:`ValueError`.
    """

    __slots__ = ("_rules",)

    def __init__(self, rules: Iterable[PathRule]) -> None:
        by_path: dict[str, PathRule] = {}
        for rule in rules:
            if rule.path in by_path:
                raise ValueError(f"two rules for {rule.path!r}")
            by_path[rule.path] = rule
        self._rules = by_path

    @property
    def rules(self) -> tuple[PathRule, ...]:
        """The rules, in the order given."""
        return tuple(self._rules.values())

    def rule_for(self, path: str) -> PathRule | None:
        """The rule covering ``path`` (normalised first), or ``None``."""
        candidate = normalize_path(path)
        while True:
            rule = self._rules.get(candidate)
            if rule is not None:
                return rule
            if candidate == "/":
                return None
            candidate = candidate.rsplit("/", 1)[0] or "/"

    def realm_for(self, path: str) -> Realm | None:
        """See :meth:`AccessPolicy.realm_for`."""
        rule = self.rule_for(path)
        return None if rule is None else rule.realm

    def permits(self, path: str, username: str | None, access: Access) -> bool:
        """See :meth:`AccessPolicy.permits`."""
        rule = self.rule_for(path)
        return rule is not None and rule.principals(access).admits(username, rule.realm)
