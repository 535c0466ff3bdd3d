from __future__ import annotations

import logging
import time
from http.cookies import SimpleCookie

import pytest

from shallot.http import Request, Response
from shallot.sessions import (
    MAX_COOKIE_SIZE,
    CookieCodec,
    Session,
    SessionCookieTooLarge,
)

SECRET = "cookie session secret"


def value_of(set_cookie: str) -> str:
    """The cookie value in a ``Set-Cookie`` header value."""
    return set_cookie.split(";")[0].split("=", 1)[1]


def carrying(value: str, name: str = "SESSID") -> Request:
    return Request({"HTTP_COOKIE": f"other=1; {name}={value}"})


def test_poorwsgi_shape_load_data_write_header() -> None:
    session = Session(SECRET)
    session.load(Request({}))
    assert dict(session.data) == {}
    session.data["user"] = "ann"
    response = Response("ok")
    set_cookie = session.header(response)
    assert response.headers.getall("Set-Cookie") == [set_cookie]
    again = Session(SECRET)
    again.load(carrying(value_of(set_cookie)))
    assert dict(again.data) == {"user": "ann"}
    assert again.key_index == 0


def test_a_real_cookie_parser_reads_the_cookie_we_write() -> None:
    session = Session(SECRET, secure=True, domain="example.org", path="/app", samesite="Strict")
    session["user"] = "ann"
    parsed = SimpleCookie()
    parsed.load(session.write())
    morsel = parsed["SESSID"]
    assert (morsel["path"], morsel["domain"], morsel["max-age"]) == (
        "/app",
        "example.org",
        "1209600",
    )
    assert (morsel["secure"], morsel["httponly"], morsel["samesite"]) == (True, True, "Strict")
    assert CookieCodec(SECRET).decode(morsel.value).data == {"user": "ann"}


def test_the_signed_expiry_follows_max_age() -> None:
    session = Session(SECRET, max_age=60)
    session["a"] = 1
    before = time.time()
    decoded = CookieCodec(SECRET).decode(value_of(session.write()))
    assert decoded.expires_at is not None
    assert before + 59 <= decoded.expires_at <= time.time() + 60
    browser = Session(SECRET, max_age=None)
    browser["a"] = 1
    set_cookie = browser.write()
    assert "Max-Age" not in set_cookie
    assert CookieCodec(SECRET).decode(value_of(set_cookie)).expires_at is None


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "AQ" * 30,
        "%%%",
        CookieCodec("another secret").encode({"user": "admin"}),
    ],
)
def test_a_bad_cookie_is_an_empty_session_and_a_warning_never_an_error(
    value: str, caplog: pytest.LogCaptureFixture
) -> None:
    session = Session(SECRET)
    with caplog.at_level(logging.WARNING, "shallot.sessions"):
        session.load(carrying(value))
    assert dict(session) == {}
    assert session.key_index is None
    assert [record.name for record in caplog.records] == ["shallot.sessions"]
    assert "session cookie 'SESSID' ignored" in caplog.text


def test_a_tampered_cookie_is_an_empty_session(caplog: pytest.LogCaptureFixture) -> None:
    good = CookieCodec(SECRET).encode({"user": "ann"})
    for position in range(0, len(good), 7):
        tampered = good[:position] + ("B" if good[position] != "B" else "C") + good[position + 1 :]
        session = Session(SECRET)
        session.load(carrying(tampered))
        assert dict(session) == {}
    assert caplog.text.count("ignored") == len(range(0, len(good), 7))


def test_an_expired_cookie_replayed_is_an_empty_session(caplog: pytest.LogCaptureFixture) -> None:
    expired = CookieCodec(SECRET).encode({"user": "ann"}, time.time() - 1)
    session = Session(SECRET)
    session.load(carrying(expired))
    assert dict(session) == {}
    assert "expired" in caplog.text


def test_key_rotation_loads_old_cookies_and_re_signs_them_on_the_next_write() -> None:
    old = Session("old secret")
    old["user"] = "ann"
    old_value = value_of(old.write())
    rotated = Session(["new secret", "old secret"])
    rotated.load(carrying(old_value))
    assert (dict(rotated), rotated.key_index) == ({"user": "ann"}, 1)
    rotated["seen"] = True
    new_value = value_of(rotated.write())
    assert CookieCodec("new secret").decode(new_value).data == {"user": "ann", "seen": True}
    only_old = Session("old secret")
    only_old.load(carrying(new_value))
    assert dict(only_old) == {}


