"""Reading ``shallot dav --config FILE``: the file's configuration, and which options it sets.

The command needs both: the :class:`~shallot.dav.DAVConfig` the file describes, and the names the
file sets explicitly, because the command's own defaults (a state folder, Digest when users are
given) apply only where the file is silent. A file saying ``state = "memory"`` means memory, while
a file without ``state`` gets the command's default.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from shallot.dav import ConfigError, DAVConfig

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["read_config"]


def read_config(path: Path) -> tuple[DAVConfig, dict[str, object]]:
    """The configuration in the TOML file at ``path`` and the values it sets, by option name.

    Relative paths in the file are relative to its folder. Raises
    :class:`~shallot.dav.ConfigError` when the file cannot be read, is not TOML, or holds an
    unknown option or a bad value.
    """
    try:
        with path.open("rb") as stream:
            values: dict[str, object] = tomllib.load(stream)
    except OSError as error:
        raise ConfigError("config", f"cannot read {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("config", f"{path} is not valid TOML: {error}") from None
    return DAVConfig.from_mapping(values, base=path.parent), values
