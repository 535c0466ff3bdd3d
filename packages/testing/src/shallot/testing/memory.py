"""The memory this test process holds, for tests that promise to stream in flat memory.

Serving a 2 GiB file or taking a 50 MiB upload must not grow the process by the size of the data;
such a test compares :func:`resident_set_size` before and during the transfer (the app runs in a
thread of the same process, under the ``serve`` fixture)::

    before = resident_set_size()
    ...  # stream the large body
    assert resident_set_size() - before < 8 * 1024 * 1024
"""

from __future__ import annotations


def resident_set_size() -> int:
    """This process's resident set size in bytes, read from ``/proc/self/status`` (Linux only)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")
