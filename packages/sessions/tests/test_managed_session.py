"""Change tracking and lazy loading, through the concrete cookie :class:`Session`."""

from __future__ import annotations

import logging

import pytest

from shallot.http import Request
from shallot.sessions import Session

SECRET = "managed"


def stored(data: dict[str, object] | None = None) -> Request:
    """A request carrying a cookie session holding ``data`` (``{"a": 1, "b": 2}`` by default)."""
    session = Session(SECRET)
    session.update(data if data is not None else {"a": 1, "b": 2})  # type: ignore[arg-type]  # test data is JSON
    value = session.write().split(";")[0].split("=", 1)[1]
    return Request({"HTTP_COOKIE": f"SESSID={value}"})


def test_reading_changes_nothing() -> None:
    session = Session(SECRET)
    session.load(stored())
    assert (session["a"], session.get("z"), "b" in session, len(session), list(session)) == (
        1,
        None,
        True,
        2,
        ["a", "b"],
    )
    assert session.changed is False
    assert session.commit() is None


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.__setitem__("a", 1),  # even the same value: nested values may have changed
        lambda s: s.__delitem__("a"),
        lambda s: s.pop("b"),
        lambda s: s.popitem(),
        lambda s: s.update(c=3),
        lambda s: s.setdefault("c", 3),
        lambda s: s.clear(),
        lambda s: setattr(s, "data", {"a": 1}),
        lambda s: s.regenerate(),
        lambda s: s.destroy(),
    ],
)
def test_every_mapping_change_is_seen(change: object) -> None:
    session = Session(SECRET)
    session.load(stored())
    change(session)  # type: ignore[operator]  # the lambdas above
    assert session.changed is True
    assert session.commit() is not None
    assert session.changed is False


def test_assigning_data_replaces_it_key_by_key() -> None:
    session = Session(SECRET)
    session.load(stored())
    session.data = {"b": 2, "c": 3}
    assert dict(session.data) == {"b": 2, "c": 3}
    assert session.data is session
    assert (session._changed, session._deleted) == ({"b", "c"}, {"a"})


def test_binding_reads_nothing_until_the_session_is_used(caplog: pytest.LogCaptureFixture) -> None:
    session = Session(SECRET)
    session.bind(Request({"HTTP_COOKIE": "SESSID=tampered"}))
    assert session.loaded is False
    assert repr(session) == "<Session (not loaded)>"
    assert caplog.records == []
    with caplog.at_level(logging.WARNING, "shallot.sessions"):
        assert dict(session) == {}
    assert session.loaded is True
    assert "ignored" in caplog.text
    assert repr(session) == "<Session {}>"


def test_an_unbound_session_is_empty() -> None:
    session = Session(SECRET)
    assert dict(session) == {}
    session["a"] = 1
    assert session.changed


def test_destroy_forgets_the_data_and_later_keys_start_afresh() -> None:
    session = Session(SECRET)
    session.load(stored())
    session.destroy()
    assert dict(session) == {}
    session["flash"] = "logged out"
    assert dict(session) == {"flash": "logged out"}
    assert session.changed
