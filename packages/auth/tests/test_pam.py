"""The machine's accounts through PAM: a real account made for the test, real PAM services.

The account (``useradd`` + ``chpasswd``) and a PAM service of the test's own (``pam_unix`` with
``nodelay``, so wrong passwords are answered at once) are created as root and removed afterwards;
without root, Linux or the account tools the tests are skipped, and fail under
``SHALLOT_REQUIRE_SERVICES=1``. The tests of configuration need only the binding and libpam.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest

from shallot.auth import (
    AccessRules,
    Authenticator,
    BasicScheme,
    DictUserStore,
    DigestAlgorithm,
    DigestScheme,
    DigestUnavailable,
    MissingExtra,
    PathRule,
    Realm,
    check_basic,
    check_digest,
    supports_digest,
)
from shallot.auth.pam import DEFAULT_SERVICE, MAX_PASSWORD_BYTES, PAMUserStore
from shallot.http import Request
from shallot.testing import fetch, require_service, services_required

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.testing import Serve

PAM_DIR = Path("/etc/pam.d")
PASSWORD = "Pässwort mit Leerzeichen: 1"  # non-ASCII, spaces, a colon


class Account(NamedTuple):
    """A real account made for the tests, and a PAM service of their own."""

    name: str
    password: str
    service: str


def require_accounts() -> None:
    """Skip, or fail under SHALLOT_REQUIRE_SERVICES=1, where test accounts cannot be made."""
    reason = None
    if not sys.platform.startswith("linux"):
        reason = "PAM accounts are tested on Linux"
    elif os.geteuid() != 0:
        reason = "creating a test account (useradd, chpasswd) needs root"
    elif not PAM_DIR.is_dir():
        reason = f"no {PAM_DIR} (apt-get install libpam-runtime)"
    if reason is not None:
        if services_required():
            pytest.fail(f"{reason}, and SHALLOT_REQUIRE_SERVICES=1 requires it")
        pytest.skip(reason)
    for tool in ("useradd", "chpasswd", "userdel", "passwd"):
        require_service(tool, "apt-get install passwd")


def add_user(name: str) -> None:
    subprocess.run(
        ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )


def remove_user(name: str) -> None:
    subprocess.run(["userdel", name], check=True, capture_output=True)


@pytest.fixture(scope="module")
def account() -> Iterator[Account]:
    require_accounts()
    token = secrets.token_hex(4)
    name = f"shallot{token}"
    service = PAM_DIR / f"shallot-test-{token}"
    add_user(name)
    try:
        subprocess.run(
            ["chpasswd"], input=f"{name}:{PASSWORD}\n".encode(), check=True, capture_output=True
        )
        service.write_text("auth required pam_unix.so nodelay\naccount required pam_unix.so\n")
        try:
            yield Account(name, PASSWORD, service.name)
        finally:
            service.unlink()
    finally:
        remove_user(name)


@pytest.fixture
def store(account: Account) -> PAMUserStore:
    return PAMUserStore(account.service)


def test_the_right_password_is_accepted(account: Account, store: PAMUserStore) -> None:
    assert store.check_password("any realm", account.name, account.password)


def test_the_default_service_login_takes_the_account(account: Account) -> None:
    store = PAMUserStore()
    assert store.service == DEFAULT_SERVICE == "login"
    assert store.check_password("files", account.name, account.password)
    assert not store.check_password("files", account.name, "not it")  # Debian: after a 3 s delay


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("{user}", "wrong password"),
        ("{user}", "{password} "),
        ("{user}", "{shorter}"),
        ("{user}", ""),
        ("{user}", "{password}\0anything"),  # C would stop at NUL: the right password
        ("{user}", "{password}\n"),
        ("{user}", "{password}\r"),
        ("{user}", "x" * (MAX_PASSWORD_BYTES + 1)),
        ("{user}", "\ud800"),  # a lone surrogate: not UTF-8
        ("nosuchuser{token}", "{password}"),
        ("", "{password}"),
        ("{user}\0", "{password}"),
        ("{user}\n", "{password}"),
        ("{user}\nroot", "{password}"),
        ("\t{user}", "{password}"),
        ("{user}\u00e9", "{password}"),
        ("u" * 300, "{password}"),
        ("root", "{password}"),  # denied by default
    ],
)
def test_everything_else_is_refused_never_raised(
    account: Account, store: PAMUserStore, username: str, password: str
) -> None:
    values = {
        "user": account.name,
        "password": account.password,
        "shorter": account.password[:-1],
        "token": secrets.token_hex(3),
    }
    assert not store.check_password("files", username.format(**values), password.format(**values))


def test_an_account_without_password_is_refused_with_an_empty_one(account: Account) -> None:
    import pamela  # type: ignore[import-untyped, unused-ignore]  # the binding itself

    name = f"shallotnp{secrets.token_hex(3)}"
    add_user(name)
    try:
        subprocess.run(["passwd", "-d", name], check=True, capture_output=True)
        pamela.authenticate(name, "", service="login", resetcred=0)  # PAM itself lets it in
        assert not PAMUserStore().check_password("files", name, "")
    finally:
        remove_user(name)


def test_allow_and_deny_users(account: Account) -> None:
    name, password, service = account
    assert not PAMUserStore(service, allow_users={"someone-else"}).check_password(
        "r", name, password
    )
    assert not PAMUserStore(service, deny_users={name}).check_password("r", name, password)
    assert PAMUserStore(service, allow_users=[name], deny_users=()).check_password(
        "r", name, password
    )


def test_a_failing_pam_service_refuses_and_says_why(
    account: Account, caplog: pytest.LogCaptureFixture
) -> None:
    broken = PAM_DIR / f"shallot-broken-{secrets.token_hex(3)}"
    broken.write_text("auth required pam_shallot_does_not_exist.so\naccount required pam_unix.so\n")
    try:
        with caplog.at_level(logging.ERROR, "shallot.auth"):
            assert not PAMUserStore(broken.name).check_password("r", account.name, PASSWORD)
    finally:
        broken.unlink()
    assert f"PAM service {broken.name!r} could not check user={account.name!r}" in caplog.text
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize("serialize", [False, True])
def test_concurrent_checks_each_get_their_own_answer(account: Account, serialize: bool) -> None:
    store = PAMUserStore(account.service, serialize=serialize)
    expected = [index % 2 == 0 for index in range(12)]
    results: dict[int, bool] = {}

    def check(index: int) -> None:
        password = account.password if expected[index] else f"wrong {index}"
        results[index] = store.check_password("r", account.name, password)

    threads = [threading.Thread(target=check, args=(index,)) for index in range(len(expected))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[index] for index in range(len(expected))] == expected


def test_basic_authentication_against_the_account_under_a_real_server(
    account: Account, serve: Serve
) -> None:
    def whoami(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
        return [(Request(environ).user or "?").encode()]

    realm = Realm("machine", PAMUserStore(account.service))
    base = serve(Authenticator(whoami, realm, schemes=[BasicScheme(require_https=False)]))

    def basic(password: str) -> dict[str, str]:
        token = base64.b64encode(f"{account.name}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    reply = fetch(base, "/", headers=basic(account.password))
    assert (reply.status, reply.body) == (200, account.name.encode())
    refused = fetch(base, "/", headers=basic("wrong"))
    assert refused.status == 401
    assert refused.headers["WWW-Authenticate"].startswith('Basic realm="machine"')


def nothing(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """An application the tests of configuration never call."""
    raise AssertionError("not called")


def test_digest_refuses_a_pam_realm_when_configured() -> None:
    pam = Realm("machine", PAMUserStore())
    files = Realm("files", DictUserStore({"ann": "pw"}))
    assert not supports_digest(pam.users)
    assert supports_digest(files.users)
    with pytest.raises(DigestUnavailable) as raised:
        Authenticator(nothing, pam)
    assert (raised.value.realm, raised.value.store) == ("machine", "PAMUserStore")
    rules = AccessRules([PathRule("/", files), PathRule("/home", pam)])
    with pytest.raises(DigestUnavailable, match="realm 'machine'"):
        Authenticator(
            lambda environ, start_response: [], rules, schemes=[BasicScheme(), DigestScheme()]
        )
    with pytest.raises(DigestUnavailable):
        check_digest(pam)
    with pytest.raises(DigestUnavailable):
        DigestScheme().check_realm(pam)
    Authenticator(nothing, rules, schemes=[BasicScheme()])
    check_basic(pam)
    DigestScheme().check_realm(files)


def test_the_store_never_gives_digest_material() -> None:
    store = PAMUserStore()
    assert store.digest_ha1("r", "root", DigestAlgorithm.SHA256) is None
    assert list(store.usernames("r")) == []
    assert repr(store) == "PAMUserStore(service='login')"


@pytest.mark.parametrize("service", ["", "a/b", "../../etc/shadow", "lo gin", "login\0", "x\n"])
def test_a_bad_service_name_is_refused(service: str) -> None:
    with pytest.raises(ValueError, match="not a PAM service name"):
        PAMUserStore(service)


def test_settings_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(TypeError):
        PAMUserStore(b"login")  # type: ignore[arg-type]  # the fault tested
    with pytest.raises(TypeError, match="not a str"):
        PAMUserStore(allow_users="ann")
    with pytest.raises(TypeError, match="not a str"):
        PAMUserStore(deny_users="root")


def test_without_the_binding_the_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pamela", None)  # what "not installed" looks like to import
    with pytest.raises(MissingExtra, match=r"shallot-auth\[pam\]"):
        PAMUserStore()
