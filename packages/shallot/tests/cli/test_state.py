from __future__ import annotations

import os
from pathlib import Path

import pytest

from shallot.cli.state import (
    StateInsideShare,
    check_state_outside,
    default_state_dir,
    user_state_dir,
)


def test_xdg_state_home_is_used_when_absolute(tmp_path: Path) -> None:
    environ = {"XDG_STATE_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}
    assert user_state_dir(environ) == tmp_path / "xdg" / "shallot"


@pytest.mark.parametrize("xdg", [None, "", "relative/state"])
def test_otherwise_the_home_folder_is_used(tmp_path: Path, xdg: str | None) -> None:
    environ = {"HOME": str(tmp_path)}
    if xdg is not None:
        environ["XDG_STATE_HOME"] = xdg
    assert user_state_dir(environ) == tmp_path / ".local" / "state" / "shallot"


def test_one_folder_per_served_folder(tmp_path: Path) -> None:
    environ = {"XDG_STATE_HOME": str(tmp_path / "xdg")}
    (tmp_path / "My Files").mkdir()
    (tmp_path / "other").mkdir()
    first = default_state_dir({"/": tmp_path / "My Files"}, environ)
    assert first.parent == tmp_path / "xdg" / "shallot" / "dav"
    assert first.name.startswith("My_Files-")
    assert default_state_dir({"/": tmp_path / "My Files"}, environ) == first
    assert default_state_dir({"/": tmp_path / "other"}, environ) != first
    assert default_state_dir({"/dav": tmp_path / "My Files"}, environ) != first


def test_a_folder_reached_through_a_symlink_keeps_its_state(tmp_path: Path) -> None:
    environ = {"XDG_STATE_HOME": str(tmp_path / "xdg")}
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert default_state_dir({"/": tmp_path / "link"}, environ) == default_state_dir(
        {"/": tmp_path / "real"}, environ
    )


def test_the_root_share_names_the_folder_of_several(tmp_path: Path) -> None:
    environ = {"XDG_STATE_HOME": str(tmp_path / "xdg")}
    shares = {"/photos": tmp_path / "pictures", "/": tmp_path / "docs"}
    assert default_state_dir(shares, environ).name.startswith("docs-")
    assert default_state_dir({"/": Path("/")}, environ).name.startswith("root-")
    with pytest.raises(ValueError, match="no shares"):
        default_state_dir({}, environ)


def test_a_state_inside_a_share_is_refused(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    for inside in (share, share / ".state", share / "a" / "b"):
        with pytest.raises(StateInsideShare) as raised:
            check_state_outside(inside, [tmp_path / "elsewhere", share])
        assert (raised.value.state, raised.value.share) == (inside, share)
        assert "--state" in str(raised.value)


def test_a_state_beside_a_share_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "share").mkdir()
    check_state_outside(tmp_path / "share_state", [tmp_path / "share"])
    check_state_outside(tmp_path, [tmp_path / "share"])


def test_symlinks_do_not_hide_a_state_inside_a_share(tmp_path: Path) -> None:
    share = tmp_path / "share"
    (share / "inner").mkdir(parents=True)
    os.symlink(share / "inner", tmp_path / "sneaky")
    with pytest.raises(StateInsideShare):
        check_state_outside(tmp_path / "sneaky" / "state", [share])
