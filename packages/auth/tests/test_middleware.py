"""Authenticator: in process for the rules, then over a real loopback server with real clients
(requests, httpx, curl) and with hand-made headers for every refusal."""

from __future__ import annotations

import http.client
import subprocess
import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
import pytest
import requests

from shallot.auth import (
    ANYONE,
    AUTHENTICATED,
    NOBODY,
    AccessRules,
    Authenticator,
    BasicScheme,
    DictUserStore,
    DigestAlgorithm,
    DigestScheme,
    MemoryNonceCounter,
    NonceManager,
    PathRule,
    Qop,
    Realm,
    users,
)
from shallot.testing import require_service

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from packages.auth.tests.conftest import FakeClock, Kit

SECRET = b"the tests' shared nonce secret.."
STORE = DictUserStore({"alice": "secret", "bob": "builder"})
FILES = Realm("files", STORE)


class Recorder:
    """WSGI middleware remembering each request's Authorization and each answer's status."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app
        self.authorizations: list[str | None] = []
        self.statuses: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        with self._lock:
            self.authorizations.append(environ.get("HTTP_AUTHORIZATION"))

        def recording(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            with self._lock:
                self.statuses.append(int(status[:3]))
            return start_response(status, headers)

        return self.app(environ, recording)


def raw_request(
    base: str, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, list[str], bytes]:
    """Send exactly these headers; return status, WWW-Authenticate values and body."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers.get_all("WWW-Authenticate") or [], response.read()
    finally:
        connection.close()


# In process: rules, anonymous access, what the application sees.


def rules_app(kit: Kit) -> WSGIApplication:
    rules = AccessRules(
        [
            PathRule("/", FILES),
            PathRule("/public", FILES, read=ANYONE, write=AUTHENTICATED),
            PathRule("/bob", FILES, read=users("bob"), write=NOBODY),
        ]
    )
    scheme = DigestScheme(nonces=NonceManager(SECRET))
    return Authenticator(kit.echo_app, rules, schemes=[scheme, BasicScheme(require_https=False)])


def test_anonymous_reads_where_allowed_and_nothing_else(kit: Kit) -> None:
    app = rules_app(kit)
    spoofed = {"REMOTE_USER": "admin", "AUTH_TYPE": "Basic", "shallot.auth.realm": "x"}
    answer = kit.call(app, kit.make_environ("/public/a", extra=spoofed))
    assert answer.status == 200
    assert answer.body == b"None None None"
    assert kit.call(app, kit.make_environ("/public/a", method="PUT")).status == 401
    assert kit.call(app, kit.make_environ("/docs")).status == 401


def test_the_application_learns_who_and_where(kit: Kit) -> None:
    app = rules_app(kit)
    answer = kit.call(app, kit.make_environ("/docs", authorization="Basic YWxpY2U6c2VjcmV0"))
    assert (answer.status, answer.body) == (200, b"alice files Basic")
    public = kit.call(app, kit.make_environ("/public/a", authorization="Basic YWxpY2U6c2VjcmV0"))
    assert public.body == b"alice files Basic"


def test_credentials_sent_to_a_public_path_are_still_checked(kit: Kit) -> None:
    answer = kit.call(
        rules_app(kit), kit.make_environ("/public/a", authorization="Basic YWxpY2U6d3Jvbmc=")
    )
    assert answer.status == 401


def test_a_user_the_rule_does_not_admit_gets_403(kit: Kit) -> None:
    app = rules_app(kit)
    alice = "Basic YWxpY2U6c2VjcmV0"
    bob = "Basic Ym9iOmJ1aWxkZXI="
    assert kit.call(app, kit.make_environ("/bob/x", authorization=alice)).status == 403
    assert kit.call(app, kit.make_environ("/bob/x", authorization=bob)).status == 200
    put = kit.make_environ("/bob/x", method="PUT", authorization=bob)
    assert kit.call(app, put).status == 403


