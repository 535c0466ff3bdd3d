"""``shallot dav``: options into one DAVConfig (unit), and the command serving for real."""

from __future__ import annotations

import base64
import signal
import socket
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from shallot.cli.dav_command import CommandLineError, config_from_arguments
from shallot.cli.main import parser
from shallot.cli.state import StateInsideShare, default_state_dir
from shallot.dav import ConfigError
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from shallot.dav import DAVConfig

    from ..conftest import Running


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder to serve, and a state home of the test's own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


def config(*arguments: str) -> DAVConfig:
    return config_from_arguments(parser().parse_args(["dav", *arguments]))


def test_root_alone(root: Path) -> None:
    made = config(str(root))
    assert dict(made.shares) == {"/": root}
    assert made.state == str(default_state_dir({"/": root}))
    assert made.state.startswith(str(root.parent / "xdg" / "shallot" / "dav"))
    assert (made.auth, made.readonly, made.users, made.browser) == ("none", False, {}, True)


def test_relative_paths_are_made_absolute(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root.parent)
    made = config("files", "--state", "state", "--htdigest", "users")
    assert dict(made.shares) == {"/": root}
    assert made.state == str(root.parent / "state")
    assert made.htdigest == root.parent / "users"


def test_every_option(root: Path, tmp_path: Path) -> None:
    made = config(
        str(root),
        "--readonly",
        "--auth", "basic",
        "--user", "ann:se:cret",
        "--user", "bob:pw",
        "--realm", "files",
        "--state", str(tmp_path / "state"),
    )  # fmt: skip
    assert made.readonly is True
    assert (made.auth, made.realm, made.basic_over_http) == ("basic", "files", True)
    assert dict(made.users) == {"ann": "se:cret", "bob": "pw"}
    assert made.state == str(tmp_path / "state")


def test_users_without_auth_mean_digest(root: Path, tmp_path: Path) -> None:
    assert config(str(root), "--user", "ann:pw").auth == "digest"
    htdigest = tmp_path / "users"
    htdigest.write_text("")
    made = config(str(root), "--htdigest", str(htdigest))
    assert (made.auth, made.htdigest) == ("digest", htdigest)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--auth", "none", "--user", "ann:pw"), "--auth is none"),
        (("--user", "ann"), "expected NAME:PASSWORD"),
        (("--user", ":pw"), "expected NAME:PASSWORD"),
        (("--user", "ann:"), "expected NAME:PASSWORD"),
    ],
)
def test_contradicting_or_bad_options(root: Path, arguments: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandLineError, match=message):
        config(str(root), *arguments)


def test_a_password_is_not_echoed_in_the_error(root: Path) -> None:
    with pytest.raises(CommandLineError) as raised:
        config(str(root), "--user", "ann:")
    assert str(raised.value) == "--user ann:...: expected NAME:PASSWORD"


def test_a_root_or_a_config_file_is_needed(root: Path) -> None:
    with pytest.raises(CommandLineError, match="ROOT"):
        config()


def test_auth_without_users_is_refused_by_the_config(root: Path) -> None:
    with pytest.raises(ConfigError, match="needs users"):
        config(str(root), "--auth", "digest")


@pytest.mark.parametrize("state", ["{root}", "{root}/.state"])
def test_a_state_inside_the_root_is_refused(root: Path, state: str) -> None:
    with pytest.raises(StateInsideShare):
        config(str(root), "--state", state.format(root=root))


def test_a_default_state_inside_the_root_is_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "xdg"))
    with pytest.raises(StateInsideShare, match="--state memory"):
        config(str(root))


@pytest.mark.parametrize("state", ["memory", "redis://127.0.0.1:1/0"])
def test_memory_and_redis_states_are_taken_as_given(root: Path, state: str) -> None:
    assert config(str(root), "--state", state).state == state


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text))
    return path


