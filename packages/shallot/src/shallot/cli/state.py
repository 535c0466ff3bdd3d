"""Where ``shallot dav`` keeps its locks and dead properties by default.

In the user's state directory (XDG Base Directory: ``$XDG_STATE_HOME/shallot``, else
``~/.local/state/shallot``), one folder per set of served folders, named after the root share and
a hash of the mounts and their real paths: serving ``~/a`` and later ``~/b`` must not hand
``~/b``'s files the properties and locks of ``~/a``'s files of the same name, while serving ``~/a``
again finds them where it left them::

    default_state_dir({"/": Path("/srv/docs")})  # ~/.local/state/shallot/dav/docs-5c0e2f1a9b3d

The state never lives inside a served folder, where clients could read, replace or delete it:
:func:`check_state_outside` refuses such a path with :class:`StateInsideShare`.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["StateInsideShare", "check_state_outside", "default_state_dir", "user_state_dir"]


class StateInsideShare(ValueError):
    """The state path lies inside a served folder; ``state`` and ``share`` say which."""

    def __init__(self, state: Path, share: Path) -> None:
        super().__init__(
            f"the state path {state} lies inside the served folder {share}, where clients could "
            "change it: choose another with --state PATH (outside it) or --state memory"
        )
        self.state = state
        self.share = share


def user_state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_STATE_HOME/shallot``, or ``~/.local/state/shallot`` when that variable is unset,
    empty or relative (the XDG specification says to ignore a relative one)."""
    environ = os.environ if environ is None else environ
    configured = environ.get("XDG_STATE_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured) / "shallot"
    home = environ.get("HOME")
    base = Path(home) if home else Path.home()
    return base / ".local" / "state" / "shallot"


def default_state_dir(shares: Mapping[str, Path], environ: Mapping[str, str] | None = None) -> Path:
    """The state folder for serving ``shares`` (mount path -> folder):
    ``<user state dir>/dav/<name>-<hash>``.

    The hash is of the mount paths and the folders' real paths, so one folder reached by two
    paths (a symlink) keeps its state; the name is the folder served at ``/`` (else the first
    one) reduced to safe characters, for humans.
    """
    mounts = sorted((mount, os.path.realpath(folder)) for mount, folder in shares.items())
    if not mounts:
        raise ValueError("no shares to name a state folder after")
    digest = hashlib.sha256()
    for mount, real in mounts:
        digest.update(os.fsencode(mount) + b"\0" + os.fsencode(real) + b"\n")
    named = dict(mounts).get("/", mounts[0][1])
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(named).name).strip("._") or "root"
    return user_state_dir(environ) / "dav" / f"{name[:40]}-{digest.hexdigest()[:12]}"


def check_state_outside(state: Path, shares: Iterable[Path]) -> None:
    """Raise :class:`StateInsideShare` when ``state`` is, or lies inside, one of ``shares``.

    Paths are compared after resolving symlinks, as far as they exist.
    """
    real_state = Path(os.path.realpath(state))
    for share in shares:
        real_share = Path(os.path.realpath(share))
        if real_state == real_share or real_share in real_state.parents:
            raise StateInsideShare(state, share)
