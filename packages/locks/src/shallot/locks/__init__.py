"""WebDAV write locks (RFC 4918 sections 6 to 9) kept in memory, in SQLite or in Redis.

A :class:`LockManager` applies the locking rules over a :class:`LockStorage`:
:class:`MemoryLockStorage` for one process, :class:`SQLiteLockStorage` (the embedded default) for
several processes on one machine, and ``shallot.locks.redis.RedisLockStorage`` (extra
``shallot-locks[redis]``, imported from its module so that this package never needs the Redis
client) for several machines::

    from shallot.locks import Depth, LockManager, SQLiteLockStorage

    locks = LockManager(SQLiteLockStorage("locks.sqlite3"))
    lock = locks.lock("/docs/", depth=Depth.INFINITY, principal="ann", timeout=600)
    locks.check_write_permission("/docs/a.txt", Depth.ZERO, {lock.token}, "ann")
    locks.unlock("/docs", lock.token, principal="ann")
"""

from shallot.locks.__about__ import __version__ as __version__
from shallot.locks.errors import InvalidTimeout as InvalidTimeout
from shallot.locks.errors import InvalidURL as InvalidURL
from shallot.locks.errors import LockConflict as LockConflict
from shallot.locks.errors import LockError as LockError
from shallot.locks.errors import LockNotFound as LockNotFound
from shallot.locks.errors import LockOwnerMismatch as LockOwnerMismatch
from shallot.locks.manager import DEFAULT_MAX_TIMEOUT as DEFAULT_MAX_TIMEOUT
from shallot.locks.manager import LockManager as LockManager
from shallot.locks.memory import MemoryLockStorage as MemoryLockStorage
from shallot.locks.records import Depth as Depth
from shallot.locks.records import Lock as Lock
from shallot.locks.records import Scope as Scope
from shallot.locks.sqlite import SQLiteLockStorage as SQLiteLockStorage
from shallot.locks.storage import LockStorage as LockStorage
from shallot.locks.timeouts import format_timeout as format_timeout
from shallot.locks.timeouts import parse_timeout as parse_timeout
from shallot.locks.urls import normalize_url as normalize_url

__all__ = [
    "DEFAULT_MAX_TIMEOUT",
    "Depth",
    "InvalidTimeout",
    "InvalidURL",
    "Lock",
    "LockConflict",
    "LockError",
    "LockManager",
    "LockNotFound",
    "LockOwnerMismatch",
    "LockStorage",
    "MemoryLockStorage",
    "SQLiteLockStorage",
    "Scope",
    "__version__",
    "format_timeout",
    "normalize_url",
    "parse_timeout",
]