def test_paths_no_rule_covers_are_403(kit: Kit) -> None:
    app = Authenticator(kit.echo_app, AccessRules([PathRule("/dav", FILES)]))
    assert kit.call(app, kit.make_environ("/elsewhere")).status == 403
    assert kit.call(app, kit.make_environ("/dav/../elsewhere")).status == 403
    assert kit.call(app, kit.make_environ("/dav/x")).status == 401


def test_a_realm_alone_guards_everything_with_digest(kit: Kit) -> None:
    answer = kit.call(Authenticator(kit.echo_app, FILES), kit.make_environ("/anything"))
    assert answer.status == 401
    assert [value.split(",")[0] for value in answer.header_values("WWW-Authenticate")] == [
        'Digest realm="files"',
        'Digest realm="files"',
    ]
    with pytest.raises(ValueError, match="scheme"):
        Authenticator(kit.echo_app, FILES, schemes=[])


def test_auth_int_bodies_reach_the_application(kit: Kit) -> None:
    app = rules_app(kit)
    challenge = kit.call(app, kit.make_environ("/up", method="PUT")).header_values(
        "WWW-Authenticate"
    )[0]
    body = b"file content"
    header = kit.digest_authorization(
        challenge, "alice", "secret", method="PUT", uri="/up", qop=Qop.AUTH_INT, body=body
    )
    answer = kit.call(app, kit.make_environ("/up", method="PUT", body=body, authorization=header))
    assert (answer.status, answer.body) == (200, b"alice files Digest|file content")


# Over a real server, with real clients.


@pytest.fixture
def digest_server(serve: Callable[[WSGIApplication], str], kit: Kit) -> tuple[str, Recorder]:
    """The echo app behind Digest (SHA-256, then MD5; userhash offered) and Basic over HTTP."""
    recorder = Recorder(
        Authenticator(
            kit.echo_app,
            FILES,
            schemes=[DigestScheme(userhash=True), BasicScheme(require_https=False)],
        )
    )
    return serve(recorder), recorder


def test_requests_digest(digest_server: tuple[str, Recorder]) -> None:
    base, _ = digest_server
    with requests.Session() as session:
        session.auth = requests.auth.HTTPDigestAuth("alice", "secret")
        for path in ("/a.txt", "/dir/b%20c?x=1", "/a.txt"):
            answer = session.get(base + path, timeout=10)
            assert (answer.status_code, answer.text) == (200, "alice files Digest")
    wrong = requests.get(
        base + "/a.txt", auth=requests.auth.HTTPDigestAuth("alice", "wrong"), timeout=10
    )
    assert wrong.status_code == 401


def test_httpx_digest(digest_server: tuple[str, Recorder]) -> None:
    base, recorder = digest_server
    with httpx.Client(auth=httpx.DigestAuth("alice", "secret")) as client:
        for path in ("/a.txt", "/dir/b%20c?x=1"):
            answer = client.get(base + path)
            assert (answer.status_code, answer.text) == (200, "alice files Digest")
        posted = client.post(base + "/form", content=b"payload")
        assert (posted.status_code, posted.text) == (200, "alice files Digest|payload")
    assert any(a and "algorithm=SHA-256" in a for a in recorder.authorizations)
    wrong = httpx.get(base + "/a.txt", auth=httpx.DigestAuth("alice", "wrong"))
    assert wrong.status_code == 401