def test_a_cookie_over_4_kb_warns_and_logs_when_written(caplog: pytest.LogCaptureFixture) -> None:
    session = Session(SECRET, compress=False)
    session["blob"] = "x" * MAX_COOKIE_SIZE
    with pytest.warns(SessionCookieTooLarge, match="over the 4096") as warned:
        set_cookie = session.write()
    warning = warned[0].message
    assert isinstance(warning, SessionCookieTooLarge)
    assert warning.size == len(set_cookie) > MAX_COOKIE_SIZE
    assert "over the 4096" in caplog.text


def test_a_cookie_just_under_4_kb_does_not_warn() -> None:
    session = Session(SECRET, compress=False)
    session["blob"] = "x" * 2000
    set_cookie = session.write()  # warnings are errors in this suite
    assert len(set_cookie) < MAX_COOKIE_SIZE


def test_an_incoming_cookie_over_4_kb_is_ignored(caplog: pytest.LogCaptureFixture) -> None:
    session = Session(SECRET, compress=False)
    session["blob"] = "x" * MAX_COOKIE_SIZE
    with pytest.warns(SessionCookieTooLarge):
        oversized = value_of(session.write())
    reader = Session(SECRET)
    reader.load(carrying(oversized))
    assert dict(reader) == {}
    assert "over the limit of 4096" in caplog.text


def test_compression_lets_repetitive_data_fit() -> None:
    session = Session(SECRET)
    session["blob"] = "x" * MAX_COOKIE_SIZE
    set_cookie = session.write()
    assert len(set_cookie) < 200
    again = Session(SECRET)
    again.load(carrying(value_of(set_cookie)))
    assert again["blob"] == "x" * MAX_COOKIE_SIZE


def test_encrypted_sessions_round_trip_and_hide_the_data() -> None:
    session = Session(SECRET, encrypt=True)
    session["card"] = "4111 1111"
    value = value_of(session.write())
    assert CookieCodec(SECRET, encrypt=True).decode(value).data == {"card": "4111 1111"}
    again = Session(SECRET, encrypt=True)
    again.load(carrying(value))
    assert dict(again) == {"card": "4111 1111"}
    tampered = value[:-5] + ("A" if value[-5] != "A" else "B") + value[-4:]
    broken = Session(SECRET, encrypt=True)
    broken.load(carrying(tampered))
    assert dict(broken) == {}


def test_destroy_and_an_emptied_session_delete_the_cookie() -> None:
    session = Session(SECRET, path="/app")
    session.load(carrying(CookieCodec(SECRET).encode({"user": "ann"})))
    session.destroy()
    assert session.commit() == (
        "SESSID=; Path=/app; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
        "HttpOnly; SameSite=Lax"
    )
    emptied = Session(SECRET)
    emptied.load(carrying(CookieCodec(SECRET).encode({"user": "ann"})))
    del emptied["user"]
    set_cookie = emptied.commit()
    assert set_cookie is not None
    assert "Max-Age=0" in set_cookie


def test_regenerate_rewrites_the_cookie() -> None:
    session = Session(SECRET, encrypt=True)
    value = CookieCodec(SECRET, encrypt=True).encode({"user": "ann"})
    session.load(carrying(value))
    session.regenerate()
    set_cookie = session.commit()
    assert set_cookie is not None
    assert value_of(set_cookie) != value


def test_another_cookie_name_is_read_and_written() -> None:
    session = Session(SECRET, name="app_session")
    session.load(carrying(CookieCodec(SECRET).encode({"a": 1}), name="app_session"))
    assert dict(session) == {"a": 1}
    session["b"] = 2
    assert session.write().startswith("app_session=")
    assert session.settings.name == "app_session"


def test_bad_configuration_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="secret"):
        Session("")
    with pytest.raises(ValueError, match="requires secure"):
        Session(SECRET, samesite="None")
