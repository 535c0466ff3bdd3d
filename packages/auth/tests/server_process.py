"""A Digest-protected server in its own process, for the tests where processes must agree.

Run as ``python server_process.py REDIS_URL SECRET``: it serves on a free loopback port, prints its
base URL on one line, and serves until terminated. Nonces are signed with SECRET and their counts
kept in Redis, so any number of these processes accept each other's nonces and refuse each other's
replays. A script rather than a module, because pytest's importlib mode gives test modules names
another process cannot import.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIRequestHandler, make_server

from shallot.auth import (
    Authenticator,
    DictUserStore,
    DigestAlgorithm,
    DigestScheme,
    NonceManager,
    Realm,
)
from shallot.auth.redis import RedisNonceCounter
from shallot.http import Response

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log."""


def hello(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    return Response(f"hello {environ['REMOTE_USER']}", "text/plain")(environ, start_response)


def main() -> None:
    redis_url, secret = sys.argv[1], sys.argv[2]
    scheme = DigestScheme(
        algorithms=[DigestAlgorithm.MD5],
        nonces=NonceManager(secret),
        counter=RedisNonceCounter.from_url(redis_url),
    )
    app = Authenticator(
        hello, Realm("shared", DictUserStore({"alice": "secret"})), schemes=[scheme]
    )
    server = make_server("127.0.0.1", 0, app, handler_class=QuietHandler)
    print(f"http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
