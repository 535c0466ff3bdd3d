from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from shallot.server.signals import STOP_SIGNALS, stop_on_signals, wait_until_set


@pytest.mark.parametrize("signum", STOP_SIGNALS)
def test_a_stop_signal_sets_the_event_instead_of_interrupting(signum: int) -> None:
    stop = threading.Event()
    before = signal.getsignal(signum)
    with stop_on_signals(stop):
        os.kill(os.getpid(), signum)
        assert stop.wait(10)
    assert signal.getsignal(signum) is before


def test_handlers_are_restored_when_the_block_fails() -> None:
    stop = threading.Event()
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    with pytest.raises(RuntimeError), stop_on_signals(stop):
        raise RuntimeError
    assert {signum: signal.getsignal(signum) for signum in STOP_SIGNALS} == before
    assert not stop.is_set()


def test_wait_until_set_returns_once_set_from_another_thread() -> None:
    stop = threading.Event()
    threading.Timer(0.01, stop.set).start()
    wait_until_set(stop)
    assert stop.is_set()


SIGNALLED_WHILE_WAITING = """
import os, random, signal, threading
from shallot.server.signals import stop_on_signals, {wait}

for _ in range(60):
    stop = threading.Event()
    with stop_on_signals(stop):
        kill = threading.Timer(random.uniform(0, 0.002), os.kill, (os.getpid(), signal.SIGTERM))
        kill.start()
        {wait}(stop)
        kill.join()
print("stopped 60 times")
"""


def test_a_signal_landing_at_any_moment_of_the_wait_stops_it() -> None:
    """Each of 60 waits is interrupted by SIGTERM at a random moment. A handler that needed a lock
    the waiting thread holds would hang one of them: with ``while not stop.wait(0)`` in place of
    ``wait_until_set`` this script hangs every time (the run is then killed after a minute)."""
    script = textwrap.dedent(SIGNALLED_WHILE_WAITING).format(wait="wait_until_set")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "stopped 60 times\n"


SIGNALLED_INSIDE_A_HANDLER = """
import signal, threading
from shallot.server.signals import stop_on_signals, wait_until_set

stop = threading.Event()
with stop_on_signals(stop):
    # The moment a first handler is inside Event.set, holding the event's lock, when a second
    # signal comes (a supervisor and a shell both sending SIGTERM, say).
    stop._cond.acquire()
    signal.raise_signal(signal.SIGTERM)
    stop._cond.release()
    wait_until_set(stop)
print("stopped")
"""


def test_a_second_signal_during_the_first_handler_still_stops() -> None:
    """Seen with ``timeout`` and ``hatch`` both passing SIGTERM on: the second handler waited for
    the lock the interrupted first one held, and the server never stopped. The handler must not
    wait for anything; this script hangs with a handler calling ``stop.set()`` itself."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SIGNALLED_INSIDE_A_HANDLER)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert done.stdout == "stopped\n"
