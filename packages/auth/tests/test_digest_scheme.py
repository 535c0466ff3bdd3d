"""DigestScheme in process: every check of RFC 7616 section 3.4, in the order promised."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest

from shallot.auth import (
    Authenticated,
    DictUserStore,
    DigestAlgorithm,
    DigestScheme,
    Failure,
    FailureReason,
    MemoryNonceCounter,
    NonceManager,
    Qop,
    Realm,
)
from shallot.auth.digest_scheme import uri_matches
from shallot.auth.htdigest import HtdigestUserStore
from shallot.http import Request, RequestLimits

if TYPE_CHECKING:
    from pathlib import Path

    from packages.auth.tests.conftest import FakeClock, Kit

SECRET = b"a secret shared by all the tests"
JASON = "J\u00e4s\u00f8n Doe"


@pytest.fixture
def realm() -> Realm:
    return Realm("files", DictUserStore({"alice": "secret", JASON: "Secret, or not?"}))


@pytest.fixture
def scheme(clock: FakeClock) -> DigestScheme:
    return DigestScheme(
        algorithms=list(DigestAlgorithm),
        userhash=True,
        nonces=NonceManager(SECRET, timeout=60, clock=clock),
        counter=MemoryNonceCounter(clock=clock),
    )


class Attempt:
    """One scheme and realm, and requests sent at them."""

    def __init__(self, kit: Kit, scheme: DigestScheme, realm: Realm) -> None:
        self.kit = kit
        self.scheme = scheme
        self.realm = realm

    def challenge(self, algorithm: DigestAlgorithm = DigestAlgorithm.SHA256) -> str:
        request = Request(self.kit.make_environ())
        for header in self.scheme.challenges(request, self.realm):
            if f"algorithm={algorithm.value}," in header:
                return header
        raise AssertionError(f"no {algorithm} challenge")

    def send(
        self,
        authorization: str,
        path: str = "/",
        *,
        method: str = "GET",
        query: str = "",
        body: bytes = b"",
        extra: dict[str, str] | None = None,
        limits: RequestLimits | None = None,
    ) -> Authenticated | Failure:
        environ = self.kit.make_environ(
            path, method=method, query=query, body=body, authorization=authorization, extra=extra
        )
        request = Request(environ, limits)
        parsed = request.authorization
        assert parsed is not None
        return self.scheme.verify(request, parsed, self.realm)


@pytest.fixture
def attempt(kit: Kit, scheme: DigestScheme, realm: Realm) -> Attempt:
    return Attempt(kit, scheme, realm)


def reason(outcome: Authenticated | Failure) -> FailureReason:
    assert isinstance(outcome, Failure), outcome
    return outcome.reason


@pytest.mark.parametrize("algorithm", list(DigestAlgorithm))
def test_every_algorithm_authenticates(
    kit: Kit, attempt: Attempt, algorithm: DigestAlgorithm
) -> None:
    header = kit.digest_authorization(
        attempt.challenge(algorithm), "alice", "secret", uri="/docs/a.txt"
    )
    assert attempt.send(header, "/docs/a.txt") == Authenticated("alice", "files", "digest")


def test_challenges_come_one_per_algorithm_sha256_first(kit: Kit, realm: Realm) -> None:
    challenges = DigestScheme().challenges(Request(kit.make_environ()), realm)
    params = [kit.challenge_params(challenge) for challenge in challenges]
    assert [p["algorithm"] for p in params] == ["SHA-256", "MD5"]
    assert len({p["nonce"] for p in params}) == 1
    assert len({p["opaque"] for p in params}) == 1
    assert all(p["qop"] == "auth, auth-int" and p["charset"] == "UTF-8" for p in params)
    assert all("stale" not in p and "userhash" not in p for p in params)


def test_query_strings_are_part_of_the_uri(kit: Kit, attempt: Attempt) -> None:
    header = kit.digest_authorization(attempt.challenge(), "alice", "secret", uri="/s?q=1&r=2")
    assert isinstance(attempt.send(header, "/s", query="q=1&r=2"), Authenticated)
    again = kit.digest_authorization(attempt.challenge(), "alice", "secret", uri="/s?q=1&r=2", nc=2)
    assert reason(attempt.send(again, "/s", query="q=1&r=3")) is FailureReason.WRONG_URI


def test_wrong_password(kit: Kit, attempt: Attempt) -> None:
    header = kit.digest_authorization(attempt.challenge(), "alice", "guess")
    outcome = attempt.send(header)
    assert reason(outcome) is FailureReason.WRONG_PASSWORD
    assert isinstance(outcome, Failure)
    assert outcome.status == 401
    assert not outcome.stale
    assert outcome.username == "alice"


def test_unknown_user(kit: Kit, attempt: Attempt) -> None:
    header = kit.digest_authorization(attempt.challenge(), "mallory", "secret")
    assert reason(attempt.send(header)) is FailureReason.UNKNOWN_USER


def test_wrong_realm(kit: Kit, attempt: Attempt) -> None:
    header = kit.digest_authorization(
        attempt.challenge(), "alice", "secret", overrides={"realm": "admin"}
    )
    assert reason(attempt.send(header)) is FailureReason.WRONG_REALM


def test_wrong_uri_is_a_400(kit: Kit, attempt: Attempt) -> None:
    header = kit.digest_authorization(attempt.challenge(), "alice", "secret", uri="/public")
    outcome = attempt.send(header, "/private")
    assert reason(outcome) is FailureReason.WRONG_URI
    assert isinstance(outcome, Failure)
    assert outcome.status == 400


def test_tampered_nonce_is_a_plain_401(kit: Kit, attempt: Attempt) -> None:
    challenge = attempt.challenge()
    nonce = kit.challenge_params(challenge)["nonce"]
    tampered = nonce[:20] + ("A" if nonce[20] != "A" else "B") + nonce[21:]
    header = kit.digest_authorization(challenge, "alice", "secret", overrides={"nonce": tampered})
    outcome = attempt.send(header)
    assert reason(outcome) is FailureReason.INVALID_NONCE
    assert isinstance(outcome, Failure)
    assert not outcome.stale


def test_a_nonce_from_another_secret_is_invalid(kit: Kit, realm: Realm, attempt: Attempt) -> None:
    other = DigestScheme(nonces=NonceManager(b"some other secret, 32 bytes long"))
    foreign = other.challenges(Request(kit.make_environ()), realm)[0]
    header = kit.digest_authorization(
        foreign,
        "alice",
        "secret",
        overrides={"opaque": kit.challenge_params(attempt.challenge())["opaque"]},
    )
    assert reason(attempt.send(header)) is FailureReason.INVALID_NONCE


def test_wrong_or_missing_opaque(kit: Kit, attempt: Attempt) -> None:
    challenge = attempt.challenge()
    wrong = kit.digest_authorization(challenge, "alice", "secret", overrides={"opaque": "not-ours"})
    assert reason(attempt.send(wrong)) is FailureReason.WRONG_OPAQUE
    missing = kit.digest_authorization(challenge, "alice", "secret", overrides={"opaque": ""})
    assert reason(attempt.send(missing)) is FailureReason.WRONG_OPAQUE


def test_replayed_nonce_count_is_stale(kit: Kit, attempt: Attempt) -> None:
    challenge = attempt.challenge()
    first = kit.digest_authorization(challenge, "alice", "secret", nc=1)
    assert isinstance(attempt.send(first), Authenticated)
    outcome = attempt.send(first)
    assert reason(outcome) is FailureReason.REPLAYED_NONCE_COUNT
    assert isinstance(outcome, Failure)
    assert outcome.stale
    assert outcome.status == 401
    second = kit.digest_authorization(challenge, "alice", "secret", nc=2)
    assert isinstance(attempt.send(second), Authenticated)


def test_expired_nonce_is_stale_only_with_the_right_password(
    kit: Kit, attempt: Attempt, clock: FakeClock
) -> None:
    challenge = attempt.challenge()
    clock.advance(61)
    right = kit.digest_authorization(challenge, "alice", "secret")
    outcome = attempt.send(right)
    assert reason(outcome) is FailureReason.STALE_NONCE
    assert isinstance(outcome, Failure)
    assert outcome.stale
    wrong = kit.digest_authorization(challenge, "alice", "guess")
    assert reason(attempt.send(wrong)) is FailureReason.WRONG_PASSWORD


def test_algorithm_and_qop_must_be_offered(kit: Kit, realm: Realm, clock: FakeClock) -> None:
    nonces = NonceManager(SECRET, clock=clock)
    md5_only = Attempt(
        kit, DigestScheme(algorithms=[DigestAlgorithm.MD5], qops=[Qop.AUTH], nonces=nonces), realm
    )
    sha = Attempt(kit, DigestScheme(nonces=nonces), realm).challenge(DigestAlgorithm.SHA256)
    header = kit.digest_authorization(sha, "alice", "secret")
    assert reason(md5_only.send(header)) is FailureReason.UNSUPPORTED_ALGORITHM
    md5 = md5_only.challenge(DigestAlgorithm.MD5)
    auth_int = kit.digest_authorization(md5, "alice", "secret", qop=Qop.AUTH_INT)
    assert reason(md5_only.send(auth_int)) is FailureReason.UNSUPPORTED_QOP
    unknown = kit.digest_authorization(
        md5, "alice", "secret", overrides={"algorithm": "SHA-512-256"}
    )
    assert reason(md5_only.send(unknown)) is FailureReason.UNSUPPORTED_ALGORITHM


def test_auth_int_covers_the_body_and_hands_it_on(kit: Kit, attempt: Attempt) -> None:
    body = b"<propertyupdate/>"
    header = kit.digest_authorization(
        attempt.challenge(), "alice", "secret", method="PUT", uri="/f", qop=Qop.AUTH_INT, body=body
    )
    environ = kit.make_environ("/f", method="PUT", body=body, authorization=header)
    request = Request(environ)
    parsed = request.authorization
    assert parsed is not None
    assert isinstance(attempt.scheme.verify(request, parsed, attempt.realm), Authenticated)
    assert environ["wsgi.input"].read() == body
    forged = kit.digest_authorization(
        attempt.challenge(), "alice", "secret", method="PUT", uri="/f", qop=Qop.AUTH_INT, body=body
    )
    tampered = attempt.send(forged, "/f", method="PUT", body=b"<something else/>")
    assert reason(tampered) is FailureReason.WRONG_PASSWORD


def test_auth_int_body_over_the_limit_is_413(kit: Kit, attempt: Attempt) -> None:
    body = b"x" * 100
    header = kit.digest_authorization(
        attempt.challenge(), "alice", "secret", method="PUT", qop=Qop.AUTH_INT, body=body
    )
    outcome = attempt.send(header, method="PUT", body=body, limits=RequestLimits(max_body_size=10))
    assert reason(outcome) is FailureReason.BODY_TOO_LARGE
    assert isinstance(outcome, Failure)
    assert outcome.status == 413


def test_auth_int_truncated_body_is_400(kit: Kit, attempt: Attempt) -> None:
    header = kit.digest_authorization(
        attempt.challenge(), "alice", "secret", method="PUT", qop=Qop.AUTH_INT, body=b"abc"
    )
    outcome = attempt.send(header, method="PUT", body=b"abc", extra={"CONTENT_LENGTH": "10"})
    assert reason(outcome) is FailureReason.BODY_UNREADABLE
    assert isinstance(outcome, Failure)
    assert outcome.status == 400


@pytest.mark.parametrize("algorithm", [DigestAlgorithm.SHA256, DigestAlgorithm.MD5_SESS])
def test_userhash_is_resolved_to_the_user(
    kit: Kit, attempt: Attempt, algorithm: DigestAlgorithm
) -> None:
    challenge = attempt.challenge(algorithm)
    assert kit.challenge_params(challenge)["userhash"] == "true"
    header = kit.digest_authorization(
        challenge, JASON, "Secret, or not?", use_userhash=True, uri="/doe.json"
    )
    assert attempt.send(header, "/doe.json") == Authenticated(JASON, "files", "digest")
    stranger = kit.digest_authorization(challenge, "nobody", "x", use_userhash=True)
    assert reason(attempt.send(stranger)) is FailureReason.UNKNOWN_USER


def test_username_star_for_names_outside_ascii(kit: Kit, attempt: Attempt) -> None:
    challenge = attempt.challenge()
    header = kit.digest_authorization(
        challenge, JASON, "Secret, or not?", overrides={"username": ""}
    )
    header += ", username*=UTF-8''J%C3%A4s%C3%B8n%20Doe"
    assert attempt.send(header) == Authenticated(JASON, "files", "digest")


def test_malformed_credentials_are_400(kit: Kit, attempt: Attempt) -> None:
    header = kit.digest_authorization(
        attempt.challenge(), "alice", "secret", overrides={"cnonce": ""}
    )
    outcome = attempt.send(header)
    assert reason(outcome) is FailureReason.MALFORMED
    assert isinstance(outcome, Failure)
    assert outcome.status == 400
    assert "cnonce" in outcome.detail


def test_htdigest_realms_authenticate_with_md5_only(kit: Kit, tmp_path: Path) -> None:
    path = tmp_path / "users.htdigest"
    path.write_text(f"alice:files:{hashlib.md5(b'alice:files:secret').hexdigest()}\n")
    attempt = Attempt(kit, DigestScheme(), Realm("files", HtdigestUserStore(path)))
    md5 = kit.digest_authorization(attempt.challenge(DigestAlgorithm.MD5), "alice", "secret")
    assert isinstance(attempt.send(md5), Authenticated)
    sha = kit.digest_authorization(attempt.challenge(DigestAlgorithm.SHA256), "alice", "secret")
    assert reason(attempt.send(sha)) is FailureReason.UNKNOWN_USER


def test_configuration_is_checked() -> None:
    with pytest.raises(ValueError, match="algorithm"):
        DigestScheme(algorithms=[])
    with pytest.raises(ValueError, match="qop"):
        DigestScheme(qops=[])


@pytest.mark.parametrize(
    ("uri", "environ", "matches"),
    [
        ("/a/b?x=1", {"PATH_INFO": "/a/b", "QUERY_STRING": "x=1"}, True),
        ("/a%20b", {"PATH_INFO": "/a b"}, True),
        ("/app/a", {"SCRIPT_NAME": "/app", "PATH_INFO": "/a"}, True),
        ("http://example.org/a?x", {"PATH_INFO": "/a", "QUERY_STRING": "x"}, True),
        ("/", {"PATH_INFO": ""}, True),
        ("/%C3%A9", {"PATH_INFO": "/\u00c3\u00a9"}, True),
        ("/a", {"PATH_INFO": "/b"}, False),
        ("/a", {"PATH_INFO": "/a", "QUERY_STRING": "x=1"}, False),
        ("/a%2Fb", {"REQUEST_URI": "/a%2Fb", "PATH_INFO": "/a/b"}, True),
        ("/a/b", {"REQUEST_URI": "/a%2Fc", "PATH_INFO": "/a/b"}, False),
        ("/x?y", {"RAW_URI": "/x?y", "PATH_INFO": "/z"}, True),
    ],
)
def test_uri_matches(uri: str, environ: dict[str, str], matches: bool) -> None:
    assert uri_matches(uri, environ) is matches
