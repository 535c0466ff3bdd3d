"""Turning SIGINT and SIGTERM into a clean stop.

A server waits on a :class:`threading.Event`; these signals set it, so Ctrl-C and ``kill`` (or a
service manager) end the process through the same orderly shutdown, with exit status 0::

    stop = threading.Event()
    with stop_on_signals(stop):
        wait_until_set(stop)

Python runs signal handlers in the main thread, between two steps of whatever it was doing, even
another handler. ``Event.set`` and ``Event.wait`` hold the event's internal (non-reentrant) lock
for a moment, so a handler calling ``stop.set()`` would wait forever for a lock held by the very
code it interrupted: the main thread's ``stop.wait()``, or a first handler still inside
``stop.set()`` when a second signal comes (``timeout`` and ``hatch`` both pass SIGTERM on, so one
``kill`` arrives two or three times). So the handler waits for nothing: it hands ``stop.set()`` to
a short-lived thread. And the main thread waits with :func:`wait_until_set`, which sleeps between
checks of ``is_set()`` and holds no lock; other threads may wait on the event as usual.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
        threading.Thread(target=stop.set, name="shallot-stop", daemon=True).start()

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
