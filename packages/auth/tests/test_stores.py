"""DictUserStore: plain-text passwords in code, every algorithm, constant-time checks."""

from __future__ import annotations

import pytest

from shallot.auth import stores
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


def test_dict_store_ha1_is_the_same_from_its_cache_in_every_realm() -> None:
    store = DictUserStore({"alice": "secret", "bob": "ünï"})
    for _ in range(2):
        for realm in ("files", "other realm"):
            for user, password in (("alice", "secret"), ("bob", "ünï")):
                for algorithm in DigestAlgorithm:
                    expected = ha1(algorithm.base, user, realm, password)
                    assert store.digest_ha1(realm, user, algorithm) == expected
    assert store.digest_ha1("files", "carol", DigestAlgorithm.SHA256) is None


def test_dict_store_ha1_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stores, "MAX_CACHED_HA1S", 2)
    store = DictUserStore({"alice": "secret"})
    for index in range(10):
        realm = f"realm {index}"
        expected = ha1(DigestAlgorithm.MD5, "alice", realm, "secret")
        assert store.digest_ha1(realm, "alice", DigestAlgorithm.MD5) == expected
    assert len(store._ha1s) <= 2  # the point: memory stays bounded
