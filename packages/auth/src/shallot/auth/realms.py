"""``Realm``: a protection space with its name, its users and their roles.

A realm is what a client is asked to log in to (the ``realm`` of a challenge, which browsers show)
and what an HA1 is computed for. Several paths can share one realm, so a client that logged in once
is not asked again elsewhere in it; see :mod:`shallot.auth.rules`.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import TYPE_CHECKING

from shallot.auth.challenges import check_realm_name

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from shallot.auth.stores import UserStore

__all__ = ["Realm"]


@dataclasses.dataclass(frozen=True, slots=True, init=False)
class Realm:
    """A realm ``name`` (printable ASCII), the :class:`~shallot.auth.stores.UserStore` of its users,
    and ``roles``: role name -> the user names holding it.

    ``Realm("files", DictUserStore({"alice": "pw"}), roles={"editors": ["alice"]})``. Roles are
    kept here rather than in the store because password files have no notion of them; a rule
    granting a role admits exactly the users listed for it here.
    """

    name: str
    users: UserStore
    roles: Mapping[str, frozenset[str]] = dataclasses.field(hash=False)

    def __init__(
        self, name: str, users: UserStore, roles: Mapping[str, Iterable[str]] | None = None
    ) -> None:
        object.__setattr__(self, "name", check_realm_name(name))
        object.__setattr__(self, "users", users)
        frozen = {role: frozenset(members) for role, members in (roles or {}).items()}
        object.__setattr__(self, "roles", MappingProxyType(frozen))

    def has_role(self, username: str, role: str) -> bool:
        """Whether ``username`` holds ``role`` in this realm."""
        return username in self.roles.get(role, frozenset())
