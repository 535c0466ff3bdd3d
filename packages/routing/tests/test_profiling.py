"""Per-request profiling: a pstats file per request, named from the path; and switched off."""

from __future__ import annotations

import cProfile
import logging
import os
import profile
import pstats
import threading
from typing import TYPE_CHECKING

import pytest

from shallot.http import BaseResponse, abort
from shallot.routing import App, Following, Middleware, RoutedRequest
from shallot.routing.profiling import MAX_NAME_LENGTH, ProfiledChain, profile_file_name
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from shallot.testing import Call, Reply, Serve


def greet(request: RoutedRequest, name: str) -> str:
    """The handler whose function the profiles must show."""
    return f"hello {name}"


def profiled_functions(path: Path) -> set[tuple[str, str]]:
    """(file name, function name) of every function in the profile at ``path``."""
    stats = pstats.Stats(str(path))
    return {(os.path.basename(key[0]), key[2]) for key in stats.stats}  # type: ignore[attr-defined]  # Stats.stats is undocumented in typeshed


def make_app() -> App:
    app = App()
    app.set_route("/greet/<name>", greet)
    return app


def test_a_profiled_request_writes_one_file_pstats_loads_with_the_handler_in_it(
    tmp_path: Path, call: Call
) -> None:
    app = make_app()
    app.set_profile(cProfile.runctx, tmp_path / "req")
    reply = call(app, "/greet/ann")
    assert (reply.status, reply.body) == (200, b"hello ann")
    (written,) = tmp_path.iterdir()
    assert written.name.startswith("req_GET_greet_ann.")
    assert written.name.endswith(".profile")
    assert ("test_profiling.py", "greet") in profiled_functions(written)


def test_two_requests_for_the_same_path_never_share_a_file(tmp_path: Path, call: Call) -> None:
    app = make_app()
    app.set_profile(cProfile.runctx, str(tmp_path / "req"))
    for _ in range(3):
        assert call(app, "/greet/ann").status == 200
    files = sorted(tmp_path.iterdir())
    assert len(files) == 3
    for written in files:
        assert ("test_profiling.py", "greet") in profiled_functions(written)


def test_del_profile_switches_it_off_and_puts_the_original_chain_back(
    tmp_path: Path, call: Call
) -> None:
    app = make_app()
    original = app._handle
    app.del_profile()  # not profiling: nothing to do
    app.set_profile(cProfile.runctx, tmp_path / "first")
    app.set_profile(cProfile.runctx, tmp_path / "second")  # replaces, never stacks
    assert call(app, "/greet/a").status == 200
    assert [path.name.split("_")[0] for path in tmp_path.iterdir()] == ["second"]
    app.del_profile()
    assert app._handle is original  # the request path is exactly what it was
    assert call(app, "/greet/b").status == 200
    assert len(list(tmp_path.iterdir())) == 1


def test_the_middleware_and_the_routing_are_in_the_profile(tmp_path: Path, call: Call) -> None:
    def timing(options: dict[str, object]) -> Middleware:
        def timing_middleware(request: RoutedRequest, following: Following) -> BaseResponse | None:
            return following(request)

        return timing_middleware

    app = App(middleware=[timing])
    app.set_route("/greet/<name>", greet)
    app.set_profile(cProfile.runctx, tmp_path / "req")
    assert call(app, "/greet/x").body == b"hello x"
    (written,) = tmp_path.iterdir()
    functions = {name for _, name in profiled_functions(written)}
    assert {"timing_middleware", "_route", "greet", "_routed_response"} <= functions


def test_the_pure_python_profiler_works_too(tmp_path: Path, call: Call) -> None:
    app = make_app()
    app.set_profile(profile.runctx, tmp_path / "req")
    assert call(app, "/greet/py").status == 200
    (written,) = tmp_path.iterdir()
    assert ("test_profiling.py", "greet") in profiled_functions(written)


