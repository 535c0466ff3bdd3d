from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.http import (
    SESSION_ENVIRON_KEY,
    JSONValue,
    NoSessionError,
    Request,
    RequestSession,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


class DictSession(RequestSession):
    """The smallest session: a dict, with the login/logout moves recorded."""

    def __init__(self) -> None:
        self.data: dict[str, JSONValue] = {}
        self.moves: list[str] = []

    def __getitem__(self, key: str) -> JSONValue:
        return self.data[key]

    def __setitem__(self, key: str, value: JSONValue) -> None:
        self.data[key] = value

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def regenerate(self) -> None:
        self.moves.append("regenerate")

    def destroy(self) -> None:
        self.data.clear()
        self.moves.append("destroy")


def test_the_session_a_middleware_put_in_the_environ_is_request_session() -> None:
    session = DictSession()
    request = Request({SESSION_ENVIRON_KEY: session})
    request.session["user"] = "ann"
    assert request.session.get("user") == "ann"
    assert request.session.get("missing", 0) == 0
    assert "user" in request.session
    request.session.regenerate()
    request.session.destroy()
    assert session.moves == ["regenerate", "destroy"]
    assert len(request.session) == 0


def test_without_session_middleware_reading_the_session_says_what_is_missing() -> None:
    with pytest.raises(NoSessionError, match="session middleware"):
        Request({}).session  # noqa: B018
