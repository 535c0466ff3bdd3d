"""Fixtures for the integration tests: the assembled system under real servers, in their own
processes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from servers import ServerProcess, demo_command, start_server

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def demo_server() -> Iterator[ServerProcess]:
    """``tools/demo.py`` (``hatch run demo``) on a free loopback port in its own process."""
    server = start_server(demo_command())
    yield server
    server.stop()
