"""WatchedFile: re-parsed on change, old snapshot kept on errors, empty when gone; thread-safe."""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

import pytest

from shallot.auth.errors import PasswordFileError
from shallot.auth.watched_file import WatchedFile

if TYPE_CHECKING:
    from pathlib import Path


NONE: tuple[int, ...] = ()


def now(watched: WatchedFile[tuple[int, ...]]) -> tuple[int, ...]:
    """The current snapshot (a call, so the type checker does not narrow it between reads)."""
    return watched.current


def parse_numbers(text: str, path: Path) -> tuple[int, ...]:
    try:
        return tuple(int(line) for line in text.split())
    except ValueError:
        raise PasswordFileError(path, None, "not a number") from None


def rewrite(path: Path, text: str) -> None:
    """Replace the file atomically, as PasswordMap.save and editors do."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def test_reads_the_file_now_and_again_after_a_change(tmp_path: Path) -> None:
    path = tmp_path / "numbers"
    path.write_text("1 2")
    watched = WatchedFile(path, parse_numbers, NONE)
    assert now(watched) == (1, 2)
    rewrite(path, "3")
    assert now(watched) == (3,)
    with path.open("a") as stream:
        stream.write(" 4")
    assert now(watched) == (3, 4)


def test_unchanged_file_is_not_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "numbers"
    path.write_text("1")
    parsed: list[str] = []

    def counting(text: str, where: Path) -> tuple[int, ...]:
        parsed.append(text)
        return parse_numbers(text, where)

    watched = WatchedFile(path, counting, NONE)
    for _ in range(5):
        assert now(watched) == (1,)
    assert parsed == ["1"]


def test_a_broken_file_keeps_the_last_good_snapshot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "numbers"
    path.write_text("1")
    watched = WatchedFile(path, parse_numbers, NONE)
    rewrite(path, "oops")
    with caplog.at_level(logging.ERROR, "shallot.auth"):
        assert now(watched) == (1,)
    assert "not reloaded" in caplog.text
    rewrite(path, "5")
    assert now(watched) == (5,)


def test_a_missing_file_gives_the_empty_snapshot_until_it_is_back(tmp_path: Path) -> None:
    path = tmp_path / "numbers"
    path.write_text("1")
    watched = WatchedFile(path, parse_numbers, NONE)
    path.unlink()
    assert now(watched) == ()
    path.write_text("2")
    assert now(watched) == (2,)


def test_construction_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        WatchedFile(tmp_path / "absent", parse_numbers, NONE)
    bad = tmp_path / "bad"
    bad.write_text("x")
    with pytest.raises(PasswordFileError):
        WatchedFile(bad, parse_numbers, NONE)
    latin1 = tmp_path / "latin1"
    latin1.write_bytes(b"\xe9")
    with pytest.raises(PasswordFileError, match="UTF-8"):
        WatchedFile(latin1, parse_numbers, NONE)


def test_readers_always_see_a_whole_snapshot_while_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "numbers"
    path.write_text(" ".join(["0"] * 50))
    watched = WatchedFile(path, parse_numbers, NONE)
    stop = threading.Event()
    seen: list[tuple[int, ...]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            while not stop.is_set():
                seen.append(now(watched))
        except BaseException as error:
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    for generation in range(1, 60):
        rewrite(path, " ".join([str(generation)] * 50))
    stop.set()
    for reader in readers:
        reader.join()
    assert not errors
    for snapshot in seen:
        assert len(snapshot) == 50
        assert len(set(snapshot)) == 1
    assert now(watched) == (59,) * 50
