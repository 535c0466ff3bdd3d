"""RFC 4918 locking through LockManager: the same suite over memory, SQLite and Redis."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from shallot.locks import (
    DEFAULT_MAX_TIMEOUT,
    Depth,
    InvalidTimeout,
    InvalidURL,
    LockConflict,
    LockManager,
    LockNotFound,
    LockOwnerMismatch,
    Scope,
)

if TYPE_CHECKING:
    from packages.locks.tests.conftest import FakeClock
    from shallot.locks import LockStorage

ZERO, INFINITY = Depth.ZERO, Depth.INFINITY
OWNER = '<D:owner xmlns:D="DAV:">\n  <D:href>mailto:ann@example.org</D:href> Änn\n</D:owner>'


def test_a_new_lock_has_every_field(manager: LockManager, clock: FakeClock) -> None:
    lock = manager.lock(
        "/docs/", depth=INFINITY, exclusive=True, owner=OWNER, principal="ann", timeout=600
    )
    assert lock.token.startswith("urn:uuid:")
    assert uuid.UUID(lock.token.removeprefix("urn:uuid:")).version == 4
    assert lock.root == "/docs"
    assert (lock.depth, lock.scope, lock.type) == (INFINITY, Scope.EXCLUSIVE, "write")
    assert lock.owner == OWNER
    assert lock.principal == "ann"
    assert lock.timeout == 600
    assert lock.expires_at == clock.now + 600
    assert manager.get(lock.token) == lock
    assert manager.discover("/docs") == [lock]


def test_defaults_are_an_exclusive_depth_infinity_lock_without_owner(
    manager: LockManager,
) -> None:
    lock = manager.lock("/a")
    assert (lock.depth, lock.scope, lock.owner, lock.principal) == (
        INFINITY,
        Scope.EXCLUSIVE,
        None,
        None,
    )
    assert lock.timeout == DEFAULT_MAX_TIMEOUT


def test_tokens_are_unique(manager: LockManager) -> None:
    tokens = {manager.lock(f"/file{n}").token for n in range(50)}
    assert len(tokens) == 50


def test_exclusive_locks_exclude_each_other(manager: LockManager) -> None:
    first = manager.lock("/a", principal="ann")
    with pytest.raises(LockConflict) as caught:
        manager.lock("/a", principal="ann")
    assert caught.value.locks == (first,)
    assert caught.value.condition == "no-conflicting-lock"
    assert caught.value.url == "/a"
    assert manager.discover("/a") == [first]


def test_shared_locks_coexist(manager: LockManager) -> None:
    ann = manager.lock("/a", exclusive=False, principal="ann")
    bob = manager.lock("/a", exclusive=False, principal="bob")
    assert {lock.token for lock in manager.discover("/a")} == {ann.token, bob.token}


@pytest.mark.parametrize("first_exclusive", [True, False])
def test_shared_and_exclusive_conflict_both_ways(
    manager: LockManager, first_exclusive: bool
) -> None:
    first = manager.lock("/a", exclusive=first_exclusive)
    with pytest.raises(LockConflict) as caught:
        manager.lock("/a", exclusive=not first_exclusive)
    assert caught.value.locks == (first,)


@pytest.mark.parametrize("exclusive", [True, False])
def test_depth_infinity_covers_every_descendant(manager: LockManager, exclusive: bool) -> None:
    collection = manager.lock("/c/", depth=INFINITY)
    with pytest.raises(LockConflict) as caught:
        manager.lock("/c/x/y", depth=ZERO, exclusive=exclusive)
    assert caught.value.locks == (collection,)
    manager.lock("/cd", depth=ZERO)
    manager.lock("/", depth=ZERO)


def test_depth_zero_does_not_cover_members(manager: LockManager) -> None:
    collection = manager.lock("/c", depth=ZERO)
    member = manager.lock("/c/x", depth=INFINITY)
    assert manager.discover("/c/x") == [member]
    with pytest.raises(LockConflict) as caught:
        manager.lock("/c", depth=INFINITY)
    assert caught.value.locks == (collection, member)


@pytest.mark.parametrize("member_exclusive", [True, False])
def test_a_lock_below_blocks_an_exclusive_depth_infinity_lock(
    manager: LockManager, member_exclusive: bool
) -> None:
    member = manager.lock("/c/x/y", depth=ZERO, exclusive=member_exclusive)
    with pytest.raises(LockConflict) as caught:
        manager.lock("/c", depth=INFINITY, exclusive=True)
    assert caught.value.locks == (member,)
    with pytest.raises(LockConflict):
        manager.lock("/", depth=INFINITY, exclusive=True)
    manager.lock("/c", depth=ZERO, exclusive=True)
    manager.lock("/c/x-other", depth=INFINITY, exclusive=True)


def test_shared_depth_infinity_coexists_with_shared_locks_below_only(
    manager: LockManager,
) -> None:
    manager.lock("/c/x", depth=ZERO, exclusive=False)
    manager.lock("/c", depth=INFINITY, exclusive=False)
    exclusive_member = manager.lock("/d/x", depth=ZERO, exclusive=True)
    with pytest.raises(LockConflict) as caught:
        manager.lock("/d", depth=INFINITY, exclusive=False)
    assert caught.value.locks == (exclusive_member,)


def test_a_conflict_names_every_lock_in_the_way(manager: LockManager) -> None:
    in_the_way = [
        manager.lock("/a/x", exclusive=False),
        manager.lock("/a/x", exclusive=False),
        manager.lock("/a/y/z", depth=ZERO),
    ]
    manager.lock("/ab")
    with pytest.raises(LockConflict) as caught:
        manager.lock("/a")
    assert set(caught.value.locks) == set(in_the_way)
    assert caught.value.roots == ("/a/x", "/a/y/z")


def test_spellings_of_one_url_meet_the_same_locks(manager: LockManager) -> None:
    lock = manager.lock("/a%7eb/c/")
    for spelling in ("/a~b/c", "/a%7Eb//c", "/a~b/c/"):
        with pytest.raises(LockConflict):
            manager.lock(spelling)
    assert manager.discover("/a%7eb/c/d") == [lock]
    manager.lock("/A~b/c")
    manager.lock("/a~b%2Fc")


@pytest.mark.parametrize("url", ["relative", "/a/../b", "/a?q", "/%zz"])
def test_a_bad_url_is_refused_before_anything_is_stored(manager: LockManager, url: str) -> None:
    with pytest.raises(InvalidURL):
        manager.lock(url)
    with pytest.raises(InvalidURL):
        manager.discover(url)
    assert manager.discover("/") == []
    manager.lock("/", depth=INFINITY)


def test_timeouts_are_capped_by_the_maximum(storage: LockStorage, clock: FakeClock) -> None:
    manager = LockManager(storage, max_timeout=100, clock=clock)
    assert manager.lock("/infinite", timeout=None).timeout == 100
    assert manager.lock("/long", timeout=1000).timeout == 100
    assert manager.lock("/short", timeout=50).timeout == 50


def test_without_a_maximum_an_infinite_lock_never_expires(
    storage: LockStorage, clock: FakeClock
) -> None:
    manager = LockManager(storage, max_timeout=None, clock=clock)
    lock = manager.lock("/forever")
    assert (lock.timeout, lock.expires_at) == (None, None)
    clock.advance(10 * 365 * 24 * 3600)
    assert manager.get(lock.token) == lock


@pytest.mark.parametrize("timeout", [0, -5, 2**32])
def test_bad_timeouts_are_refused_before_anything_is_stored(
    manager: LockManager, timeout: int
) -> None:
    with pytest.raises(InvalidTimeout):
        manager.lock("/a", timeout=timeout)
    assert manager.discover("/a") == []
    lock = manager.lock("/a")
    with pytest.raises(InvalidTimeout):
        manager.refresh(lock.token, timeout=timeout)
    assert manager.get(lock.token) == lock


def test_a_bad_maximum_is_refused(storage: LockStorage) -> None:
    with pytest.raises(InvalidTimeout):
        LockManager(storage, max_timeout=0)


def test_an_expired_lock_is_gone_for_every_reader(
    manager: LockManager, storage: LockStorage, clock: FakeClock
) -> None:
    lock = manager.lock("/c", timeout=10, principal="ann")
    other_reader = LockManager(storage, clock=clock)
    clock.advance(9.5)
    assert other_reader.discover("/c/x") == [lock]
    clock.advance(0.5)
    assert manager.get(lock.token) is None
    assert other_reader.discover("/c/x") == []
    other_reader.check_write_permission("/c", INFINITY, [], "bob")
    with pytest.raises(LockNotFound):
        manager.refresh(lock.token, principal="ann")
    with pytest.raises(LockNotFound):
        manager.unlock("/c", lock.token, principal="ann")
    assert other_reader.lock("/c/x", principal="bob").principal == "bob"


def test_refresh_restarts_the_timeout(manager: LockManager, clock: FakeClock) -> None:
    lock = manager.lock("/c", timeout=10, principal="ann")
    clock.advance(8)
    refreshed = manager.refresh(lock.token, url="/c/x", timeout=30, principal="ann")
    assert refreshed == lock.refreshed(30, clock.now + 30)
    assert manager.get(lock.token) == refreshed
    clock.advance(29)
    assert manager.discover("/c") == [refreshed]
    assert manager.refresh(lock.token, principal="ann").timeout == DEFAULT_MAX_TIMEOUT


def test_refresh_to_infinite_without_a_maximum(storage: LockStorage, clock: FakeClock) -> None:
    manager = LockManager(storage, max_timeout=None, clock=clock)
    lock = manager.lock("/c", timeout=10)
    refreshed = manager.refresh(lock.token)
    assert (refreshed.timeout, refreshed.expires_at) == (None, None)
    clock.advance(1000)
    assert manager.get(lock.token) == refreshed


def test_refresh_checks_token_url_and_principal(manager: LockManager) -> None:
    lock = manager.lock("/c", depth=ZERO, timeout=10, principal="ann")
    with pytest.raises(LockNotFound) as missing:
        manager.refresh("urn:uuid:" + str(uuid.uuid4()), principal="ann")
    assert missing.value.url is None
    with pytest.raises(LockNotFound) as elsewhere:
        manager.refresh(lock.token, url="/c/x", principal="ann")
    assert elsewhere.value.url == "/c/x"
    with pytest.raises(LockOwnerMismatch) as mismatch:
        manager.refresh(lock.token, url="/c", principal="bob")
    assert mismatch.value.lock == lock
    assert manager.get(lock.token) == lock


def test_unlock_by_token_and_principal(manager: LockManager) -> None:
    lock = manager.lock("/c", principal="ann")
    with pytest.raises(LockOwnerMismatch):
        manager.unlock("/c", lock.token, principal="bob")
    with pytest.raises(LockOwnerMismatch):
        manager.unlock("/c", lock.token)
    with pytest.raises(LockNotFound):
        manager.unlock("/other", lock.token, principal="ann")
    assert manager.get(lock.token) == lock
    manager.unlock("/c/member/", lock.token, principal="ann")
    assert manager.get(lock.token) is None
    assert manager.discover("/c") == []
    with pytest.raises(LockNotFound):
        manager.unlock("/c", lock.token, principal="ann")
    manager.lock("/c", principal="bob")


def test_unlock_of_one_shared_lock_keeps_the_others(manager: LockManager) -> None:
    ann = manager.lock("/f", exclusive=False, principal="ann")
    bob = manager.lock("/f", exclusive=False, principal="bob")
    manager.unlock("/f", ann.token, principal="ann")
    assert manager.discover("/f") == [bob]


def test_a_lock_without_principal_is_released_by_its_token(manager: LockManager) -> None:
    lock = manager.lock("/c")
    manager.unlock("/c", lock.token, principal="anyone")
    assert manager.get(lock.token) is None


def test_discovery_includes_inherited_locks_only(manager: LockManager) -> None:
    root = manager.lock("/", depth=INFINITY, exclusive=False)
    manager.lock("/a", depth=ZERO, exclusive=False)
    parent = manager.lock("/a/b", depth=INFINITY, exclusive=False)
    own = manager.lock("/a/b/c", depth=ZERO, exclusive=False)
    manager.lock("/a/b/c/d", depth=ZERO, exclusive=False)
    manager.lock("/a/b/cd", depth=ZERO, exclusive=False)
    assert manager.discover("/a/b/c/") == [root, parent, own]
    assert manager.discover("/a/b/x") == [root, parent]
    assert manager.discover("/z") == [root]


def test_tree_discovery_adds_every_lock_below(manager: LockManager, clock: FakeClock) -> None:
    root = manager.lock("/", depth=INFINITY, exclusive=False)
    manager.lock("/a", depth=ZERO, exclusive=False)
    own = manager.lock("/a/b", depth=ZERO, exclusive=False)
    child = manager.lock("/a/b/c", depth=ZERO, exclusive=False)
    grandchild = manager.lock("/a/b/c/d", depth=INFINITY, exclusive=False)
    manager.lock("/a/bc", depth=ZERO, exclusive=False)
    short = manager.lock("/a/b/e", depth=ZERO, exclusive=False, timeout=5)
    assert manager.discover_tree("/a/b/") == sorted(
        [root, own, child, grandchild, short], key=lambda lock: (lock.root, lock.token)
    )
    clock.advance(10)
    assert short not in manager.discover_tree("/a/b")
    assert manager.discover_tree("/z") == [root]


def test_writing_an_unlocked_url_needs_nothing(manager: LockManager) -> None:
    manager.lock("/ab")
    manager.lock("/a", depth=ZERO)
    manager.check_write_permission("/a/b", INFINITY, [])
    manager.check_write_permission("/b", ZERO, [], "ann")


def test_writing_a_locked_url_needs_the_token_and_the_principal(manager: LockManager) -> None:
    lock = manager.lock("/a", principal="ann")
    other = manager.lock("/b", principal="ann")
    for tokens, principal in [
        ([], "ann"),
        ([other.token], "ann"),
        ([lock.token], "bob"),
        ([lock.token], None),
    ]:
        with pytest.raises(LockConflict) as caught:
            manager.check_write_permission("/a", ZERO, tokens, principal)
        assert caught.value.locks == (lock,)
        assert caught.value.condition == "lock-token-submitted"
        assert caught.value.roots == ("/a",)
    manager.check_write_permission("/a", ZERO, [other.token, lock.token], "ann")


def test_writing_below_a_depth_infinity_lock_needs_its_token(manager: LockManager) -> None:
    lock = manager.lock("/c/", depth=INFINITY, principal="ann")
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/c/new-file", ZERO, [], "ann")
    assert caught.value.roots == ("/c",)
    manager.check_write_permission("/c/new-file", ZERO, {lock.token}, "ann")


def test_a_depth_zero_lock_protects_the_collection_not_its_members(
    manager: LockManager,
) -> None:
    lock = manager.lock("/c", depth=ZERO, principal="ann")
    manager.check_write_permission("/c/member", ZERO, [], "bob")
    with pytest.raises(LockConflict):
        manager.check_write_permission("/c", ZERO, [], "bob")
    manager.check_write_permission("/c", ZERO, [lock.token], "ann")


def test_a_recursive_write_needs_the_tokens_of_locks_below(manager: LockManager) -> None:
    bobs = manager.lock("/c/x/y", depth=ZERO, principal="bob")
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/c", INFINITY, [], "ann")
    assert caught.value.locks == (bobs,)
    assert caught.value.url == "/c"
    with pytest.raises(LockConflict):
        manager.check_write_permission("/c", INFINITY, [bobs.token], "ann")
    manager.check_write_permission("/c", INFINITY, [bobs.token], "bob")
    manager.check_write_permission("/c", ZERO, [], "ann")


def test_one_shared_token_is_enough(manager: LockManager) -> None:
    ann = manager.lock("/f", exclusive=False, principal="ann")
    bob = manager.lock("/f", exclusive=False, principal="bob")
    manager.check_write_permission("/f", ZERO, [ann.token], "ann")
    manager.check_write_permission("/f", ZERO, [bob.token], "bob")
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/f", ZERO, [], "carol")
    assert set(caught.value.locks) == {ann, bob}


def test_members_covered_only_by_a_depth_infinity_lock_need_its_token(
    manager: LockManager,
) -> None:
    anns = manager.lock("/c", depth=INFINITY, exclusive=False, principal="ann")
    bobs = manager.lock("/c", depth=ZERO, exclusive=False, principal="bob")
    manager.check_write_permission("/c", ZERO, [bobs.token], "bob")
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/c", INFINITY, [bobs.token], "bob")
    assert caught.value.locks == (anns,)
    manager.check_write_permission("/c", INFINITY, [anns.token], "ann")


def test_creating_or_removing_a_member_needs_the_parents_tokens_too(manager: LockManager) -> None:
    folder = manager.lock("/c", depth=ZERO)
    file = manager.lock("/c/f", depth=ZERO, principal="bob")
    deep = manager.lock("/c/d/x", depth=ZERO, principal="bob")
    manager.check_write_permission("/c/new", ZERO, [], "bob")
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/c/new", ZERO, [], "bob", parent=True)
    assert (caught.value.locks, caught.value.url) == ((folder,), "/c/new")
    manager.check_write_permission("/c/new", ZERO, [folder.token], "bob", parent=True)
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/c/f", ZERO, [], "bob", parent=True)
    assert caught.value.locks == (folder, file)
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/c/f", ZERO, [file.token], "bob", parent=True)
    assert caught.value.locks == (folder,)
    manager.check_write_permission("/c/f", ZERO, [folder.token, file.token], "bob", parent=True)
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/c/d", INFINITY, [folder.token], "bob", parent=True)
    assert caught.value.locks == (deep,)
    manager.check_write_permission("/c/d", INFINITY, [folder.token, deep.token], "bob", parent=True)
    manager.check_write_permission("/c", ZERO, [folder.token], None, parent=True)
    top = manager.lock("/", depth=ZERO)
    with pytest.raises(LockConflict) as caught:
        manager.check_write_permission("/c", ZERO, [folder.token], None, parent=True)
    assert caught.value.locks == (top,)
    manager.check_write_permission("/", ZERO, [top.token], None, parent=True)


def test_a_lock_without_principal_accepts_its_token_from_anyone(manager: LockManager) -> None:
    lock = manager.lock("/a")
    manager.check_write_permission("/a", INFINITY, [lock.token], "whoever")
    manager.check_write_permission("/a/b", ZERO, [lock.token], None)


def test_delete_tree_removes_the_subtree_locks_only(manager: LockManager) -> None:
    root = manager.lock("/", depth=INFINITY, exclusive=False)
    gone = [
        manager.lock("/a", depth=ZERO, exclusive=False),
        manager.lock("/a/b/c", exclusive=False),
        manager.lock("/a/b/c", exclusive=False),
    ]
    kept = manager.lock("/ab", exclusive=False)
    manager.delete_tree("/a/")
    assert all(manager.get(lock.token) is None for lock in gone)
    assert manager.discover("/a/b/c") == [root]
    assert manager.discover("/ab") == [root, kept]
    manager.lock("/a/b/c", depth=ZERO, exclusive=False)


def test_move_tree_ends_the_locks_of_both_trees(manager: LockManager) -> None:
    source = manager.lock("/src", depth=ZERO)
    source_member = manager.lock("/src/x", depth=INFINITY)
    below = manager.lock("/dst/old/file", depth=ZERO)
    replaced = manager.lock("/dst/old", depth=ZERO)
    parent = manager.lock("/dst", depth=ZERO)
    sibling = manager.lock("/src-sibling", depth=ZERO)
    inherited = manager.lock("/up", depth=INFINITY, exclusive=False)
    target = manager.lock("/up/target", depth=ZERO, exclusive=False)
    manager.move_tree("/src", "/dst/old")
    for lock in (source, source_member, below, replaced):
        assert manager.get(lock.token) is None
    assert manager.get(parent.token) == parent
    assert manager.get(sibling.token) == sibling
    manager.move_tree("/dst/old", "/up/target/")
    assert manager.get(target.token) is None
    assert manager.discover("/up/target") == [inherited]
