"""Lock records: what a lock covers, what it conflicts with, and when it has expired."""

from __future__ import annotations

import dataclasses

import pytest

from shallot.locks import Depth, Lock, Scope


def make(
    root: str,
    depth: Depth = Depth.INFINITY,
    scope: Scope = Scope.EXCLUSIVE,
    expires_at: float | None = None,
) -> Lock:
    return Lock(
        token=f"urn:uuid:{root}",
        root=root,
        depth=depth,
        scope=scope,
        owner=None,
        principal=None,
        timeout=None if expires_at is None else 60,
        expires_at=expires_at,
    )


def test_a_lock_is_a_frozen_write_lock() -> None:
    lock = make("/a")
    assert lock.type == "write"
    assert lock.exclusive
    assert not make("/a", scope=Scope.SHARED).exclusive
    with pytest.raises(dataclasses.FrozenInstanceError):
        lock.root = "/b"  # type: ignore[misc]  # the point: records cannot change


def test_depth_infinity_covers_the_subtree() -> None:
    lock = make("/a", Depth.INFINITY)
    assert lock.covers("/a")
    assert lock.covers("/a/b/c")
    assert not lock.covers("/ab")
    assert not lock.covers("/")


def test_depth_zero_covers_the_root_only() -> None:
    lock = make("/a", Depth.ZERO)
    assert lock.covers("/a")
    assert not lock.covers("/a/b")


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        (make("/a"), make("/a"), True),
        (make("/a", scope=Scope.SHARED), make("/a", scope=Scope.SHARED), False),
        (make("/a", scope=Scope.SHARED), make("/a"), True),
        (make("/a"), make("/a/b", Depth.ZERO), True),
        (make("/a", Depth.ZERO), make("/a/b"), False),
        (make("/a", Depth.ZERO), make("/a", Depth.ZERO, Scope.SHARED), True),
        (make("/a", scope=Scope.SHARED), make("/a/b", scope=Scope.SHARED), False),
        (make("/a", scope=Scope.SHARED), make("/a/b", Depth.ZERO), True),
        (make("/a"), make("/ab"), False),
        (make("/"), make("/x/y/z", Depth.ZERO, Scope.SHARED), True),
    ],
)
def test_conflicts_are_symmetric(first: Lock, second: Lock, conflict: bool) -> None:
    assert first.conflicts_with(second) is conflict
    assert second.conflicts_with(first) is conflict


def test_expiry_and_remaining_seconds() -> None:
    lock = make("/a", expires_at=100.0)
    assert not lock.is_expired(99.9)
    assert lock.is_expired(100.0)
    assert lock.remaining(40.5) == 60
    assert lock.remaining(99.2) == 1
    assert lock.remaining(150.0) == 0
    forever = make("/a")
    assert not forever.is_expired(1e12)
    assert forever.remaining(1e12) is None


def test_refreshed_changes_only_the_timeout() -> None:
    lock = make("/a", expires_at=100.0)
    refreshed = lock.refreshed(300, 400.0)
    assert (refreshed.timeout, refreshed.expires_at) == (300, 400.0)
    assert dataclasses.replace(refreshed, timeout=60, expires_at=100.0) == lock
