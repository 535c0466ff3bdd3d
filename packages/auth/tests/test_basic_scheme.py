"""BasicScheme: UTF-8 credentials, malformed tokens, refused over plain HTTP unless allowed."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from shallot.auth import Authenticated, BasicScheme, DictUserStore, Failure, FailureReason, Realm
from shallot.http import Request

if TYPE_CHECKING:
    from packages.auth.tests.conftest import Kit

REALM = Realm("files", DictUserStore({"alice": "secret", "žofie": "heslo:s:dvojtečkami"}))


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def verify(
    kit: Kit, scheme: BasicScheme, authorization: str, scheme_name: str = "https"
) -> Authenticated | Failure:
    request = Request(kit.make_environ(authorization=authorization, scheme=scheme_name))
    parsed = request.authorization
    assert parsed is not None
    return scheme.verify(request, parsed, REALM)


def test_right_password_over_https(kit: Kit) -> None:
    outcome = verify(kit, BasicScheme(), basic("alice", "secret"))
    assert outcome == Authenticated("alice", "files", "basic")


def test_utf8_names_and_colons_in_passwords(kit: Kit) -> None:
    outcome = verify(kit, BasicScheme(), basic("žofie", "heslo:s:dvojtečkami"))
    assert outcome == Authenticated("žofie", "files", "basic")


@pytest.mark.parametrize(("user", "password"), [("alice", "Secret"), ("bob", "secret")])
def test_wrong_credentials(kit: Kit, user: str, password: str) -> None:
    outcome = verify(kit, BasicScheme(), basic(user, password))
    assert isinstance(outcome, Failure)
    assert outcome.reason is FailureReason.WRONG_PASSWORD
    assert outcome.username == user
    assert outcome.status == 401


@pytest.mark.parametrize(
    "token",
    [
        base64.b64encode(b"no colon").decode(),
        base64.b64encode(b"\xff\xfe:x").decode(),
        "bad=base64",
        base64.b64encode(b":password").decode(),
    ],
)
def test_malformed_tokens_are_400(kit: Kit, token: str) -> None:
    outcome = verify(kit, BasicScheme(), f"Basic {token}")
    assert isinstance(outcome, Failure)
    assert outcome.reason is FailureReason.MALFORMED
    assert outcome.status == 400


def test_plain_http_is_refused_before_the_password_is_looked_at(kit: Kit) -> None:
    scheme = BasicScheme()
    outcome = verify(kit, scheme, basic("alice", "secret"), "http")
    assert isinstance(outcome, Failure)
    assert outcome.reason is FailureReason.INSECURE_TRANSPORT
    assert scheme.challenges(Request(kit.make_environ()), REALM) == []
    https = Request(kit.make_environ(scheme="https"))
    assert scheme.challenges(https, REALM) == ['Basic realm="files", charset="UTF-8"']


def test_plain_http_when_allowed(kit: Kit) -> None:
    scheme = BasicScheme(require_https=False)
    assert verify(kit, scheme, basic("alice", "secret"), "http") == Authenticated(
        "alice", "files", "basic"
    )
    assert scheme.challenges(Request(kit.make_environ()), REALM)
