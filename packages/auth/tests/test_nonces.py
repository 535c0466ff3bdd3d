"""Stateless nonces: issue time inside, signed, stale after the timeout, tampering detected."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from shallot.auth import nonces as nonces_module
from shallot.auth.nonces import NonceManager, NonceStatus

if TYPE_CHECKING:
    from packages.auth.tests.conftest import FakeClock

SECRET = b"0123456789abcdef0123456789abcdef"


def flip(text: str, index: int) -> str:
    """``text`` with one base64url character changed."""
    char = "B" if text[index] != "B" else "C"
    return text[:index] + char + text[index + 1 :]


def test_a_fresh_nonce_is_valid_and_carries_its_issue_time(clock: FakeClock) -> None:
    nonces = NonceManager(SECRET, timeout=60, clock=clock)
    nonce = nonces.issue()
    assert len(nonce) == 48
    check = nonces.check(nonce)
    assert check.status is NonceStatus.VALID
    assert check.issued_at == pytest.approx(clock.now, abs=0.001)
    assert check.expires_at == pytest.approx(clock.now + 60, abs=0.001)


def test_nonces_are_unique(clock: FakeClock) -> None:
    nonces = NonceManager(SECRET, clock=clock)
    assert len({nonces.issue() for _ in range(100)}) == 100


def test_a_nonce_turns_stale_at_its_timeout(clock: FakeClock) -> None:
    nonces = NonceManager(SECRET, timeout=60, clock=clock)
    nonce = nonces.issue()
    clock.advance(59.9)
    assert nonces.check(nonce).status is NonceStatus.VALID
    clock.advance(0.1)
    check = nonces.check(nonce)
    assert check.status is NonceStatus.STALE
    assert check.expires_at <= clock.now


@pytest.mark.parametrize("index", [0, 7, 12, 30, 47])
def test_a_tampered_nonce_is_invalid_not_stale(clock: FakeClock, index: int) -> None:
    nonces = NonceManager(SECRET, clock=clock)
    assert nonces.check(flip(nonces.issue(), index)).status is NonceStatus.INVALID


def test_moving_the_issue_time_forward_breaks_the_signature(clock: FakeClock) -> None:
    nonces = NonceManager(SECRET, timeout=60, clock=clock)
    raw = bytearray(base64.urlsafe_b64decode(nonces.issue()))
    raw[5] += 1
    clock.advance(3600)
    forged = base64.urlsafe_b64encode(bytes(raw)).decode()
    assert nonces.check(forged).status is NonceStatus.INVALID


def test_another_secret_does_not_accept_our_nonces(clock: FakeClock) -> None:
    ours = NonceManager(SECRET, clock=clock)
    theirs = NonceManager(b"another secret, just as long!!!!", clock=clock)
    assert theirs.check(ours.issue()).status is NonceStatus.INVALID
    same = NonceManager(SECRET.decode(), clock=clock)
    assert same.check(ours.issue()).status is NonceStatus.VALID


@pytest.mark.parametrize(
    "garbage", ["", "abc", "=" * 48, "A" * 47 + "!", "A" * 48, "A" * 64, "é" * 48]
)
def test_garbage_is_invalid(garbage: str) -> None:
    assert NonceManager(SECRET).check(garbage).status is NonceStatus.INVALID


def test_without_a_secret_each_manager_makes_its_own() -> None:
    first, second = NonceManager(), NonceManager()
    assert first.check(first.issue()).status is NonceStatus.VALID
    assert second.check(first.issue()).status is NonceStatus.INVALID


def test_opaque_is_stable_per_realm_and_secret() -> None:
    nonces = NonceManager(SECRET)
    assert nonces.opaque("files") == NonceManager(SECRET).opaque("files")
    assert nonces.opaque("files") != nonces.opaque("admin")
    assert nonces.opaque("files") != NonceManager(b"x" * 32).opaque("files")


def test_an_opaque_cannot_pass_for_a_nonce(clock: FakeClock) -> None:
    # The realm is chosen so that "opaque:" + realm is exactly as long as a nonce's signed part:
    # only the separate MAC purposes keep its MAC from signing a nonce issued in the far future.
    nonces = NonceManager(SECRET, clock=clock)
    realm = "thirteenchars"
    body = b"opaque:" + realm.encode()
    mac = base64.urlsafe_b64decode(nonces.opaque(realm) + "==")
    forged = base64.urlsafe_b64encode(body + mac).decode()
    assert len(forged) == 48
    assert nonces.check(forged).status is NonceStatus.INVALID


def test_secret_and_timeout_are_checked() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        NonceManager(b"short")
    with pytest.raises(ValueError, match="positive"):
        NonceManager(SECRET, timeout=0)


def test_a_verified_nonce_is_remembered_but_answers_still_follow_clock_and_timeout(
    clock: FakeClock,
) -> None:
    nonces = NonceManager(SECRET, timeout=60, clock=clock)
    nonce = nonces.issue()
    first = nonces.check(nonce)
    assert nonces.check(nonce) == first
    clock.advance(61)
    assert nonces.check(nonce).status is NonceStatus.STALE
    nonces.timeout = 120
    check = nonces.check(nonce)
    assert check.status is NonceStatus.VALID
    assert check.expires_at == pytest.approx(first.issued_at + 120)
    nonces.timeout = 30
    assert nonces.timeout == 30
    assert nonces.check(nonce).status is NonceStatus.STALE


@pytest.mark.parametrize("index", [0, 12, 47])
def test_a_remembered_nonce_does_not_vouch_for_a_tampered_copy(
    clock: FakeClock, index: int
) -> None:
    nonces = NonceManager(SECRET, clock=clock)
    nonce = nonces.issue()
    assert nonces.check(nonce).status is NonceStatus.VALID
    assert nonces.check(flip(nonce, index)).status is NonceStatus.INVALID
    assert nonces.check(nonce + "A").status is NonceStatus.INVALID


def test_the_memory_of_verified_nonces_is_bounded(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nonces_module, "_MAX_VERIFIED_NONCES", 3)
    nonces = NonceManager(SECRET, timeout=60, clock=clock)
    issued = [nonces.issue() for _ in range(10)]
    for _ in range(2):
        assert all(nonces.check(nonce).status is NonceStatus.VALID for nonce in issued)
    assert len(nonces._verified) <= 3  # the point: memory stays bounded
    clock.advance(60)
    assert all(nonces.check(nonce).status is NonceStatus.STALE for nonce in issued)


def test_the_nonce_format_is_stable(clock: FakeClock) -> None:
    # Issued by an earlier release with SECRET at the clock's start: every process sharing a secret
    # must accept the others' nonces, whatever release each runs.
    nonce = "AAABi8_laAAbSiwxqVOm6994INQS9-ZqPVEBjuHK1JUV5Q7Z"
    clock.advance(30)
    check = NonceManager(SECRET, timeout=60, clock=clock).check(nonce)
    assert check.status is NonceStatus.VALID
    assert check.issued_at == 1_700_000_000.0
