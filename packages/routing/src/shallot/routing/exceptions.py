"""The errors routing raises at the caller: a route that cannot be registered, a URL that cannot
be built.

Both are raised where the fault is found and say what was wrong and with which pattern or route,
so a broken route table fails when the app is assembled, not on the first request.
"""

from __future__ import annotations

__all__ = ["BuildError", "RouteError"]


class RouteError(ValueError):
    """A route, filter or handler registration the App refuses.

    Raised for a malformed pattern (an unclosed ``<``, a bad group name, an inline regex that does
    not compile), a group name used twice, an unknown filter, or a method already taken by another
    handler of the same pattern. :attr:`pattern` is the pattern (or filter name) concerned and
    :attr:`reason` says what is wrong with it.
    """

    def __init__(self, pattern: str, reason: str) -> None:
        self.pattern = pattern
        self.reason = reason
        super().__init__(f"{pattern!r}: {reason}")


class BuildError(LookupError):
    """A URL ``url_for`` cannot build.

    Raised when no route answers to the endpoint (a handler or a route name), when the parameters
    given are not those of any of its routes, or when a value does not convert to text its filter
    accepts. :attr:`endpoint` is what was asked for and :attr:`reason` says why it failed.
    """

    def __init__(self, endpoint: str, reason: str) -> None:
        self.endpoint = endpoint
        self.reason = reason
        super().__init__(f"cannot build a URL for {endpoint}: {reason}")
