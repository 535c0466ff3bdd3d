"""A writer process for the multi-process tests: ``python workers.py SPEC COOKIE WRITER STEPS``.

``SPEC`` names a shared store, ``sqlite:PATH`` or ``redis:URL``; ``COOKIE`` is the session cookie
value every writer sends. The process opens the store, prints "ready", waits for a line on its
standard input (so a test can release all writers at once), then ``STEPS`` times does what one
request of a server process does: load the session from the cookie, set its own key
``w<WRITER>-<step>`` and the shared key ``last``, and save. Then it prints "done".
"""

from __future__ import annotations

import sys

from shallot.http import Request
from shallot.sessions import RedisSessionStore, ServerSession, SessionStore, SQLiteSessionStore

SECRET = "concurrent writers"


def open_store(spec: str) -> SessionStore:
    """The store a spec names."""
    kind, _, location = spec.partition(":")
    if kind == "sqlite":
        return SQLiteSessionStore(location)
    if kind == "redis":
        return RedisSessionStore.from_url(location)
    raise SystemExit(f"unknown store spec {spec!r}")


def main(spec: str, cookie: str, writer: str, steps: str) -> None:
    """Open, report ready, wait for the go, make every request, report done."""
    store = open_store(spec)
    try:
        print("ready", flush=True)
        sys.stdin.readline()
        for step in range(int(steps)):
            session = ServerSession(store, secret_key=SECRET)
            session.load(Request({"HTTP_COOKIE": f"SESSID={cookie}"}))
            session[f"w{writer}-{step}"] = step
            session["last"] = f"{writer}-{step}"
            if session.commit() is None:
                raise SystemExit("the changed session was not saved")
        print("done", flush=True)
    finally:
        store.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
