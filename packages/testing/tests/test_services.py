"""require_service finds programs, and skips or fails for missing ones depending on the
environment."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shallot.testing import require_service, services_required

MISSING = "shallot-no-such-program"


def test_finds_an_installed_program() -> None:
    found = require_service(Path(sys.executable).name)
    assert Path(found).name == Path(sys.executable).name


def test_missing_program_skips_when_services_are_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHALLOT_REQUIRE_SERVICES", raising=False)
    assert not services_required()
    with pytest.raises(pytest.skip.Exception, match=f"{MISSING} is not installed"):
        require_service(MISSING)


@pytest.mark.parametrize("value", ["1", "yes"])
def test_missing_program_fails_when_services_are_required(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SHALLOT_REQUIRE_SERVICES", value)
    assert services_required()
    with pytest.raises(pytest.fail.Exception, match="SHALLOT_REQUIRE_SERVICES=1 requires it"):
        require_service(MISSING, "apt-get install it")


def test_zero_means_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHALLOT_REQUIRE_SERVICES", "0")
    assert not services_required()
