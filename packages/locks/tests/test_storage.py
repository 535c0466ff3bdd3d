"""The LockStorage protocol, called directly: the same suite over memory, SQLite and Redis."""

from __future__ import annotations

import threading
import uuid
from typing import TYPE_CHECKING

from shallot.locks import Depth, Lock, LockConflict, LockManager, Scope

if TYPE_CHECKING:
    from shallot.locks import LockStorage

NOW = 1_000.0


def make(
    root: str,
    depth: Depth = Depth.INFINITY,
    scope: Scope = Scope.EXCLUSIVE,
    expires_at: float | None = NOW + 60,
) -> Lock:
    return Lock(
        token=f"urn:uuid:{uuid.uuid4()}",
        root=root,
        depth=depth,
        scope=scope,
        owner="<D:owner xmlns:D='DAV:'>ann</D:owner>",
        principal="ann",
        timeout=None if expires_at is None else 60,
        expires_at=expires_at,
    )


def tokens(locks: list[Lock]) -> set[str]:
    return {lock.token for lock in locks}


def test_create_stores_or_returns_the_conflicts(storage: LockStorage) -> None:
    first = make("/a")
    assert storage.create(first, NOW) == []
    assert storage.get(first.token, NOW) == first
    second = make("/a/b", Depth.ZERO, Scope.SHARED)
    assert storage.create(second, NOW) == [first]
    assert storage.get(second.token, NOW) is None
    assert storage.find("/a", NOW, below=True) == [first]


def test_a_record_round_trips_with_and_without_optional_fields(storage: LockStorage) -> None:
    full = make("/full")
    bare = Lock("urn:uuid:bare", "/bare", Depth.ZERO, Scope.SHARED, None, None, None, None)
    for lock in (full, bare):
        assert storage.create(lock, NOW) == []
        assert storage.get(lock.token, NOW) == lock


def test_find_above_at_and_below(storage: LockStorage) -> None:
    locks = {
        root: make(root, depth, Scope.SHARED)
        for root, depth in [
            ("/", Depth.INFINITY),
            ("/a", Depth.ZERO),
            ("/a/b", Depth.INFINITY),
            ("/a/b/c", Depth.ZERO),
            ("/a/b/c/d", Depth.ZERO),
            ("/a/bc", Depth.ZERO),
        ]
    }
    for lock in locks.values():
        assert storage.create(lock, NOW) == []

    def roots(url: str, below: bool) -> set[str]:
        return {lock.root for lock in storage.find(url, NOW, below=below)}

    assert roots("/a/b", below=False) == {"/", "/a/b"}
    assert roots("/a/b", below=True) == {"/", "/a/b", "/a/b/c", "/a/b/c/d"}
    assert roots("/a", below=False) == {"/", "/a"}
    assert roots("/", below=True) == set(locks)
    assert roots("/zzz", below=True) == {"/"}


def test_find_with_the_parent_adds_its_locks_of_any_depth(storage: LockStorage) -> None:
    for root, depth, expires_at in [
        ("/", Depth.INFINITY, NOW + 60),
        ("/a", Depth.ZERO, NOW + 60),
        ("/a/b", Depth.INFINITY, NOW + 60),
        ("/a/b/c", Depth.ZERO, NOW + 60),
        ("/a/b/c/d", Depth.ZERO, NOW + 60),
        ("/a/bc", Depth.ZERO, NOW + 60),
        ("/a/bc", Depth.ZERO, NOW + 5),  # expired at the reading below
    ]:
        assert storage.create(make(root, depth, Scope.SHARED, expires_at), NOW) == []

    def roots(url: str, below: bool) -> set[str]:
        return {lock.root for lock in storage.find(url, NOW + 10, below=below, parent=True)}

    # The depth-0 lock on the parent comes in; one on a further ancestor does not.
    assert roots("/a/b/c/d", below=False) == {"/", "/a/b", "/a/b/c", "/a/b/c/d"}
    assert roots("/a/b", below=False) == {"/", "/a", "/a/b"}
    assert roots("/a/b", below=True) == {"/", "/a", "/a/b", "/a/b/c", "/a/b/c/d"}
    assert roots("/a/bc/new", below=False) == {"/", "/a/bc"}
    assert len(storage.find("/a/bc/new", NOW + 10, below=False, parent=True)) == 2  # not expired
    assert roots("/a/x", below=False) == {"/", "/a"}
    assert roots("/", below=True) == {"/", "/a", "/a/b", "/a/b/c", "/a/b/c/d", "/a/bc"}
    assert roots("/", below=False) == {"/"}


