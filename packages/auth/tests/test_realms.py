"""Realm: a checked name, its store, roles frozen."""

from __future__ import annotations

import pytest

from shallot.auth import DictUserStore, Realm


def test_roles_are_frozen_copies() -> None:
    members = ["alice"]
    realm = Realm("files", DictUserStore({}), roles={"editors": members})
    members.append("mallory")
    assert realm.has_role("alice", "editors")
    assert not realm.has_role("mallory", "editors")
    assert not realm.has_role("alice", "admins")
    assert realm.roles["editors"] == frozenset({"alice"})


def test_the_name_must_be_sendable() -> None:
    with pytest.raises(ValueError, match="realm"):
        Realm("bad\nname", DictUserStore({}))


def test_realms_are_immutable() -> None:
    realm = Realm("files", DictUserStore({}))
    with pytest.raises(AttributeError):
        realm.name = "other"  # type: ignore[misc]  # frozen: the assignment is what is tested
