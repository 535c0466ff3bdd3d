"""Errors carry what a server needs to answer: status, precondition, the locks in the way."""

from __future__ import annotations

from shallot.locks import (
    Depth,
    InvalidTimeout,
    InvalidURL,
    Lock,
    LockConflict,
    LockError,
    LockNotFound,
    LockOwnerMismatch,
    Scope,
)


def make(token: str, root: str, principal: str | None = "ann") -> Lock:
    return Lock(token, root, Depth.ZERO, Scope.SHARED, None, principal, None, None)


def test_lock_conflict_names_each_root_once() -> None:
    locks = (make("t1", "/a"), make("t2", "/a"), make("t3", "/a/b"))
    conflict = LockConflict("/a/b", locks, "lock-token-submitted")
    assert conflict.status == 423
    assert conflict.locks == locks
    assert conflict.roots == ("/a", "/a/b")
    assert conflict.condition == "lock-token-submitted"
    assert str(conflict) == "/a/b is locked by /a, /a/b (lock-token-submitted)"


def test_every_error_is_a_lock_error_with_a_status() -> None:
    lock = make("t1", "/a")
    errors: list[LockError] = [
        LockConflict("/a", (lock,), "no-conflicting-lock"),
        LockNotFound("t9", "/a"),
        LockOwnerMismatch(lock, "bob"),
        InvalidTimeout("Second-0", "a timeout must be at least one second"),
        InvalidURL("/..", "'.' and '..' segments are refused"),
    ]
    assert [error.status for error in errors] == [423, 409, 403, 400, 400]


def test_errors_keep_their_details() -> None:
    lock = make("t1", "/a")
    mismatch = LockOwnerMismatch(lock, "bob")
    assert (mismatch.lock, mismatch.principal) == (lock, "bob")
    assert str(mismatch) == f"{lock.token} belongs to 'ann', not 'bob'"
    missing = LockNotFound("t9")
    assert (missing.token, missing.url) == ("t9", None)
    assert str(LockNotFound("t9", "/a")) == "no live lock t9 on /a"
