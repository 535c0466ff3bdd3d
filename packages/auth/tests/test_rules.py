"""Rules: which realm a path belongs to, who may read or write, anonymous access, normalisation."""

from __future__ import annotations

import pytest

from shallot.auth import (
    ANYONE,
    AUTHENTICATED,
    NOBODY,
    Access,
    AccessRules,
    DictUserStore,
    PathRule,
    Principals,
    Realm,
    roles,
    users,
)
from shallot.auth.rules import access_for, normalize_path

STORE = DictUserStore({"alice": "a", "bob": "b", "carol": "c"})
FILES = Realm("files", STORE, roles={"editors": ["alice"]})
ADMIN = Realm("admin", STORE)

RULES = AccessRules(
    [
        PathRule("/", FILES, read=AUTHENTICATED, write=roles("editors") | users("bob")),
        PathRule("/public", FILES, read=ANYONE, write=NOBODY),
        PathRule("/admin/", ADMIN, read=users("carol"), write=users("carol")),
    ]
)


@pytest.mark.parametrize(
    ("path", "realm"),
    [
        ("/", "files"),
        ("/docs/a.txt", "files"),
        ("/public", "files"),
        ("/public/x", "files"),
        ("/publicity", "files"),
        ("/admin", "admin"),
        ("/admin/users", "admin"),
        ("//admin//users", "admin"),
        ("/public/../admin/x", "admin"),
    ],
)
def test_the_longest_covering_rule_names_the_realm(path: str, realm: str) -> None:
    found = RULES.realm_for(path)
    assert found is not None
    assert found.name == realm


@pytest.mark.parametrize(
    ("path", "user", "access", "allowed"),
    [
        ("/public/a", None, Access.READ, True),
        ("/public/a", None, Access.WRITE, False),
        ("/public/a", "alice", Access.WRITE, False),
        ("/publicity", None, Access.READ, False),
        ("/docs", None, Access.READ, False),
        ("/docs", "carol", Access.READ, True),
        ("/docs", "carol", Access.WRITE, False),
        ("/docs", "alice", Access.WRITE, True),
        ("/docs", "bob", Access.WRITE, True),
        ("/admin/x", "alice", Access.READ, False),
        ("/admin/x", "carol", Access.WRITE, True),
        ("/public/../docs", None, Access.READ, False),
    ],
)
def test_permits(path: str, user: str | None, access: Access, allowed: bool) -> None:
    assert RULES.permits(path, user, access) is allowed


def test_no_rule_covers_means_no_realm_and_no_permission() -> None:
    rules = AccessRules([PathRule("/dav", FILES)])
    assert rules.realm_for("/other") is None
    assert not rules.permits("/other", "alice", Access.READ)
    assert rules.rule_for("/dav/x") is rules.rules[0]


def test_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="start with"):
        PathRule("dav", FILES)
    with pytest.raises(ValueError, match="two rules"):
        AccessRules([PathRule("/dav/", FILES), PathRule("/dav", ADMIN)])
    assert PathRule("/dav/./x/", FILES).path == "/dav/x"


@pytest.mark.parametrize(
    ("method", "access"),
    [
        ("GET", Access.READ),
        ("head", Access.READ),
        ("OPTIONS", Access.READ),
        ("PROPFIND", Access.READ),
        ("REPORT", Access.READ),
        ("PUT", Access.WRITE),
        ("POST", Access.WRITE),
        ("DELETE", Access.WRITE),
        ("MKCOL", Access.WRITE),
        ("PROPPATCH", Access.WRITE),
        ("LOCK", Access.WRITE),
        ("MOVE", Access.WRITE),
    ],
)
def test_access_for(method: str, access: Access) -> None:
    assert access_for(method) is access


@pytest.mark.parametrize(
    ("path", "normalized"),
    [
        ("", "/"),
        ("/", "/"),
        ("/a/./b/", "/a/b"),
        ("/../../a", "/a"),
        ("/a/b/../../..", "/"),
        ("/a/b", "/a/b"),
        ("/a/b/", "/a/b"),
        ("a/b", "/a/b"),
        ("//a", "/a"),
        ("/.hidden/x", "/.hidden/x"),
        ("/a/.", "/a"),
        ("/a/..", "/"),
    ],
)
def test_normalize_path(path: str, normalized: str) -> None:
    assert normalize_path(path) == normalized


def test_principals() -> None:
    assert ANYONE.admits(None, FILES)
    assert not AUTHENTICATED.admits(None, FILES)
    assert AUTHENTICATED.admits("anyone", FILES)
    assert not NOBODY.admits("alice", FILES)
    editors = roles("editors")
    assert editors.admits("alice", FILES)
    assert not editors.admits("alice", ADMIN)
    combined = users("bob") | editors | Principals(anonymous=False)
    assert combined.users == {"bob"}
    assert combined.roles == {"editors"}
    assert (NOBODY | ANYONE).anonymous
