"""Turning SIGINT and SIGTERM into a clean stop.

A server waits on a :class:`threading.Event`; these signals set it, so Ctrl-C and ``kill`` (or a
service manager) end the process through the same orderly shutdown, with exit status 0::

    stop = threading.Event()
    with stop_on_signals(stop):
        server.serve(stop)
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import threading
    from collections.abc import Iterator
    from types import FrameType

__all__ = ["STOP_SIGNALS", "stop_on_signals"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""The signals that ask a server to stop."""


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
