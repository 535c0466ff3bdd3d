"""Shared fixtures: a legacy WSGI app's body that records its ``close()``.

In-process calls use shallot-testing's ``call`` fixture (an App behind wsgiref's validator, the
answer as :func:`~shallot.testing.fetch` gives it, with the headers exactly as the App handed them
to ``start_response``), so most behaviour is tested quickly and without threads; tests that must
cross a socket use its ``serve`` fixture and ``fetch`` client.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


class RecordingBody:
    """A legacy WSGI app's answer that counts the calls of its ``close()`` and signals the first,
    so a test can wait for the server to close it and then check it was closed exactly once."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.closes = 0
        self.closed = threading.Event()

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._chunks)

    def close(self) -> None:
        self.closes += 1
        self.closed.set()


@pytest.fixture
def recording() -> type[RecordingBody]:
    """:class:`RecordingBody`, for tests (which cannot import a conftest at run time)."""
    return RecordingBody
