"""Test fixtures for WSGI apps and Shallot packages: real servers on loopback and a real Redis.

Installing ``shallot-testing`` registers a pytest plugin with the ``serve``, ``redis_server`` and
``redis`` fixtures (see :mod:`shallot.testing.plugin`).
"""

from shallot.testing.__about__ import __version__ as __version__
from shallot.testing.live_server import LiveServer as LiveServer
from shallot.testing.redis_server import RedisServer as RedisServer
from shallot.testing.redis_server import RedisServerError as RedisServerError
from shallot.testing.services import require_service as require_service
from shallot.testing.services import services_required as services_required

__all__ = [
    "LiveServer",
    "RedisServer",
    "RedisServerError",
    "__version__",
    "require_service",
    "services_required",
]
