"""The ``Timeout`` header (RFC 4918 section 10.7): parsed, capped by a maximum, written back.

A client sends a list of preferences, most preferred first (``Infinite, Second-4100000000``). The
server may grant anything; this module grants the first entry, capped by the configured maximum,
which is how an ``Infinite`` request becomes a finite lock. Every entry must be well-formed
(``Second-N`` with ``N`` from 1 to 2**32 - 1, or ``Infinite``, case-insensitive as ABNF strings
are): a malformed header is refused with :class:`~shallot.locks.errors.InvalidTimeout` instead of
being half understood. A timeout of 0 seconds is refused too: it would grant a lock that is gone
before the client could use it.
"""

from __future__ import annotations

import re

from shallot.locks.errors import InvalidTimeout

LARGEST_TIMEOUT = 2**32 - 1
"""The largest ``Second-N`` value RFC 4918 allows."""

_SECONDS = re.compile(r"second-([0-9]+)", re.IGNORECASE)


def parse_timeout(value: str | None) -> int | None:
    """The seconds a ``Timeout`` header value asks for; ``None`` for ``Infinite`` or no header.

    The result is what the client wants: :func:`cap_timeout` (which the lock manager applies)
    decides what it gets. Raises ``InvalidTimeout`` naming the first malformed entry.
    """
    if value is None:
        return None
    entries = [entry.strip() for entry in value.split(",")]
    entries = [entry for entry in entries if entry]
    if not entries:
        raise InvalidTimeout(value, "no timeout given")
    requested = [_parse_entry(value, entry) for entry in entries]
    return requested[0]


def _parse_entry(value: str, entry: str) -> int | None:
    if entry.lower() == "infinite":
        return None
    match = _SECONDS.fullmatch(entry)
    if match is None:
        raise InvalidTimeout(value, f"{entry!r} is neither 'Second-N' nor 'Infinite'")
    return check_seconds(int(match.group(1)), value)


def check_seconds(seconds: int, value: object = None) -> int:
    """``seconds`` if usable (1 to 2**32 - 1), else ``InvalidTimeout`` naming ``value``."""
    shown = seconds if value is None else value
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise InvalidTimeout(shown, "not a whole number of seconds")
    if seconds < 1:
        raise InvalidTimeout(shown, "a timeout must be at least one second")
    if seconds > LARGEST_TIMEOUT:
        raise InvalidTimeout(shown, f"more than {LARGEST_TIMEOUT} seconds")
    return seconds


def cap_timeout(requested: int | None, maximum: int | None) -> int | None:
    """The timeout granted for ``requested`` under ``maximum`` (``None``: infinite, no cap)."""
    if maximum is None:
        return requested
    if requested is None:
        return maximum
    return min(requested, maximum)


def format_timeout(seconds: int | None) -> str:
    """The header form of a timeout: ``Second-N``, or ``Infinite`` for ``None``."""
    return "Infinite" if seconds is None else f"Second-{seconds}"
