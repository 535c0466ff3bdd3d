"""Where locks and dead properties live: one ``state`` string to a pair of storages.

``state`` is what :attr:`DAVConfig.state <shallot.dav.config.DAVConfig.state>` holds:

- ``"memory"``: both in this process's memory (one worker; gone on restart);
- a folder: two SQLite files in it, ``locks.sqlite`` and ``props.sqlite`` (the folder is created
  when missing), shared by every process of the machine that opens the same folder;
- a ``redis://``, ``rediss://`` or ``unix://`` URL: both in that Redis (extra
  ``shallot-dav[redis]``), shared by every machine; keys under ``shallot:locks:`` and
  ``shallot:props:``.

Two files rather than one keep each storage's schema and transactions its own business, as the
two packages define them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from shallot.dav.config import REDIS_STATE_SCHEMES, ConfigError
from shallot.locks import MemoryLockStorage, SQLiteLockStorage
from shallot.props import MemoryPropertyStorage, SQLitePropertyStorage

if TYPE_CHECKING:
    from shallot.locks import LockStorage
    from shallot.props import PropertyStorage

__all__ = ["LOCKS_FILE", "PROPS_FILE", "StateStorages", "storage_from_state"]

LOCKS_FILE = "locks.sqlite"
"""The SQLite file of the locks in a state folder."""
PROPS_FILE = "props.sqlite"
"""The SQLite file of the dead properties in a state folder."""


class StateStorages(NamedTuple):
    """The lock storage and the property storage made for one ``state``."""

    locks: LockStorage
    props: PropertyStorage

    def close(self) -> None:
        """Close both storages."""
        self.locks.close()
        self.props.close()


def storage_from_state(state: str) -> StateStorages:
    """The storages for ``state`` (see the module documentation).

    Raises :class:`~shallot.dav.config.ConfigError` when the folder cannot be created or is not a
    folder, and when a Redis URL is given without the ``redis`` extra installed.
    """
    if state == "memory":
        return StateStorages(MemoryLockStorage(), MemoryPropertyStorage())
    if state.startswith(REDIS_STATE_SCHEMES):
        try:
            from shallot.locks.redis import RedisLockStorage
            from shallot.props.redis import RedisPropertyStorage

            return StateStorages(
                RedisLockStorage.from_url(state), RedisPropertyStorage.from_url(state)
            )
        except ImportError:
            raise ConfigError(
                "state", "a Redis URL needs the redis extra: pip install 'shallot-dav[redis]'"
            ) from None
    folder = Path(state).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError("state", f"cannot use {folder} as a folder: {error.strerror}") from None
    locks = SQLiteLockStorage(folder / LOCKS_FILE)
    try:
        props = SQLitePropertyStorage(folder / PROPS_FILE)
    except BaseException:
        locks.close()
        raise
    return StateStorages(locks, props)
