"""Test fixtures for WSGI apps and Shallot packages: real servers on loopback, a real Redis and a
real memcached.

Installing ``shallot-testing`` registers a pytest plugin with the ``serve``, ``cheroot_serve``,
``call``, ``redis_server``, ``redis``, ``memcached_server`` and ``memcached`` fixtures (see
:mod:`shallot.testing.plugin`). The helpers that go with ``serve``: send a request and read the
answer as it came (:func:`fetch`, :func:`connect`), put apps under test behind wsgiref's validator
while recording what they handed to the server (:func:`validated`, :func:`route_table`), and
measure the process's memory (:func:`resident_set_size`). Without a server: :func:`call` sends
one request to an app in this process, on the environ :func:`make_environ` builds.
"""

from __future__ import annotations

from shallot.testing.__about__ import __version__ as __version__
from shallot.testing.cheroot_server import CherootServer as CherootServer
from shallot.testing.client import Reply as Reply
from shallot.testing.client import connect as connect
from shallot.testing.client import fetch as fetch
from shallot.testing.in_process import Call as Call
from shallot.testing.in_process import call as call
from shallot.testing.in_process import make_environ as make_environ
from shallot.testing.live_server import LiveServer as LiveServer
from shallot.testing.live_server import Serve as Serve
from shallot.testing.memcached_server import MemcachedServer as MemcachedServer
from shallot.testing.memcached_server import MemcachedServerError as MemcachedServerError
from shallot.testing.memory import resident_set_size as resident_set_size
from shallot.testing.redis_server import RedisServer as RedisServer
from shallot.testing.redis_server import RedisServerError as RedisServerError
from shallot.testing.service_process import free_port as free_port
from shallot.testing.services import require_service as require_service
from shallot.testing.services import services_required as services_required
from shallot.testing.wsgi import route_table as route_table
from shallot.testing.wsgi import validated as validated

__all__ = [
    "Call",
    "CherootServer",
    "LiveServer",
    "MemcachedServer",
    "MemcachedServerError",
    "RedisServer",
    "RedisServerError",
    "Reply",
    "Serve",
    "__version__",
    "call",
    "connect",
    "fetch",
    "free_port",
    "make_environ",
    "require_service",
    "resident_set_size",
    "route_table",
    "services_required",
    "validated",
]
