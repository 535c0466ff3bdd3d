from __future__ import annotations

import logging

import pytest

from shallot.http import Request
from shallot.sessions import (
    MemorySessionStore,
    ServerSession,
    SessionChanges,
    SessionStore,
    Signer,
)
from shallot.sessions.base64url import encode_base64url
from shallot.sessions.server_session import new_session_id

SECRET = "server session secret"


def value_of(set_cookie: str) -> str:
    return set_cookie.split(";")[0].split("=", 1)[1]


def carrying(value: str) -> Request:
    return Request({"HTTP_COOKIE": f"SESSID={value}"})


def started(store: SessionStore, data: dict[str, int], secret: str | None = SECRET) -> str:
    """The cookie value of a new stored session holding ``data``."""
    session = ServerSession(store, secret_key=secret)
    session.update(data)
    return value_of(session.write())


def loaded(store: SessionStore, cookie: str, secret: str | None = SECRET) -> ServerSession:
    session = ServerSession(store, secret_key=secret)
    session.load(carrying(cookie))
    return session


def test_a_new_session_is_stored_under_a_random_id_only_once_it_has_data(
    store: SessionStore,
) -> None:
    session = ServerSession(store, secret_key=SECRET)
    session.load(Request({}))
    assert session.id is None
    assert session.commit() is None
    session["user"] = "ann"
    set_cookie = session.commit()
    assert set_cookie is not None
    assert set_cookie.endswith("; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax")
    assert session.id is not None
    assert len(session.id) == 43
    assert session.id not in set_cookie  # signed: the id is inside a signed token
    assert store.load(session.id) == {"user": '"ann"'}
    assert dict(loaded(store, value_of(set_cookie))) == {"user": "ann"}


def test_without_a_secret_the_cookie_is_the_bare_id(store: SessionStore) -> None:
    cookie = started(store, {"a": 1}, secret=None)
    session = loaded(store, cookie, secret=None)
    assert session.id == cookie
    assert dict(session) == {"a": 1}


def test_only_changed_keys_are_saved(store: SessionStore) -> None:
    cookie = started(store, {"a": 1, "b": 2})
    first, second = loaded(store, cookie), loaded(store, cookie)
    first["a"] = 10
    second["b"] = 20
    first.commit()
    second.commit()
    assert dict(loaded(store, cookie)) == {"a": 10, "b": 20}


def test_read_only_requests_save_nothing(store: SessionStore) -> None:
    cookie = started(store, {"a": 1})
    session = loaded(store, cookie)
    assert session["a"] == 1
    assert session.commit() is None


@pytest.mark.parametrize(
    "cookie",
    [
        "garbage",
        new_session_id(),  # a well-formed id, unsigned
        encode_base64url(Signer("other secret", purpose="session id").sign(b"x" * 43)),
        encode_base64url(Signer(SECRET, purpose="session id").sign(b"not an id")),
        encode_base64url(Signer(SECRET, purpose="cookie session").sign(b"x" * 43)),
    ],
)
def test_forged_cookies_are_refused_without_asking_the_store(
    cookie: str, caplog: pytest.LogCaptureFixture
) -> None:
    session = loaded(MemorySessionStore(), cookie)
    assert dict(session) == {}
    assert "ignored" in caplog.text


def test_an_unknown_id_is_never_adopted(
    store: SessionStore, caplog: pytest.LogCaptureFixture
) -> None:
    planted = new_session_id()
    with caplog.at_level(logging.INFO, "shallot.sessions"):
        session = loaded(store, planted, secret=None)
    assert "names no live session" in caplog.text
    session["user"] = "ann"
    set_cookie = session.write()
    assert session.id != planted
    assert value_of(set_cookie) == session.id
    assert store.load(planted) is None


def test_regenerate_moves_the_data_to_a_new_id_and_kills_the_old(store: SessionStore) -> None:
    cookie = started(store, {"cart": 3})
    session = loaded(store, cookie)
    old_id = session.id
    assert old_id is not None
    session.regenerate()
    session["user"] = 7
    new_cookie = value_of(session.write())
    assert session.id not in (None, old_id)
    assert store.load(old_id) is None
    assert dict(loaded(store, cookie)) == {}
    assert dict(loaded(store, new_cookie)) == {"cart": 3, "user": 7}