def test_the_file_first_then_the_options_on_top(root: Path, tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    file = write(
        tmp_path / "dav.toml",
        """
        readonly = false
        realm = "files"
        state = "memory"
        hidden_files = [".DS_Store"]

        [shares]
        "/" = "files"
        "/photos" = "photos"

        [users]
        ann = "pw"
        """,
    )
    from_file = config("--config", str(file))
    assert dict(from_file.shares) == {"/": root, "/photos": tmp_path / "photos"}
    assert (from_file.state, from_file.auth, from_file.readonly) == ("memory", "digest", False)
    assert from_file.hidden_files == (".DS_Store",)
    overridden = config("--config", str(file), "--readonly", "--user", "bob:pw2", "--realm", "x")
    assert overridden.readonly is True
    assert dict(overridden.users) == {"ann": "pw", "bob": "pw2"}
    assert overridden.realm == "x"
    assert overridden.hidden_files == (".DS_Store",)
    rooted = config(str(root / "sub"), "--config", str(file))
    assert dict(rooted.shares) == {"/": root / "sub"}


def test_a_file_without_state_gets_the_command_default(root: Path, tmp_path: Path) -> None:
    file = write(tmp_path / "dav.toml", '[shares]\n"/" = "files"\n')
    assert config("--config", str(file)).state == str(default_state_dir({"/": root}))


def test_a_file_saying_auth_none_with_users_is_refused(root: Path, tmp_path: Path) -> None:
    file = write(tmp_path / "dav.toml", 'auth = "none"\n[shares]\n"/" = "files"\n')
    with pytest.raises(CommandLineError, match="auth is none"):
        config("--config", str(file), "--user", "ann:pw")


def test_a_file_may_keep_basic_auth_to_https(root: Path, tmp_path: Path) -> None:
    file = write(
        tmp_path / "dav.toml",
        'auth = "basic"\nbasic_over_http = false\n[shares]\n"/" = "files"\n[users]\nann = "x"\n',
    )
    assert config("--config", str(file)).basic_over_http is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("shares = 3", "shares"),
        ('unknown_option = 1\n[shares]\n"/" = "files"', "unknown_option"),
        ("not toml [", "not valid TOML"),
    ],
)
def test_a_bad_file_is_a_config_error(root: Path, tmp_path: Path, text: str, message: str) -> None:
    file = write(tmp_path / "dav.toml", text)
    with pytest.raises(ConfigError, match=message):
        config("--config", str(file))
    with pytest.raises(ConfigError, match="cannot read"):
        config("--config", str(tmp_path / "missing.toml"))


# The command itself, in its own process.


def test_serves_the_folder_and_stops_cleanly(
    root: Path, start_shallot: Callable[..., Running]
) -> None:
    (root / "hello.txt").write_bytes(b"hello")
    server = start_shallot("dav", str(root), "--port", "0")
    assert server.banner == f"Serving {root} on {server.url}\n"
    base = server.url.rstrip("/")
    assert fetch(base, "/hello.txt").body == b"hello"
    assert fetch(base, "/new.txt", "PUT", body=b"new").status == 201
    assert (root / "new.txt").read_bytes() == b"new"
    status, stdout, stderr = server.stop(signal.SIGINT)
    assert status == 0, stderr
    state = root.parent / "state-home" / "shallot" / "dav"
    (folder,) = state.iterdir()
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".sqlite") == [
        "locks.sqlite",
        "props.sqlite",
    ]
    assert stdout == f"Locks and properties: {folder}\nStopped.\n"


def test_readonly_digest_and_verbose(root: Path, start_shallot: Callable[..., Running]) -> None:
    server = start_shallot(
        "dav", str(root), "--port", "0", "--readonly", "--user", "ann:pw", "--verbose",
        "--state", "memory",
    )  # fmt: skip
    base = server.url.rstrip("/")
    challenge = fetch(base, "/")
    assert challenge.status == 401
    assert challenge.headers["WWW-Authenticate"].startswith("Digest ")
    status, _, stderr = server.stop()
    assert status == 0
    assert '"GET / HTTP/1.1" 401 ' in stderr


PROPFIND = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<D:propfind xmlns:D="DAV:"><D:prop><D:getcontentlength/></D:prop></D:propfind>\n'
)


