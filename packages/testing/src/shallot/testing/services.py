"""External programs the tests drive (``redis-server``, ``litmus``): found, skipped, or failed.

A developer without Redis still gets a useful test run (those tests are skipped, with the reason),
while CI sets ``SHALLOT_REQUIRE_SERVICES=1`` so that a missing service fails the run instead of
silently testing less.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_SERVICES = "SHALLOT_REQUIRE_SERVICES"


def services_required() -> bool:
    """Whether a missing service must fail the test run (``SHALLOT_REQUIRE_SERVICES=1``)."""
    return os.environ.get(REQUIRE_SERVICES, "") not in ("", "0")


def require_service(executable: str, install_hint: str = "") -> str:
    """The path of ``executable``; skips the test when absent, or fails it when services are
    required."""
    path = shutil.which(executable)
    if path is not None:
        return path
    reason = f"{executable} is not installed" + (f" ({install_hint})" if install_hint else "")
    if services_required():
        pytest.fail(f"{reason}, and {REQUIRE_SERVICES}=1 requires it")
    pytest.skip(reason)