def test_regenerate_alone_is_a_change(store: SessionStore) -> None:
    cookie = started(store, {"cart": 3})
    session = loaded(store, cookie)
    session.regenerate()
    new_cookie = session.commit()
    assert new_cookie is not None
    assert value_of(new_cookie) != cookie
    assert dict(loaded(store, value_of(new_cookie))) == {"cart": 3}


def test_destroy_removes_the_stored_session_and_the_cookie(store: SessionStore) -> None:
    cookie = started(store, {"user": 1})
    session = loaded(store, cookie)
    old_id = session.id
    assert old_id is not None
    session.destroy()
    set_cookie = session.commit()
    assert set_cookie is not None
    assert "Max-Age=0" in set_cookie
    assert store.load(old_id) is None
    assert session.id is None


def test_destroy_deletes_a_session_the_request_never_read(store: SessionStore) -> None:
    cookie = started(store, {"user": 1})
    stored_id = loaded(store, cookie).id
    assert stored_id is not None
    session = ServerSession(store, secret_key=SECRET)
    session.bind(carrying(cookie))
    session.destroy()
    session.commit()
    assert store.load(stored_id) is None


def test_keys_set_after_destroy_start_a_new_session(store: SessionStore) -> None:
    cookie = started(store, {"user": 1})
    session = loaded(store, cookie)
    old_id = session.id
    assert old_id is not None
    session.destroy()
    session["flash"] = "bye"
    new_cookie = value_of(session.write())
    assert store.load(old_id) is None
    assert dict(loaded(store, new_cookie)) == {"flash": "bye"}


def test_an_emptied_session_is_removed(store: SessionStore) -> None:
    cookie = started(store, {"user": 1})
    session = loaded(store, cookie)
    old_id = session.id
    assert old_id is not None
    del session["user"]
    set_cookie = session.commit()
    assert set_cookie is not None
    assert "Max-Age=0" in set_cookie
    assert store.load(old_id) is None


def test_write_without_changes_restarts_the_expiry() -> None:
    now = [1_000.0]
    store = MemorySessionStore(clock=lambda: now[0])
    session = ServerSession(store, max_age=10)
    session["a"] = 1
    cookie = value_of(session.write())
    now[0] += 9
    again = ServerSession(store, max_age=10)
    again.load(carrying(cookie))
    assert "Max-Age=10;" in again.write()
    now[0] += 9
    assert dict(loaded(store, cookie, secret=None)) == {"a": 1}
    now[0] += 1
    assert dict(loaded(store, cookie, secret=None)) == {}


def test_stored_data_that_is_not_json_is_an_empty_session(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = MemorySessionStore()
    store.save(new_session_id(), SessionChanges({"a": "1"}), 60)
    session_id = new_session_id()
    store.save(session_id, SessionChanges({"a": "{not json"}), 60)
    assert dict(loaded(store, session_id, secret=None)) == {}
    assert "not JSON" in caplog.text


def test_the_id_signature_follows_key_rotation(store: SessionStore) -> None:
    cookie = started(store, {"a": 1}, secret="old")
    rotated = ServerSession(store, secret_key=["new", "old"])
    rotated.load(carrying(cookie))
    assert dict(rotated) == {"a": 1}
    rotated["b"] = 2
    new_cookie = value_of(rotated.write())
    assert dict(loaded(store, new_cookie, secret="new")) == {"a": 1, "b": 2}
    assert dict(loaded(store, new_cookie, secret="old")) == {}


def test_a_server_session_must_expire() -> None:
    with pytest.raises(ValueError, match="max_age"):
        ServerSession(MemorySessionStore(), max_age=None)  # type: ignore[arg-type]  # the point
    with pytest.raises(ValueError, match="positive"):
        ServerSession(MemorySessionStore(), max_age=0)
    assert ServerSession(MemorySessionStore(), name="sid").settings.name == "sid"
