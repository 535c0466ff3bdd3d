"""Per-request profiling, as PoorWSGI's ``set_profile``: one profile file per request, for pstats.

::

    import cProfile, pstats

    app.set_profile(cProfile.runctx, "/tmp/profiles/req")
    # GET /users/7 writes /tmp/profiles/req_GET_users_7.1718000000123-4242-1.profile
    pstats.Stats("/tmp/profiles/req_GET_users_7.1718000000123-4242-1.profile").print_stats(20)
    app.del_profile()

``runctx`` is what PoorWSGI users pass: :func:`cProfile.runctx` (or :func:`profile.runctx`), a
function that runs a statement under a fresh profiler and writes its statistics to ``filename``.

What is profiled is the App's chain, the one callable every request goes through: the handler
middleware, routing, before hooks, the handler and :func:`~shallot.http.make_response`. After hooks
and the sending of the body are not (a streamed body is produced after the App has returned
anyway). The chain is what :meth:`App.set_profile <shallot.routing.App.set_profile>` swaps for a
:class:`ProfiledChain`, and :meth:`App.del_profile <shallot.routing.App.del_profile>` swaps back,
so an App that is not profiling runs exactly the code it runs without this module: nothing on the
request path checks whether profiling is on.

Profiled requests run one at a time. Before Python 3.12 a profiler hooks one thread only, but from
3.12 :mod:`cProfile` registers with :mod:`sys.monitoring`, which admits one profiler per process,
so overlapping runs would fail. Profiling is for finding where a request's time goes, not for load.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import threading
import time
from typing import TYPE_CHECKING, NamedTuple, Protocol
from urllib.parse import quote

from shallot.routing.recovery import logger, request_line

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shallot.http import BaseResponse
    from shallot.routing.handler_middleware import Following
    from shallot.routing.request import RoutedRequest

__all__ = ["MAX_NAME_LENGTH", "ProfileRunner", "ProfiledChain", "profile_file_name"]

MAX_NAME_LENGTH = 120
"""Characters of method and path kept in a profile file's name (the stamp comes on top)."""

_STATEMENT = "outcome = run(request)"


class ProfileRunner(Protocol):
    """Runs ``statement`` in the given namespaces under a new profiler and writes the statistics
    to ``filename``, as :func:`cProfile.runctx` and :func:`profile.runctx` do."""

    def __call__(
        self,
        statement: str,
        globals: dict[str, object],
        locals: Mapping[str, object],
        /,
        *,
        filename: str,
    ) -> object:
        """Run ``statement`` profiled; write the profile to ``filename``."""


def profile_file_name(prefix: str, method: str, path_info: str, stamp: str) -> str:
    """The file a request's profile goes to: ``<prefix>_<METHOD>_<segments>.<stamp>.profile``.

    The path's segments are percent-encoded (UTF-8; no ``/`` or other separator survives, so the
    file stays in the prefix's folder whatever the path holds) and joined with ``_``; method and
    segments together are cut to :data:`MAX_NAME_LENGTH` characters.
    """
    if not path_info.isascii():
        with contextlib.suppress(UnicodeError):  # else not UTF-8: quoted as it is
            path_info = path_info.encode("latin-1").decode("utf-8")
    name = quote(method, safe="") + "".join(
        "_" + quote(segment, safe="") for segment in path_info.split("/") if segment
    )
    return f"{prefix}_{name[:MAX_NAME_LENGTH]}.{stamp}.profile"


class ProfiledChain:
    """The App's chain, each call run under ``runctx`` with its profile written to a new file
    named from ``prefix`` and the request (see :func:`profile_file_name`).

    ``prefix`` is a path and the start of a file name (``"/tmp/profiles/req"``); its folder must
    exist (:class:`FileNotFoundError` or :class:`NotADirectoryError` otherwise), :class:`ValueError`
    for an empty prefix or one holding NUL. The stamp in each name is the time in milliseconds, the
    process id and a counter, so no two requests share a file, even from several processes.

    The request is answered whatever happens to the profile: when the file cannot be written (the
    folder was removed, the disk is full), a warning is logged and the answer sent; an exception
    from the chain goes on to the App's error handling exactly as without profiling.
    """

    __slots__ = ("_counter", "_lock", "chain", "prefix", "runctx")

    def __init__(
        self, chain: Following, runctx: ProfileRunner, prefix: str | os.PathLike[str]
    ) -> None:
        if not callable(runctx):
            raise TypeError(f"runctx must be callable, not {type(runctx).__name__}")
        text = os.fspath(prefix)
        if not isinstance(text, str):
            raise TypeError(f"prefix must be a str path, not {type(text).__name__}")
        if not text or "\0" in text:
            raise ValueError("the profile prefix must be a non-empty path without NUL")
        folder = os.path.dirname(text) or "."
        if not os.path.exists(folder):
            raise FileNotFoundError(errno.ENOENT, "no folder for the profile files", folder)
        if not os.path.isdir(folder):
            raise NotADirectoryError(errno.ENOTDIR, "profile files need a folder", folder)
        self.chain = chain
        self.runctx = runctx
        self.prefix = text
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def __call__(self, request: RoutedRequest, /) -> BaseResponse | None:
        """Answer ``request`` through the chain, profiled; see the class documentation."""
        environ = request.environ
        with self._lock:
            stamp = f"{time.time_ns() // 1_000_000}-{os.getpid()}-{next(self._counter)}"
            filename = profile_file_name(
                self.prefix,
                str(environ.get("REQUEST_METHOD") or "GET"),
                str(environ.get("PATH_INFO") or "/"),
                stamp,
            )
            namespace: dict[str, object] = {"run": self._run, "request": request}
            try:
                self.runctx(_STATEMENT, {}, namespace, filename=filename)
            except Exception as error:
                logger.warning(
                    "%s: no profile written to %s: %s", request_line(request), filename, error
                )
        outcome = namespace.get("outcome")
        if not isinstance(outcome, _Outcome):
            return self.chain(request)  # the runner never ran the request
        if outcome.error is not None:
            raise outcome.error
        return outcome.response

    def _run(self, request: RoutedRequest) -> _Outcome:
        """The chain's answer or what it raised, kept for after the profiler is done (which
        would otherwise swallow a ``SystemExit`` and see every exception as its own)."""
        try:
            return _Outcome(self.chain(request), None)
        except BaseException as error:
            return _Outcome(None, error)


class _Outcome(NamedTuple):
    """What the chain did: a response (or ``None``), or the exception it raised."""

    response: BaseResponse | None
    error: BaseException | None