def curl(*arguments: str) -> tuple[str, str]:
    """Run curl; return the body and the HTTP status it printed last."""
    program = require_service("curl", "apt-get install curl")
    done = subprocess.run(
        [program, "-s", "-w", "\n%{http_code}", *arguments],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    body, _, status = done.stdout.rpartition("\n")
    return body, status


def test_curl_digest_picks_sha256_and_hashes_the_user_name(
    digest_server: tuple[str, Recorder],
) -> None:
    base, recorder = digest_server
    assert curl("--digest", "-u", "alice:secret", base + "/dir/a%20b?q=1") == (
        "alice files Digest",
        "200",
    )
    sent = [a for a in recorder.authorizations if a is not None]
    assert "algorithm=SHA-256" in sent[-1]
    assert "userhash=true" in sent[-1]
    assert 'username="alice"' not in sent[-1]
    assert curl("--digest", "-u", "alice:wrong", base + "/a")[1] == "401"


def test_curl_with_a_utf8_user_name_and_path(
    serve: Callable[[WSGIApplication], str], kit: Kit
) -> None:
    realm = Realm("files", DictUserStore({"žofie": "heslo"}))
    for userhash in (False, True):
        base = serve(Authenticator(kit.echo_app, realm, schemes=[DigestScheme(userhash=userhash)]))
        assert curl("--digest", "-u", "žofie:heslo", base + "/dokumenty/čaj.txt") == (
            "žofie files Digest",
            "200",
        )
        assert curl("--digest", "-u", "žofie:jine", base + "/a")[1] == "401"


def test_curl_basic(digest_server: tuple[str, Recorder]) -> None:
    base, _ = digest_server
    assert curl("--basic", "-u", "alice:secret", base + "/a") == ("alice files Basic", "200")
    assert curl("--basic", "-u", "alice:wrong", base + "/a")[1] == "401"


@pytest.mark.parametrize("algorithm", list(DigestAlgorithm))
def test_each_algorithm_with_curl_and_httpx(
    serve: Callable[[WSGIApplication], str], kit: Kit, algorithm: DigestAlgorithm
) -> None:
    recorder = Recorder(
        Authenticator(kit.echo_app, FILES, schemes=[DigestScheme(algorithms=[algorithm])])
    )
    base = serve(recorder)
    assert curl("--digest", "-u", "bob:builder", base + "/x")[1] == "200"
    answer = httpx.get(base + "/y", auth=httpx.DigestAuth("bob", "builder"))
    assert (answer.status_code, answer.text) == (200, "bob files Digest")
    sent = [a for a in recorder.authorizations if a is not None]
    assert len(sent) == 2
    assert all(f"algorithm={algorithm.value}".lower() in a.lower() for a in sent)
    assert curl("--digest", "-u", "bob:wrong", base + "/x")[1] == "401"
    assert httpx.get(base + "/y", auth=httpx.DigestAuth("bob", "x")).status_code == 401


def test_basic_is_refused_over_plain_http_by_default(
    serve: Callable[[WSGIApplication], str], kit: Kit
) -> None:
    basic_only = serve(Authenticator(kit.echo_app, FILES, schemes=[BasicScheme()]))
    assert curl("--basic", "-u", "alice:secret", basic_only + "/a")[1] == "403"
    both = serve(Authenticator(kit.echo_app, FILES, schemes=[DigestScheme(), BasicScheme()]))
    status, challenges, _ = raw_request(both, "/a", {"Authorization": "Basic YWxpY2U6c2VjcmV0"})
    assert status == 401
    assert challenges
    assert all(value.startswith("Digest ") for value in challenges)
    assert curl("--anyauth", "-u", "alice:secret", both + "/a") == ("alice files Digest", "200")


@pytest.fixture
def clocked_server(
    serve: Callable[[WSGIApplication], str], kit: Kit, clock: FakeClock
) -> tuple[str, Recorder]:
    scheme = DigestScheme(
        algorithms=[DigestAlgorithm.MD5],
        nonces=NonceManager(SECRET, timeout=30, clock=clock),
        counter=MemoryNonceCounter(clock=clock),
    )
    recorder = Recorder(Authenticator(kit.echo_app, FILES, schemes=[scheme]))
    return serve(recorder), recorder


def first_challenge(base: str, path: str = "/a") -> str:
    status, challenges, _ = raw_request(base, path)
    assert status == 401
    return challenges[0]


def test_a_stale_nonce_is_renewed_without_asking_the_user(
    clocked_server: tuple[str, Recorder], clock: FakeClock
) -> None:
    base, recorder = clocked_server
    with requests.Session() as session:
        session.auth = requests.auth.HTTPDigestAuth("alice", "secret")
        assert session.get(base + "/a", timeout=10).status_code == 200
        clock.advance(31)
        assert session.get(base + "/b", timeout=10).status_code == 200
    # The second request carried the expired nonce, was told stale=true, and retried.
    assert recorder.statuses == [401, 200, 401, 200]


def test_stale_answer_over_the_wire(
    clocked_server: tuple[str, Recorder], kit: Kit, clock: FakeClock
) -> None:
    base, _ = clocked_server
    challenge = first_challenge(base)
    clock.advance(31)
    header = kit.digest_authorization(challenge, "alice", "secret", uri="/a")
    status, challenges, _ = raw_request(base, "/a", {"Authorization": header})
    assert status == 401
    assert kit.challenge_params(challenges[0])["stale"] == "true"
    wrong = kit.digest_authorization(challenge, "alice", "guess", uri="/a")
    status, challenges, _ = raw_request(base, "/a", {"Authorization": wrong})
    assert status == 401
    assert "stale" not in kit.challenge_params(challenges[0])


def test_a_replayed_request_is_refused(clocked_server: tuple[str, Recorder], kit: Kit) -> None:
    base, _ = clocked_server
    challenge = first_challenge(base)
    header = kit.digest_authorization(challenge, "alice", "secret", uri="/a", nc=1)
    assert raw_request(base, "/a", {"Authorization": header})[0] == 200
    status, challenges, _ = raw_request(base, "/a", {"Authorization": header})
    assert status == 401
    assert kit.challenge_params(challenges[0])["stale"] == "true"
    following = kit.digest_authorization(challenge, "alice", "secret", uri="/a", nc=2)
    assert raw_request(base, "/a", {"Authorization": following})[0] == 200


@pytest.mark.parametrize(
    ("uri", "overrides", "status"),
    [
        ("/a", {"realm": "other realm"}, 401),
        ("/somewhere-else", {}, 400),
        ("/a", {"opaque": "forged"}, 401),
        ("/a", {"nonce": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, 401),
    ],
)
def test_forged_fields_over_the_wire(
    clocked_server: tuple[str, Recorder],
    kit: Kit,
    uri: str,
    overrides: dict[str, str],
    status: int,
) -> None:
    base, recorder = clocked_server
    header = kit.digest_authorization(
        first_challenge(base), "alice", "secret", uri=uri, overrides=overrides
    )
    answer_status, challenges, _ = raw_request(base, "/a", {"Authorization": header})
    assert answer_status == status
    if status == 401:
        assert "stale" not in kit.challenge_params(challenges[0])
    assert 500 not in recorder.statuses


def test_a_tampered_nonce_is_not_stale(clocked_server: tuple[str, Recorder], kit: Kit) -> None:
    base, _ = clocked_server
    challenge = first_challenge(base)
    nonce = kit.challenge_params(challenge)["nonce"]
    tampered = nonce[:-2] + ("AA" if nonce[-2:] != "AA" else "BB")
    header = kit.digest_authorization(
        challenge, "alice", "secret", uri="/a", overrides={"nonce": tampered}
    )
    status, challenges, _ = raw_request(base, "/a", {"Authorization": header})
    assert status == 401
    assert "stale" not in kit.challenge_params(challenges[0])


MALFORMED = [
    'Digest username="alice"',
    'Digest username="alice", realm="files", nonce="n", uri="/a", response="00"',
    'Digest username="alice", realm="files, nonce="x"',
    'Digest username="alice", username="bob"',
    "Digest username=alice realm=files",
    'Digest username="a\\',
    "Digest =x",
    "Digest " + ", ".join(f'p{i}="{"x" * 50}"' for i in range(200)),
    'Digest username="' + "a" * 7000 + '"',
    "Basic !!!",
    "Basic " + "QQ==" * 2000,
    "Basic",
    "Negotiate abc",
    "\u00e9t\u00e9",
    "",
]


@pytest.mark.parametrize("header", MALFORMED)
def test_malformed_headers_are_400_or_401_never_500(
    clocked_server: tuple[str, Recorder], header: str
) -> None:
    base, recorder = clocked_server
    status, _, _ = raw_request(base, "/a", {"Authorization": header})
    assert status in (400, 401)
    assert recorder.statuses == [status]