def test_an_expired_lock_is_invisible_at_once(storage: LockStorage) -> None:
    lock = make("/a", expires_at=NOW + 10)
    assert storage.create(lock, NOW) == []
    assert storage.get(lock.token, NOW + 9.99) == lock
    assert storage.get(lock.token, NOW + 10) is None
    assert storage.find("/a/b", NOW + 10, below=True) == []
    assert storage.refresh(lock.token, 60, NOW + 70, NOW + 10) is None
    successor = make("/a", expires_at=NOW + 100)
    assert storage.create(successor, NOW + 10) == []
    assert storage.find("/a", NOW + 10, below=False) == [successor]


def test_refresh(storage: LockStorage) -> None:
    lock = make("/a", expires_at=NOW + 10)
    storage.create(lock, NOW)
    refreshed = storage.refresh(lock.token, 300, NOW + 305, NOW + 5)
    assert refreshed == lock.refreshed(300, NOW + 305)
    assert storage.get(lock.token, NOW + 200) == refreshed
    assert storage.refresh("urn:uuid:unknown", 300, NOW + 300, NOW) is None
    forever = storage.refresh(lock.token, None, None, NOW + 6)
    assert forever == lock.refreshed(None, None)
    assert storage.get(lock.token, NOW + 1e9) == forever


def test_release(storage: LockStorage) -> None:
    lock = make("/a")
    other = make("/a", scope=Scope.SHARED)
    storage.create(make("/b"), NOW)
    assert storage.create(other, NOW) == []
    assert storage.release(other.token, "/a", "ann", NOW) is True
    assert storage.release(other.token, "/a", "ann", NOW) is False
    assert storage.create(lock, NOW) == []
    assert storage.find("/a", NOW, below=False) == [lock]


def test_release_only_what_the_url_and_principal_may(storage: LockStorage) -> None:
    """A lock is released only through a URL it covers, by its principal, while it lives; a
    lock taken without a principal by anyone."""
    tree = make("/a", Depth.INFINITY, Scope.SHARED)  # principal ann
    flat = make("/a/b/c", Depth.ZERO, Scope.SHARED)
    anyone = Lock("urn:uuid:anyone", "/x", Depth.ZERO, Scope.SHARED, None, None, 60, NOW + 60)
    brief = make("/brief", expires_at=NOW + 5)
    for lock in (tree, flat, anyone, brief):
        assert storage.create(lock, NOW) == []
    assert storage.release(flat.token, "/a/b", "ann", NOW) is False  # an ancestor: not covered
    assert storage.release(flat.token, "/a/b/c/d", "ann", NOW) is False  # depth 0: not below
    assert storage.release(tree.token, "/ab", "ann", NOW) is False  # a sibling sharing a prefix
    assert storage.release(tree.token, "/a/b", "bob", NOW) is False
    assert storage.release(tree.token, "/a/b", None, NOW) is False
    assert storage.release(brief.token, "/brief", "ann", NOW + 5) is False  # expired
    assert storage.get(tree.token, NOW) == tree
    assert storage.get(flat.token, NOW) == flat
    # Below a depth-infinity root:
    assert storage.release(tree.token, "/a/b/c/d", "ann", NOW) is True
    assert storage.release(flat.token, "/a/b/c", "ann", NOW) is True
    assert storage.release(anyone.token, "/x", "bob", NOW) is True
    assert storage.find("/", NOW + 5, below=True) == []


def test_delete_tree_touches_the_subtree_only(storage: LockStorage) -> None:
    kept = [make("/ab"), make("/a-b"), make("/", Depth.ZERO)]
    gone = [make("/a", Depth.ZERO), make("/a/b"), make("/a/c/d/e")]
    for lock in kept + gone:
        assert storage.create(lock, NOW) == []
    storage.delete_tree("/a")
    assert tokens(storage.find("/", NOW, below=True)) == tokens(kept)
    storage.delete_tree("/")
    assert storage.find("/", NOW + 5, below=True) == []


def test_threads_racing_for_one_url_have_one_winner(storage: LockStorage) -> None:
    threads, rounds = 8, 25
    barrier = threading.Barrier(threads)
    manager = LockManager(storage)
    outcomes: list[list[str]] = [[] for _ in range(rounds)]

    def racer() -> None:
        for round_ in range(rounds):
            barrier.wait(timeout=60)
            try:
                manager.lock(f"/thread-race/{round_}")
                outcomes[round_].append("won")
            except LockConflict:
                outcomes[round_].append("conflict")

    running = [threading.Thread(target=racer) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout=120)
    for results in outcomes:
        assert sorted(results) == ["conflict"] * (threads - 1) + ["won"]
