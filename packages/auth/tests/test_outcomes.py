"""Outcomes: the status and stale flag each failure reason is answered with."""

from __future__ import annotations

import pytest

from shallot.auth.outcomes import Failure, FailureReason


@pytest.mark.parametrize(
    ("reason", "status", "stale"),
    [
        (FailureReason.MALFORMED, 400, False),
        (FailureReason.WRONG_URI, 400, False),
        (FailureReason.BODY_UNREADABLE, 400, False),
        (FailureReason.BODY_TOO_LARGE, 413, False),
        (FailureReason.STALE_NONCE, 401, True),
        (FailureReason.REPLAYED_NONCE_COUNT, 401, True),
        (FailureReason.INVALID_NONCE, 401, False),
        (FailureReason.WRONG_PASSWORD, 401, False),
        (FailureReason.NO_CREDENTIALS, 401, False),
        (FailureReason.INSECURE_TRANSPORT, 401, False),
    ],
)
def test_status_and_stale(reason: FailureReason, status: int, stale: bool) -> None:
    failure = Failure(reason)
    assert failure.status == status
    assert failure.stale is stale
