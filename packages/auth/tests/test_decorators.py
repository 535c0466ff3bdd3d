"""check_digest and check_basic on plain handlers taking a shallot.http.Request, as shallot.routing
calls them: in process, and wrapped in a tiny WSGI app behind a real server for real clients."""

from __future__ import annotations

import base64
import subprocess
from typing import TYPE_CHECKING

import httpx
import requests

from shallot.auth import (
    BasicScheme,
    DictUserStore,
    DigestAlgorithm,
    DigestScheme,
    NonceManager,
    Realm,
    check_basic,
    check_digest,
)
from shallot.http import BaseResponse, Request, Response, make_response
from shallot.testing import require_service

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from packages.auth.tests.conftest import Kit

ADMINS = Realm(
    "Admin Zone",
    DictUserStore({"alice": "secret", "bob": "builder", "carol": "c"}),
    roles={"operators": ["carol"]},
)
DIGEST = DigestScheme(nonces=NonceManager(b"decorator tests' secret, 32 byte"))


@check_digest(ADMINS, scheme=DIGEST)
def admin_zone(req: Request) -> str:
    return f"Only for admins, just like you, {req.user}."


@check_digest(ADMINS, "bob", scheme=DIGEST)
def bob_only(req: Request) -> str:
    return f"bob's corner ({req.environ['REMOTE_USER']}, {req.environ['AUTH_TYPE']})"


@check_digest(ADMINS, roles=["operators"], scheme=DIGEST)
def operators(req: Request) -> str:
    return "operators"


@check_basic(ADMINS, scheme=BasicScheme(require_https=False))
def basic_zone(req: Request) -> str:
    return f"basic {req.user}"


@check_basic(ADMINS)
def https_basic_zone(req: Request) -> str:
    return f"https basic {req.user}"


class ItemRequest(Request):
    """A subclass, as an application may use."""

    __slots__ = ()


@check_digest(ADMINS, scheme=DIGEST)
def item(req: ItemRequest, item_id: int, *, verbose: bool = False) -> dict[str, object]:
    return {"user": req.user, "item": item_id, "verbose": verbose}