def test_errors_are_answered_as_without_profiling_and_still_profiled(
    tmp_path: Path, call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    app = App()

    def forbidden(request: RoutedRequest) -> str:
        abort(403)

    def broken(request: RoutedRequest) -> str:
        raise RuntimeError("boom")

    def missing(request: RoutedRequest) -> str:
        raise LookupError("nothing")

    app.set_route("/forbidden", forbidden)
    app.set_route("/broken", broken)
    app.set_route("/missing", missing)
    app.set_error_handler(LookupError, lambda request, error: ("gone", None, None, 410))
    app.set_profile(cProfile.runctx, tmp_path / "req")
    with caplog.at_level(logging.ERROR, "shallot.routing"):
        assert call(app, "/forbidden").status == 403
        assert call(app, "/broken").status == 500
        assert call(app, "/missing").status == 410
        assert call(app, "/nowhere").status == 404
    assert "unhandled RuntimeError" in caplog.text
    names = sorted(path.name.split(".")[0] for path in tmp_path.iterdir())
    assert names == ["req_GET_broken", "req_GET_forbidden", "req_GET_missing", "req_GET_nowhere"]
    broken_profile = next(tmp_path.glob("req_GET_broken.*"))
    assert ("test_profiling.py", "broken") in profiled_functions(broken_profile)


def test_a_profile_that_cannot_be_written_does_not_cost_the_answer(
    tmp_path: Path, call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    app = make_app()
    app.set_profile(cProfile.runctx, folder / "req")
    folder.rmdir()
    with caplog.at_level(logging.WARNING, "shallot.routing"):
        reply = call(app, "/greet/still")
    assert (reply.status, reply.body) == (200, b"hello still")
    assert "no profile written to" in caplog.text
    assert not folder.exists()


def test_a_runner_that_never_runs_the_request_still_gets_it_answered_once(
    tmp_path: Path, call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def refusing_runner(
        statement: str,
        globals: dict[str, object],
        locals: Mapping[str, object],
        /,
        *,
        filename: str,
    ) -> None:
        raise ValueError("Another profiling tool is already active")

    def counted(request: RoutedRequest) -> str:
        calls.append(request.path)
        return "once"

    app = App()
    app.set_route("/count", counted)
    app.set_profile(refusing_runner, tmp_path / "req")
    with caplog.at_level(logging.WARNING, "shallot.routing"):
        assert call(app, "/count").body == b"once"
    assert calls == ["/count"]
    assert "Another profiling tool is already active" in caplog.text


@pytest.mark.parametrize(
    ("prefix", "error"),
    [
        ("", ValueError),
        ("req\0x", ValueError),
        ("{tmp}/missing/req", FileNotFoundError),
        ("{tmp}/a-file/req", NotADirectoryError),
    ],
)
def test_a_bad_prefix_is_refused_and_leaves_the_app_as_it_was(
    tmp_path: Path, call: Call, prefix: str, error: type[Exception]
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    app = make_app()
    with pytest.raises(error):
        app.set_profile(cProfile.runctx, prefix.format(tmp=tmp_path))
    assert call(app, "/greet/x").status == 200
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file"]


def test_a_runner_that_is_not_callable_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="runctx must be callable"):
        make_app().set_profile("cProfile.runctx", tmp_path / "req")  # type: ignore[arg-type]  # the point of the test


@pytest.mark.parametrize(
    ("path_info", "expected"),
    [
        ("/", "p_GET.s.profile"),
        ("/a/b", "p_GET_a_b.s.profile"),
        ("//a///b/", "p_GET_a_b.s.profile"),
        ("/../../etc/passwd", "p_GET_.._.._etc_passwd.s.profile"),
        ("/a\\b/c:d", "p_GET_a%5Cb_c%3Ad.s.profile"),
        ("/w\xc3\xb6rld", "p_GET_w%C3%B6rld.s.profile"),  # WSGI's Latin-1 form of UTF-8
        ("/\xff\xfe", "p_GET_%C3%BF%C3%BE.s.profile"),  # not UTF-8: quoted as it is
        ("/nul\0/x\n", "p_GET_nul%00_x%0A.s.profile"),
    ],
)
def test_file_names_hold_no_separator_whatever_the_path(path_info: str, expected: str) -> None:
    assert profile_file_name("p", "GET", path_info, "s") == expected


def test_file_names_are_bounded() -> None:
    name = profile_file_name("/tmp/p", "GET", "/" + "x" * 5000, "1-2-3")
    assert name == "/tmp/p_" + ("GET_" + "x" * 5000)[:MAX_NAME_LENGTH] + ".1-2-3.profile"


def test_hostile_and_long_paths_are_profiled_inside_the_folder(tmp_path: Path, call: Call) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    app = make_app()
    app.set_profile(cProfile.runctx, folder / "req")
    assert call(app, "/a/../../x").status == 400
    assert call(app, "/greet/" + "y" * 3000).status == 200
    assert call(app, "/greet/%2F..%2F..%2Fz").status == 400  # decoded: /greet//../../z
    assert [path.name for path in tmp_path.iterdir()] == ["profiles"]
    names = [path.name for path in folder.iterdir()]
    assert len(names) == 3
    assert all(len(name) < len("req_") + MAX_NAME_LENGTH + 64 for name in names)


def test_concurrent_requests_under_a_real_server_each_get_their_profile(
    tmp_path: Path, serve: Serve
) -> None:
    app = make_app()
    app.set_profile(cProfile.runctx, tmp_path / "req")
    base = serve(app)
    replies: list[Reply] = []

    def client(number: int) -> None:
        replies.append(fetch(base, f"/greet/{number}"))

    threads = [threading.Thread(target=client, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(reply.body for reply in replies) == sorted(
        f"hello {number}".encode() for number in range(8)
    )
    files = list(tmp_path.iterdir())
    assert sorted(path.name.split(".")[0] for path in files) == [
        f"req_GET_greet_{number}" for number in range(8)
    ]
    for written in files:
        assert ("test_profiling.py", "greet") in profiled_functions(written)


def test_profiled_chain_type_checks_as_the_apps_chain(tmp_path: Path) -> None:
    def innermost(request: RoutedRequest, /) -> BaseResponse | None:
        return None

    chain: Following = ProfiledChain(innermost, cProfile.runctx, tmp_path / "req")
    assert chain is not None
