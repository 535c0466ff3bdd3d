from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.cli.config_file import read_config
from shallot.dav import ConfigError

if TYPE_CHECKING:
    from pathlib import Path


def test_the_config_and_the_values_the_file_sets(tmp_path: Path) -> None:
    file = tmp_path / "conf" / "dav.toml"
    file.parent.mkdir()
    file.write_text('readonly = true\nhidden_files = ["._*"]\n[shares]\n"/" = "../files"\n')
    config, values = read_config(file)
    assert dict(config.shares) == {"/": file.parent / ".." / "files"}
    assert config.readonly is True
    assert config.hidden_files == ("._*",)
    assert sorted(values) == ["hidden_files", "readonly", "shares"]
    assert "state" not in values


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "cannot read"),
        ("= =", "not valid TOML"),
        ("readonly = 1\n[shares]\n'/' = 'x'", "readonly"),
    ],
)
def test_faults_are_config_errors(tmp_path: Path, text: str | None, message: str) -> None:
    file = tmp_path / "dav.toml"
    if text is not None:
        file.write_text(text)
    with pytest.raises(ConfigError, match=message):
        read_config(file)