def test_vvv_logs_a_propfind_with_its_xml_and_no_credentials(
    root: Path, start_shallot: Callable[..., Running]
) -> None:
    (root / "a.txt").write_bytes(b"abc")
    password = "hunter2-secret"
    server = start_shallot(
        "dav", str(root), "--port", "0", "-vvv", "--auth", "basic", "--user", f"ann:{password}",
        "--state", "memory",
    )  # fmt: skip
    credentials = base64.b64encode(f"ann:{password}".encode()).decode()
    headers = {
        "Authorization": f"Basic {credentials}",
        "Depth": "0",
        "Content-Type": "application/xml",
    }
    reply = fetch(server.url.rstrip("/"), "/a.txt", "PROPFIND", headers, PROPFIND)
    assert reply.status == 207
    status, _, stderr = server.stop()
    assert status == 0, stderr
    lines = stderr.splitlines()
    assert any(line.endswith(" #1 PROPFIND /a.txt HTTP/1.1") for line in lines), stderr
    assert "    Authorization: <redacted>" in lines
    assert f"#1 request body, {len(PROPFIND)} bytes:" in stderr
    assert (
        '    <D:propfind xmlns:D="DAV:"><D:prop><D:getcontentlength/></D:prop></D:propfind>'
        in lines
    )
    assert "#1 response 207 Multi-Status" in stderr
    response_body = stderr[stderr.index("#1 response body, ") :]
    assert "getcontentlength>3</" in response_body
    assert "#1 done: 207 Multi-Status, " in stderr
    assert '"PROPFIND /a.txt HTTP/1.1" 207 ' in stderr
    assert credentials not in stderr
    assert password not in stderr


def test_readonly_refuses_changes(root: Path, start_shallot: Callable[..., Running]) -> None:
    server = start_shallot("dav", str(root), "--port", "0", "--readonly", "--state", "memory")
    assert fetch(server.url.rstrip("/"), "/x", "PUT", body=b"x").status == 403
    assert not (root / "x").exists()


def test_chunked_uploads_stream_and_a_malformed_one_changes_nothing(
    root: Path, start_shallot: Callable[..., Running]
) -> None:
    """One 64 MiB chunk is stored whole (cheroot's reader held a chunk in memory at once); a bad
    chunk size is 400, the old file stays and nothing temporary is left."""
    server = start_shallot("dav", str(root), "--port", "0", "--state", "memory")
    url = urlsplit(server.url)
    address = (url.hostname, url.port or 80)
    head = b"PUT /%s HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
    size = 64 * 1024 * 1024
    with socket.create_connection(address, timeout=60) as connection:
        connection.sendall(head % b"big.bin" + b"%x\r\n" % size)
        piece = bytes(range(256)) * 4096
        for _ in range(size // len(piece)):
            connection.sendall(piece)
        connection.sendall(b"\r\n0\r\n\r\n")
        assert connection.recv(4096).startswith(b"HTTP/1.1 201 ")
    assert (root / "big.bin").stat().st_size == size
    (root / "old.txt").write_bytes(b"old")
    with socket.create_connection(address, timeout=60) as connection:
        connection.sendall(head % b"old.txt" + b"3\r\nnew\r\n0x3\r\nnew\r\n0\r\n\r\n")
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"chunk size" in answer
    assert (root / "old.txt").read_bytes() == b"old"
    assert sorted(path.name for path in root.iterdir()) == ["big.bin", "old.txt"]


def run_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shallot.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_refusals_exit_1_with_the_reason(root: Path, tmp_path: Path) -> None:
    missing = run_command("dav", str(tmp_path / "missing"), "--state", "memory")
    assert missing.returncode == 1
    assert "is not a folder" in missing.stderr
    inside = run_command("dav", str(root), "--state", str(root / "state"))
    assert inside.returncode == 1
    assert inside.stderr.startswith("error: the state path ")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = run_command("dav", str(root), "--state", "memory", "--port", port)
    assert busy.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr


def test_several_workers_share_a_sqlite_state(
    root: Path, start_shallot: Callable[..., Running], tmp_path: Path
) -> None:
    server = start_shallot(
        "dav", str(root), "--port", "0", "--workers", "2", "--state", str(tmp_path / "state")
    )
    assert server.banner == f"Serving {root} on {server.url} with 2 workers\n"
    base = server.url.rstrip("/")
    assert fetch(base, "/a.txt", "PUT", body=b"a").status == 201
    assert fetch(base, "/a.txt").body == b"a"
    status, stdout, stderr = server.stop()
    assert (status, stdout) == (0, f"Locks and properties: {tmp_path / 'state'}\nStopped.\n"), (
        stderr
    )


def test_several_workers_cannot_share_memory(root: Path) -> None:
    done = run_command("dav", str(root), "--workers", "2", "--state", "memory")
    assert done.returncode == 1
    assert "several workers need a shared state" in done.stderr
