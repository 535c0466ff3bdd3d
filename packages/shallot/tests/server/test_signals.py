from __future__ import annotations

import os
import signal
import threading

import pytest

from shallot.server.signals import STOP_SIGNALS, stop_on_signals


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
