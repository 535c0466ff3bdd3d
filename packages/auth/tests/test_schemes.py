"""authenticate and failure_response: dispatch by scheme, answers, and logs without secrets."""

from __future__ import annotations

import base64
import logging
from typing import TYPE_CHECKING

import pytest

from shallot.auth import (
    Authenticated,
    AuthScheme,
    BasicScheme,
    DictUserStore,
    DigestScheme,
    Failure,
    FailureReason,
    Realm,
    authenticate,
    failure_response,
)
from shallot.http import Request

if TYPE_CHECKING:
    from packages.auth.tests.conftest import Kit

PASSWORD = "correct horse battery staple"
REALM = Realm("files", DictUserStore({"alice": PASSWORD}))


def request(kit: Kit, authorization: str | None = None, scheme: str = "http") -> Request:
    return Request(kit.make_environ(authorization=authorization, scheme=scheme))


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_no_credentials(kit: Kit) -> None:
    outcome = authenticate(request(kit), REALM, [DigestScheme()])
    assert outcome == Failure(FailureReason.NO_CREDENTIALS)


def test_unparsable_header_is_malformed(kit: Kit) -> None:
    outcome = authenticate(request(kit, 'Digest realm="unterminated'), REALM, [DigestScheme()])
    assert isinstance(outcome, Failure)
    assert outcome.reason is FailureReason.MALFORMED


def test_a_scheme_not_offered(kit: Kit) -> None:
    outcome = authenticate(request(kit, basic("alice", PASSWORD)), REALM, [DigestScheme()])
    assert outcome == Failure(FailureReason.SCHEME_NOT_OFFERED)


def test_dispatch_to_the_scheme_used(kit: Kit) -> None:
    schemes: list[AuthScheme] = [DigestScheme(), BasicScheme()]
    outcome = authenticate(request(kit, basic("alice", PASSWORD), "https"), REALM, schemes)
    assert outcome == Authenticated("alice", "files", "basic")


def test_401_carries_every_challenge_offered(kit: Kit) -> None:
    schemes: list[AuthScheme] = [DigestScheme(), BasicScheme(require_https=False)]
    response = failure_response(request(kit), REALM, schemes, Failure(FailureReason.NO_CREDENTIALS))
    assert response.status_code == 401
    values = response.headers.getall("WWW-Authenticate")
    assert [value.split(" ", 1)[0] for value in values] == ["Digest", "Digest", "Basic"]
    assert not any("stale" in value for value in values)


def test_stale_failures_say_so_in_digest_challenges(kit: Kit) -> None:
    schemes: list[AuthScheme] = [DigestScheme(), BasicScheme(require_https=False)]
    response = failure_response(request(kit), REALM, schemes, Failure(FailureReason.STALE_NONCE))
    values = response.headers.getall("WWW-Authenticate")
    assert all("stale=true" in value for value in values if value.startswith("Digest"))
    assert "stale" not in values[-1]


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        (FailureReason.MALFORMED, 400),
        (FailureReason.WRONG_URI, 400),
        (FailureReason.BODY_TOO_LARGE, 413),
    ],
)
def test_other_statuses(kit: Kit, reason: FailureReason, status: int) -> None:
    response = failure_response(request(kit), REALM, [DigestScheme()], Failure(reason))
    assert response.status_code == status
    assert "WWW-Authenticate" not in response.headers


def test_basic_only_over_plain_http_is_403(kit: Kit) -> None:
    failure = Failure(FailureReason.INSECURE_TRANSPORT)
    response = failure_response(request(kit), REALM, [BasicScheme()], failure)
    assert response.status_code == 403
    https = failure_response(request(kit, scheme="https"), REALM, [BasicScheme()], failure)
    assert https.status_code == 401


def test_failures_are_logged_without_secrets(kit: Kit, caplog: pytest.LogCaptureFixture) -> None:
    header = basic("alice", PASSWORD + "!")
    with caplog.at_level(logging.DEBUG, "shallot.auth"):
        outcome = authenticate(
            request(kit, header, "https"), REALM, [BasicScheme(), DigestScheme()]
        )
    assert isinstance(outcome, Failure)
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    message = record.getMessage()
    assert "user='alice'" in message
    assert "realm='files'" in message
    assert "reason=wrong password" in message
    assert PASSWORD not in caplog.text
    assert header.split(" ", 1)[1] not in caplog.text


def test_digest_failures_do_not_log_the_response(
    kit: Kit, caplog: pytest.LogCaptureFixture
) -> None:
    scheme = DigestScheme()
    challenge = scheme.challenges(request(kit), REALM)[0]
    header = kit.digest_authorization(challenge, "alice", "wrong")
    response_digest = kit.challenge_params(header)["response"]
    with caplog.at_level(logging.DEBUG, "shallot.auth"):
        authenticate(request(kit, header), REALM, [scheme])
    assert "reason=wrong password" in caplog.text
    assert response_digest not in caplog.text
    assert kit.challenge_params(challenge)["nonce"] not in caplog.text