def wsgi(handler: Callable[[Request], str | Response]) -> WSGIApplication:
    """A tiny WSGI app around one handler, as a router would call it."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        result = handler(Request(environ))
        response = result if isinstance(result, BaseResponse) else make_response(result)
        return response(environ, start_response)

    return app


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def challenge_for(kit: Kit, handler: Callable[[Request], object], path: str = "/") -> str:
    refused = handler(Request(kit.make_environ(path)))
    assert isinstance(refused, Response)
    assert refused.status_code == 401
    value: str = refused.headers.getall("WWW-Authenticate")[0]
    return value


def test_refusal_is_a_401_response_and_the_handler_is_not_called(kit: Kit) -> None:
    called: list[Request] = []

    @check_digest(ADMINS, scheme=DIGEST)
    def handler(req: Request) -> str:
        called.append(req)
        return "reached"

    refused = handler(Request(kit.make_environ()))
    assert isinstance(refused, Response)
    assert refused.status_code == 401
    challenges = refused.headers.getall("WWW-Authenticate")
    assert [kit.challenge_params(c)["algorithm"] for c in challenges] == ["SHA-256", "MD5"]
    assert kit.challenge_params(challenges[0])["realm"] == "Admin Zone"
    assert not called


def test_success_sets_the_user_and_passes_arguments_through(kit: Kit) -> None:
    challenge = challenge_for(kit, admin_zone)
    header = kit.digest_authorization(challenge, "alice", "secret", uri="/item")
    environ = kit.make_environ("/item", authorization=header)
    result = item(ItemRequest(environ), 7, verbose=True)
    assert result == {"user": "alice", "item": 7, "verbose": True}
    assert environ["REMOTE_USER"] == "alice"
    assert environ["shallot.auth.realm"] == "Admin Zone"
    assert item.__name__ == "item"


def test_one_scheme_shares_nonces_between_handlers(kit: Kit) -> None:
    challenge = challenge_for(kit, admin_zone)
    first = kit.digest_authorization(challenge, "bob", "builder", nc=1)
    assert admin_zone(Request(kit.make_environ(authorization=first))) == (
        "Only for admins, just like you, bob."
    )
    second = kit.digest_authorization(challenge, "bob", "builder", nc=2)
    assert bob_only(Request(kit.make_environ(authorization=second))) == (
        "bob's corner (bob, Digest)"
    )
    replayed = bob_only(Request(kit.make_environ(authorization=second)))
    assert isinstance(replayed, Response)
    assert replayed.status_code == 401


def test_users_and_roles_narrow_who_is_admitted(kit: Kit) -> None:
    for handler, user, password, status in [
        (bob_only, "alice", "secret", 403),
        (bob_only, "bob", "builder", 200),
        (operators, "alice", "secret", 403),
        (operators, "carol", "c", 200),
    ]:
        header = kit.digest_authorization(challenge_for(kit, handler), user, password)
        result = handler(Request(kit.make_environ(authorization=header)))
        got = result.status_code if isinstance(result, Response) else 200
        assert got == status, (handler.__name__, user)


def test_malformed_credentials_get_400(kit: Kit) -> None:
    for header in ['Digest username="alice"', 'Digest realm="unterminated', "Basic %%%"]:
        result = admin_zone(Request(kit.make_environ(authorization=header)))
        assert isinstance(result, Response)
        assert result.status_code in (400, 401)
    result = admin_zone(Request(kit.make_environ(authorization='Digest username="alice"')))
    assert isinstance(result, Response)
    assert result.status_code == 400


def test_check_basic_refuses_plain_http_by_default(kit: Kit) -> None:
    header = basic("alice", "secret")
    refused = https_basic_zone(Request(kit.make_environ(authorization=header)))
    assert isinstance(refused, Response)
    assert refused.status_code == 403
    secure = Request(kit.make_environ(authorization=header, scheme="https"))
    assert https_basic_zone(secure) == "https basic alice"
    challenge = https_basic_zone(Request(kit.make_environ(scheme="https")))
    assert isinstance(challenge, Response)
    assert challenge.headers["WWW-Authenticate"] == 'Basic realm="Admin Zone", charset="UTF-8"'


def test_default_schemes_are_made_per_handler(kit: Kit) -> None:
    @check_digest(ADMINS, "alice")
    def own(req: Request) -> str:
        return "own"

    header = kit.digest_authorization(challenge_for(kit, own), "alice", "secret")
    assert own(Request(kit.make_environ(authorization=header))) == "own"
    md5 = DigestScheme(algorithms=[DigestAlgorithm.MD5])

    @check_digest(ADMINS, scheme=md5)
    def legacy(req: Request) -> str:
        return "legacy"

    assert kit.challenge_params(challenge_for(kit, legacy))["algorithm"] == "MD5"


def test_real_clients_through_a_server(serve: Callable[[WSGIApplication], str]) -> None:
    base = serve(wsgi(admin_zone))
    welcome = "Only for admins, just like you, alice."
    answer = requests.get(
        base + "/admin?x=1", auth=requests.auth.HTTPDigestAuth("alice", "secret"), timeout=10
    )
    assert (answer.status_code, answer.text) == (200, welcome)
    assert httpx.get(base + "/admin", auth=httpx.DigestAuth("alice", "secret")).text == welcome
    wrong = requests.get(
        base + "/admin", auth=requests.auth.HTTPDigestAuth("alice", "nope"), timeout=10
    )
    assert wrong.status_code == 401
    assert httpx.get(base + "/admin", auth=httpx.DigestAuth("alice", "nope")).status_code == 401
    program = require_service("curl", "apt-get install curl")
    done = subprocess.run(
        [program, "-s", "--digest", "-u", "alice:secret", base + "/admin"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert done.stdout == welcome


def test_curl_basic_through_a_server(serve: Callable[[WSGIApplication], str]) -> None:
    base = serve(wsgi(basic_zone))
    program = require_service("curl", "apt-get install curl")

    def fetch(credentials: str) -> str:
        done = subprocess.run(
            [program, "-s", "-w", " %{http_code}", "--basic", "-u", credentials, base + "/b"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout

    assert fetch("bob:builder") == "basic bob 200"
    assert fetch("bob:wrong").endswith(" 401")
