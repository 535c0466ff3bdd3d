"""Pre-forked workers: several processes serving one listening socket.

One Python process serves one core's worth of requests (the GIL); a pre-fork server uses more. The
supervisor (the calling process) opens the socket, forks ``workers`` children that each run an
:class:`~shallot.server.embedded.EmbeddedServer` on the inherited socket, and then only watches
them: the kernel hands each new connection to whichever worker accepts it first.

- Each worker builds its own application by calling the factory after the fork, so database
  connections (SQLite, Redis) are never shared between processes.
- A worker reports that it serves through a pipe; :func:`serve_workers` calls ``ready`` once all
  have. A worker that dies before serving stops the whole server with :class:`WorkerBootError` (a
  broken application would otherwise be restarted forever); one that dies later is replaced.
- SIGINT or SIGTERM to the supervisor stops every worker (each finishes its requests in progress),
  then the supervisor returns. A worker whose supervisor died (``kill -9``) stops by itself within
  a second or two, rather than serving on as an orphan.

POSIX only (``os.fork``).
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING, NoReturn

from shallot.server.embedded import SHUTDOWN_TIMEOUT, EmbeddedServer
from shallot.server.signals import STOP_SIGNALS, stop_on_signals

if TYPE_CHECKING:
    import socket
    from collections.abc import Callable

    from _typeshed.wsgi import WSGIApplication

__all__ = ["WorkerBootError", "serve_workers"]

POLL_INTERVAL = 0.2
"""Seconds between the supervisor's checks on its workers."""


class WorkerBootError(RuntimeError):
    """A worker exited before it started serving; ``status`` is its exit status (negative: killed
    by that signal). Its traceback, if any, went to standard error."""

    def __init__(self, pid: int, status: int) -> None:
        super().__init__(f"worker {pid} exited with status {status} before serving")
        self.pid = pid
        self.status = status


def _watch_supervisor(supervisor: int, stop: threading.Event) -> None:
    """Set ``stop`` once this process's parent is no longer ``supervisor`` (it died)."""
    while not stop.wait(POLL_INTERVAL * 5):
        if os.getppid() != supervisor:
            stop.set()


def _run_worker(
    factory: Callable[[], WSGIApplication],
    listener: socket.socket,
    threads: int,
    booted: int,
) -> NoReturn:
    """The body of a forked worker; never returns into the supervisor's code."""
    status = 1
    try:
        stop = threading.Event()
        watcher = threading.Thread(target=_watch_supervisor, args=(os.getppid(), stop), daemon=True)
        watcher.start()
        with stop_on_signals(stop):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            server = EmbeddedServer(factory(), listener, threads)
            server.serve(stop, ready=lambda: os.write(booted, b"."))
        status = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


class _Supervisor:
    """Forks, watches, replaces and finally stops the workers."""

    def __init__(
        self,
        factory: Callable[[], WSGIApplication],
        listener: socket.socket,
        threads: int,
    ) -> None:
        self.factory = factory
        self.listener = listener
        self.threads = threads
        self.serving: set[int] = set()
        self.booting: dict[int, int] = {}
        """Workers not serving yet: pid -> read end of their boot pipe."""

    def spawn(self) -> None:
        """Fork one worker. Stop signals stay blocked across the fork until the worker has its own
        handlers, so none is lost in between."""
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:
                for fd in (read_end, *self.booting.values()):
                    os.close(fd)
                _run_worker(self.factory, self.listener, self.threads, write_end)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        os.close(write_end)
        self.booting[pid] = read_end

    def collect_boots(self, timeout: float) -> None:
        """Wait up to ``timeout`` for booting workers to report that they serve."""
        if not self.booting:
            return
        readable, _, _ = select.select(list(self.booting.values()), [], [], timeout)
        for pid, read_end in list(self.booting.items()):
            if read_end in readable and os.read(read_end, 1):
                os.close(read_end)
                del self.booting[pid]
                self.serving.add(pid)

    def reap(self) -> None:
        """Collect exited workers: replace those that served, fail on those that never did."""
        while self.serving or self.booting:
            pid, wait_status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            if pid in self.booting:
                os.close(self.booting.pop(pid))
                raise WorkerBootError(pid, os.waitstatus_to_exitcode(wait_status))
            if pid in self.serving:
                self.serving.discard(pid)
                self.spawn()

    def stop_all(self) -> None:
        """Ask every worker to stop, wait for them, kill the ones that do not stop in time."""
        workers = self.serving | set(self.booting)
        for pid in workers:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + SHUTDOWN_TIMEOUT + 5
        while workers and time.monotonic() < deadline:
            for pid in list(workers):
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    workers.discard(pid)
            time.sleep(0.05)
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        for read_end in self.booting.values():
            os.close(read_end)
        self.serving.clear()
        self.booting.clear()


def serve_workers(
    factory: Callable[[], WSGIApplication],
    listener: socket.socket,
    workers: int,
    threads: int,
    ready: Callable[[], object] | None = None,
) -> None:
    """Serve ``factory()``'s application from ``workers`` forked processes until SIGINT/SIGTERM.

    ``ready`` is called once every worker serves. Raises :class:`WorkerBootError` (after stopping
    the other workers) when a worker exits before serving. The listening socket is closed on
    return. Must be called from the main thread of a process without other threads.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if not hasattr(os, "fork"):
        raise ValueError("several workers need os.fork, which this platform lacks")
    stop = threading.Event()
    supervisor = _Supervisor(factory, listener, threads)
    with stop_on_signals(stop):
        try:
            for _ in range(workers):
                supervisor.spawn()
            announced = False
            while not stop.is_set():
                supervisor.collect_boots(POLL_INTERVAL)
                supervisor.reap()
                if not announced and not supervisor.booting:
                    announced = True
                    if ready is not None:
                        ready()
                if not supervisor.booting:
                    time.sleep(POLL_INTERVAL)  # not stop.wait: see shallot.server.signals
        finally:
            supervisor.stop_all()
            listener.close()
