"""resident_set_size follows what the process really holds."""

from __future__ import annotations

import os

import pytest

from shallot.testing import resident_set_size

MiB = 1024 * 1024


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_grows_with_memory_in_use() -> None:
    before = resident_set_size()
    assert before > 0
    block = b"x" * (64 * MiB)
    assert resident_set_size() - before >= 32 * MiB
    del block
