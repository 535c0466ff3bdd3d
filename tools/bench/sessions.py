"""Benchmark: a session's cost per request with shallot.sessions against PoorWSGI's PoorSession.

Usage: ``python tools/bench/sessions.py [--rounds 15] [--calls 1000] [--redis]`` (needs
``pip install poorwsgi``; ``--redis`` also needs ``redis-server``).

Per request, every adapter does what a handler changing its session does: read the session from
the request's ``Cookie`` header (the cookie the previous request was sent), change one key, and
produce the ``Set-Cookie`` value. Adapters:

- ``poorwsgi``: ``PoorSession(secret)``, ``load`` from the request's ``SimpleCookie`` (parsed from
  the header, as PoorWSGI's request does), ``data[key] = n``, ``header()``;
- ``cookie``: ``Session(secret)``, ``load(Request(environ))``, ``session[key] = n``, ``write()``;
- ``cookie+aes``: the same, encrypted with AES-GCM (PoorSession also hides its data, with its own
  XOR cipher, so this is the like-for-like comparison);
- ``sqlite``: ``ServerSession`` on a ``SQLiteSessionStore`` (WAL, one transaction per save): the
  load reads the store, the save upserts the one changed key;
- ``redis`` (with ``--redis``): the same on ``RedisSessionStore`` and a real ``redis-server``.

Two session sizes: ``small`` (4 keys, ~150 bytes of JSON) and ``medium`` (40 keys, ~1.5 KB).
Before timing, every adapter runs a chain of requests and must read back what the previous one
wrote. Adapters run interleaved in one process (A B C ..., A B C ...), so a noisy machine slows
them alike. Printed: the median microseconds per request and ours/PoorWSGI (below 1.00: we are
faster).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING

from poorwsgi.session import PoorSession

from shallot.http import JSONValue, Request
from shallot.sessions import (
    ManagedSession,
    RedisSessionStore,
    ServerSession,
    Session,
    SessionStore,
    SQLiteSessionStore,
)
from shallot.testing import RedisServer

if TYPE_CHECKING:
    from collections.abc import Callable

SECRET = "benchmark secret key"
COUNTER = "visits"


def session_data(size: str) -> dict[str, JSONValue]:
    """The session every adapter starts from."""
    data: dict[str, JSONValue] = {
        "user": "ann@example.org",
        "roles": ["editor", "reviewer"],
        "csrf": "kS3x9Qd0bB1lV2m7YpZr8uT4cW6eH5nJ0aG1fD2sK3o",
        COUNTER: 0,
    }
    if size == "medium":
        for index in range(36):
            data[f"pref{index:02}"] = {"value": f"setting number {index}", "on": index % 2 == 0}
    return data


def cookie_value(set_cookie: str) -> str:
    """The value in a ``Set-Cookie`` header value."""
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


def poorwsgi_step(size: str) -> tuple[Callable[[str, int], str], str]:
    """One PoorWSGI request, and the first cookie."""
    first = PoorSession(SECRET)
    first.data = session_data(size)
    start = cookie_value(first.header()[0][1])

    def step(value: str, number: int) -> str:
        cookies: SimpleCookie = SimpleCookie()
        cookies.load(f"SESSID={value}")
        session = PoorSession(SECRET)
        session.load(cookies)
        session.data[COUNTER] = number
        return cookie_value(session.header()[0][1])

    return step, start


def shallot_step(
    size: str, make: Callable[[], ManagedSession]
) -> tuple[Callable[[str, int], str], str]:
    """One request of ours with sessions from ``make``, and the first cookie."""
    first = make()
    first.update(session_data(size))
    start = cookie_value(first.write())

    def step(value: str, number: int) -> str:
        session = make()
        session.load(Request({"HTTP_COOKIE": f"SESSID={value}"}))
        session[COUNTER] = number
        return cookie_value(session.write())

    return step, start


def read_back(name: str, value: str, make: Callable[[], ManagedSession] | None) -> JSONValue:
    """The counter the cookie ``value`` carries, read the adapter's own way."""
    if make is None:
        cookies: SimpleCookie = SimpleCookie()
        cookies.load(f"SESSID={value}")
        poor = PoorSession(SECRET)
        poor.load(cookies)
        counter: JSONValue = poor.data[COUNTER]
        return counter
    session = make()
    session.load(Request({"HTTP_COOKIE": f"SESSID={value}"}))
    if len(session) < 4:
        raise SystemExit(f"{name}: the session lost keys: {dict(session)}")
    return session[COUNTER]


def run(step: Callable[[str, int], str], value: str, calls: int) -> tuple[float, str]:
    """Seconds per request over ``calls`` chained requests, and the last cookie."""
    started = time.perf_counter()
    for number in range(calls):
        value = step(value, number)
    return (time.perf_counter() - started) / calls, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--redis", action="store_true", help="also time RedisSessionStore")
    options = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        stores: list[SessionStore] = [SQLiteSessionStore(Path(folder) / "sessions.sqlite")]
        makers: dict[str, Callable[[], ManagedSession]] = {
            "cookie": lambda: Session(SECRET),
            "cookie+aes": lambda: Session(SECRET, encrypt=True),
            "sqlite": lambda: ServerSession(stores[0], secret_key=SECRET),
        }
        redis_server = RedisServer() if options.redis else None
        if redis_server is not None:
            stores.append(RedisSessionStore.from_url(redis_server.url))
            makers["redis"] = lambda: ServerSession(stores[1], secret_key=SECRET)
        try:
            bench(makers, options.rounds, options.calls)
        finally:
            for store in stores:
                store.close()
            if redis_server is not None:
                redis_server.stop()


def bench(makers: dict[str, Callable[[], ManagedSession]], rounds: int, calls: int) -> None:
    print(f"{rounds} rounds x {calls} requests; median microseconds per request")
    print(f"{'size':8} {'adapter':12} {'median':>9} {'ours/poorwsgi':>14}")
    for size in ("small", "medium"):
        adapters: dict[str, tuple[Callable[[str, int], str], str]] = {
            "poorwsgi": poorwsgi_step(size)
        }
        for name, make in makers.items():
            adapters[name] = shallot_step(size, make)
        for name, (step, start) in adapters.items():
            _, last = run(step, start, 5)
            counter = read_back(name, last, makers.get(name))
            if counter != 4:
                raise SystemExit(f"{name}: read back {counter!r} after 5 requests, not 4")
        timings: dict[str, list[float]] = {name: [] for name in adapters}
        cookies = {name: start for name, (_, start) in adapters.items()}
        for _ in range(rounds):
            for name, (step, _) in adapters.items():
                seconds, cookies[name] = run(step, cookies[name], calls)
                timings[name].append(seconds)
        theirs = statistics.median(timings["poorwsgi"])
        for name, values in timings.items():
            median = statistics.median(values)
            ratio = "" if name == "poorwsgi" else f"{median / theirs:.2f}"
            print(f"{size:8} {name:12} {median * 1e6:9.1f} {ratio:>14}")


if __name__ == "__main__":
    main()
