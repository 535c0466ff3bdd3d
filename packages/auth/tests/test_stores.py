"""DictUserStore: plain-text passwords in code, every algorithm, constant-time checks."""

from __future__ import annotations

import pytest

from shallot.auth.digest import DigestAlgorithm, ha1
from shallot.auth.stores import DictUserStore, UserStore


def test_dict_store_gives_ha1_for_every_algorithm() -> None:
    store: UserStore = DictUserStore({"alice": "secret"})
    for algorithm in DigestAlgorithm:
        expected = ha1(algorithm.base, "alice", "files", "secret")
        assert store.digest_ha1("files", "alice", algorithm) == expected
    assert store.digest_ha1("files", "bob", DigestAlgorithm.MD5) is None


def test_dict_store_checks_passwords() -> None:
    store = DictUserStore({"alice": "secret", "bob": "ünï"})
    assert store.check_password("any realm", "alice", "secret")
    assert store.check_password("files", "bob", "ünï")
    assert not store.check_password("files", "alice", "Secret")
    assert not store.check_password("files", "carol", "secret")
    assert sorted(store.usernames("files")) == ["alice", "bob"]


def test_dict_store_copies_its_input() -> None:
    passwords = {"alice": "secret"}
    store = DictUserStore(passwords)
    passwords["alice"] = "changed"
    passwords["mallory"] = "x"
    assert store.check_password("r", "alice", "secret")
    assert not store.check_password("r", "mallory", "x")


def test_empty_user_names_are_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        DictUserStore({"": "pw"})
