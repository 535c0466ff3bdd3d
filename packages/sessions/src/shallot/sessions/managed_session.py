"""What cookie sessions and server-side sessions share: lazy loading and change tracking.

A :class:`ManagedSession` is a :class:`shallot.http.RequestSession` (so ``request.session`` returns
it) that reads its data only when first used and remembers which keys a request set or deleted.
The middleware relies on both: a request that never touches the session pays nothing, a request
that only reads it sends no ``Set-Cookie`` and writes nothing to a store, and a server-side store
saves only the keys this request changed, so concurrent requests of one session do not overwrite
each other's keys.

Changes are seen through the mapping (``session[key] = value``, ``del``, ``pop``, ``update``,
``clear``, ``setdefault``, assigning :attr:`~ManagedSession.data`). A nested value changed in place
(``session["cart"].append(item)``) is not seen: assign it again (``session["cart"] = cart``).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING

from shallot.http import RequestSession
from shallot.sessions.csrf import CSRF_SESSION_KEY

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, MutableMapping

    from shallot.http import BaseResponse, JSONValue, Request

__all__ = ["ManagedSession"]


class ManagedSession(RequestSession):
    """A request's session that loads lazily and tracks its changes (see the module docs).

    The PoorWSGI-shaped calls: :meth:`load` (read now), :attr:`data`, :meth:`write` (the
    ``Set-Cookie`` value), :meth:`header` (add it to a response), :meth:`destroy`. The middleware's
    calls: :meth:`bind` (read on first use) and :meth:`commit` (save and give the ``Set-Cookie``
    value only when something changed).
    """

    __slots__ = ("_changed", "_data", "_deleted", "_destroyed", "_regenerated", "_request")

    _data: dict[str, JSONValue] | None
    _request: Request | None

    def __init__(self) -> None:
        self._data = None
        self._request = None
        self._changed: set[str] = set()
        self._deleted: set[str] = set()
        self._destroyed = False
        self._regenerated = False

    # -- loading ----------------------------------------------------------------------------------

    def bind(self, request: Request) -> None:
        """Read the session from ``request`` when it is first used (not now)."""
        self._request = request
        self._data = None

    def load(self, request: Request) -> None:
        """Read the session from ``request`` now. A cookie that is missing, tampered with,
        expired or oversized gives an empty session (and a warning on the ``shallot.sessions``
        logger), never an exception."""
        self.bind(request)
        self._loaded()

    def _loaded(self) -> dict[str, JSONValue]:
        data = self._data
        if data is None:
            request = self._request
            self._request = None
            data = self._data = {} if request is None else self._read(request)
        return data

    @abstractmethod
    def _read(self, request: Request) -> dict[str, JSONValue]:
        """The data of the session ``request`` carries; empty (and logged) when it has none."""

    @property
    def loaded(self) -> bool:
        """Whether the data has been read (a request that never used its session did not)."""
        return self._data is not None

    # -- the mapping ------------------------------------------------------------------------------

    @property
    def data(self) -> MutableMapping[str, JSONValue]:
        """The session's data: this session itself, for PoorWSGI's ``session.data[key]``.
        Assigning a mapping replaces the data (a change of every key set and every key
        dropped)."""
        return self

    @data.setter
    def data(self, value: Mapping[str, JSONValue]) -> None:
        current = self._loaded()
        replacement = dict(value)
        for key in current.keys() - replacement.keys():
            del self[key]
        for key, item in replacement.items():
            self[key] = item

    def __getitem__(self, key: str) -> JSONValue:
        return self._loaded()[key]

    def __setitem__(self, key: str, value: JSONValue) -> None:
        self._loaded()[key] = value
        self._changed.add(key)
        self._deleted.discard(key)

    def __delitem__(self, key: str) -> None:
        del self._loaded()[key]
        self._deleted.add(key)
        self._changed.discard(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __contains__(self, key: object) -> bool:
        return key in self._loaded()

    def __repr__(self) -> str:
        shown = repr(self._data) if self._data is not None else "(not loaded)"
        return f"<{type(self).__name__} {shown}>"

    # -- changes ----------------------------------------------------------------------------------

    @property
    def changed(self) -> bool:
        """Whether anything was set, deleted, regenerated or destroyed since the last write."""
        return bool(self._changed or self._deleted or self._destroyed or self._regenerated)

    def regenerate(self) -> None:
        """Keep the data under a new identity when next written (call it on login).

        The CSRF token goes with the old identity: one known before login (planted with a fixed
        session, or read from a page served then) is no use after it, and
        :func:`~shallot.sessions.csrf.csrf_token` makes a new one on next use.
        """
        self.pop(CSRF_SESSION_KEY, None)
        self._regenerated = True

    def destroy(self) -> None:
        """Forget the data; the next write removes the session (and the cookie). Keys set after
        this start a new session."""
        self._request = None
        self._data = {}
        self._changed.clear()
        self._deleted.clear()
        self._destroyed = True

    def _written(self) -> None:
        """Forget the changes: they are saved."""
        self._changed.clear()
        self._deleted.clear()
        self._destroyed = self._regenerated = False

    @abstractmethod
    def write(self) -> str:
        """Save the session as it is now and return the ``Set-Cookie`` header value for it (one
        that deletes the cookie when the session is empty)."""

    def commit(self) -> str | None:
        """:meth:`write` when the session changed; ``None`` (nothing saved, no cookie to send)
        when it did not."""
        if self._changed or self._deleted or self._destroyed or self._regenerated:
            return self.write()
        return None

    def header(self, response: BaseResponse) -> str:
        """:meth:`write`, adding the ``Set-Cookie`` field to ``response``; returns its value."""
        value = self.write()
        response.headers.add("Set-Cookie", value)
        return value
