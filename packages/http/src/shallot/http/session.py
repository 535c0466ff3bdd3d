"""Where a request's session lives, so every layer reaches it as ``request.session``.

shallot-http does not keep sessions; shallot-sessions does, in cookies or in a store. What the two
agree on is this module: session middleware (WSGI or the App's handler middleware) puts a
:class:`RequestSession` in the environ under :data:`SESSION_ENVIRON_KEY`, and
:attr:`shallot.http.Request.session` returns it. Any other session library can do the same.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import MutableMapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shallot.http.types import JSONValue

__all__ = ["SESSION_ENVIRON_KEY", "NoSessionError", "RequestSession"]

SESSION_ENVIRON_KEY = "shallot.session"
"""The environ key of the request's :class:`RequestSession`."""


class NoSessionError(LookupError):
    """``request.session`` was read, but no session middleware put a session in the environ."""

    def __init__(self) -> None:
        super().__init__(
            f"no session in environ[{SESSION_ENVIRON_KEY!r}]: wrap the application in a session "
            "middleware (see shallot.sessions)"
        )


class RequestSession(MutableMapping[str, "JSONValue"]):
    """A request's session: a mutable mapping of JSON values, plus the two moves of a login flow.

    An abstract base rather than a Protocol so that implementations inherit the whole mapping API
    (``get``, ``pop``, ``setdefault``, ``update``) from five methods. Implementations load their
    data on first use and save it only when it changed.
    """

    __slots__ = ()

    @abstractmethod
    def regenerate(self) -> None:
        """Keep the data under a new identity (call it on login, against session fixation)."""

    @abstractmethod
    def destroy(self) -> None:
        """Forget the data and remove the session from the client (logout)."""
