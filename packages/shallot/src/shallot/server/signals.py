"""Turning SIGINT and SIGTERM into a clean stop.

A server waits on a :class:`threading.Event`; these signals set it, so Ctrl-C and ``kill`` (or a
service manager) end the process through the same orderly shutdown, with exit status 0::

    stop = threading.Event()
    with stop_on_signals(stop):
        wait_until_set(stop)

The main thread, where Python runs signal handlers, must not block in ``stop.wait()`` meanwhile:
``Event.wait`` holds the event's internal lock for a moment before and after it sleeps, and a
handler that runs in that moment would wait for that lock forever (its holder is the very thread
the handler interrupted). :func:`wait_until_set` sleeps between checks of ``is_set()``, which takes
no lock; other threads may wait on the event as usual.
"""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import threading
    from collections.abc import Iterator
    from types import FrameType

__all__ = ["STOP_SIGNALS", "stop_on_signals", "wait_until_set"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""The signals that ask a server to stop."""

STOP_LATENCY = 0.05
"""Seconds :func:`wait_until_set` sleeps between checks: how late a stop may be noticed."""


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM set ``stop`` instead of interrupting the program.

    The previous handlers are restored on exit. Must be entered in the main thread (Python runs
    signal handlers there only).
    """

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {number: signal.signal(number, handle) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def wait_until_set(stop: threading.Event) -> None:
    """Block until ``stop`` is set, holding no lock a signal handler setting it would need."""
    while not stop.is_set():
        time.sleep(STOP_LATENCY)
