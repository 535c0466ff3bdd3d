"""Shared fixtures and helpers: a hand-moved clock, an in-process WSGI caller, a small Digest
client, programs on a real terminal, a loopback server on IPv6, Apache's password tools."""

from __future__ import annotations

import io
import os
import select
import socket
import subprocess
import sys
import time
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, NamedTuple
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import setup_testing_defaults

import pytest

from shallot.auth import DigestAlgorithm, Qop, compute_response, ha1, userhash
from shallot.http import Response, parse_authorization
from shallot.testing import require_service

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class FakeClock:
    """A clock the test moves by hand, so expiry is tested without sleeping."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class Answer(NamedTuple):
    """What a WSGI application answered."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header_values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


def _read_terminal(master: int, deadline: float) -> bytes:
    """The next output of the terminal; ``b""`` at its end (or after the deadline)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return b""
    ready, _, _ = select.select([master], [], [], remaining)
    if not ready:
        return b""
    try:
        return os.read(master, 4096)
    except OSError:  # EIO: every slave end is closed, the program is done
        return b""


@pytest.fixture
def htpasswd() -> str:
    """Apache's htpasswd program."""
    return require_service("htpasswd", "apt-get install apache2-utils")


@pytest.fixture
def htdigest() -> str:
    """Apache's htdigest program."""
    return require_service("htdigest", "apt-get install apache2-utils")


class Kit:
    """The helpers the tests share, handed out by the ``kit`` fixture (pytest's importlib mode
    lets test modules import nothing from each other or from this file at run time)."""

    @staticmethod
    def make_environ(
        path: str = "/",
        *,
        method: str = "GET",
        query: str = "",
        authorization: str | None = None,
        body: bytes = b"",
        scheme: str = "http",
        remote_addr: str = "127.0.0.1",
        extra: dict[str, str] | None = None,
    ) -> WSGIEnvironment:
        """A complete WSGI environ for one request."""
        environ: WSGIEnvironment = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REMOTE_ADDR": remote_addr,
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(body),
        }
        if body:
            environ["CONTENT_LENGTH"] = str(len(body))
        if authorization is not None:
            environ["HTTP_AUTHORIZATION"] = authorization
        environ.update(extra or {})
        setup_testing_defaults(environ)
        if scheme == "https":
            environ["SERVER_PORT"] = "443"
        return environ

    @staticmethod
    def call(app: WSGIApplication, environ: WSGIEnvironment) -> Answer:
        """Run ``app`` on ``environ`` in this process, as a server would."""
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            seen.append((status, headers))
            return lambda data: None

        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = seen[-1]
        return Answer(int(status.split(" ", 1)[0]), headers, body)

    @staticmethod
    def echo_app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        """Answer 200 with ``REMOTE_USER realm AUTH_TYPE``, then ``|`` and any body."""
        data = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        text = " ".join(
            str(environ.get(key)) for key in ("REMOTE_USER", "shallot.auth.realm", "AUTH_TYPE")
        )
        response = Response(text.encode() + (b"|" + data if data else b""), "text/plain")
        return list(response(environ, start_response))

    @staticmethod
    def challenge_params(header: str) -> dict[str, str]:
        """The parameters of one ``WWW-Authenticate: Digest ...`` value."""
        parsed = parse_authorization(header)
        assert parsed.scheme == "digest"
        return dict(parsed.params)

    @staticmethod
    def digest_authorization(
        challenge: str,
        username: str,
        password: str,
        /,
        *,
        method: str = "GET",
        uri: str = "/",
        nc: int = 1,
        cnonce: str = "0a4f113b",
        qop: Qop = Qop.AUTH,
        body: bytes = b"",
        use_userhash: bool = False,
        overrides: Mapping[str, str] | None = None,
    ) -> str:
        """The Authorization value an RFC 7616 client sends in answer to ``challenge``.

        ``overrides`` replace (or, with an empty string, remove) single fields after the response
        is computed: how the tests forge wrong realms, opaques or nonces.
        """
        params = Kit.challenge_params(challenge)
        algorithm = DigestAlgorithm.parse(params["algorithm"])
        assert algorithm is not None
        realm = params["realm"]
        response = compute_response(
            algorithm,
            stored_ha1=ha1(algorithm.base, username, realm, password),
            method=method,
            uri=uri,
            nonce=params["nonce"],
            nc=f"{nc:08x}",
            cnonce=cnonce,
            qop=qop,
            body=body,
        )
        fields = {
            "username": userhash(algorithm, username, realm) if use_userhash else username,
            "realm": realm,
            "uri": uri,
            "algorithm": algorithm.value,
            "nonce": params["nonce"],
            "nc": f"{nc:08x}",
            "cnonce": cnonce,
            "qop": qop.value,
            "response": response,
            "opaque": params["opaque"],
        }
        if use_userhash:
            fields["userhash"] = "true"
        for name, value in (overrides or {}).items():
            if value:
                fields[name] = value
            else:
                fields.pop(name, None)
        unquoted = {"algorithm", "nc", "qop", "userhash"}
        return "Digest " + ", ".join(
            f"{name}={value}" if name in unquoted else f'{name}="{value}"'
            for name, value in fields.items()
        )

    @staticmethod
    def run_in_terminal(
        argv: Sequence[str], answers: Sequence[tuple[str, str]], timeout: float = 30
    ) -> tuple[str, int]:
        """Run ``argv`` with a pseudo-terminal as its controlling terminal and standard streams.

        For each ``(prompt, answer)``, waits until ``prompt`` appears in the output, then types
        ``answer`` and Enter. Returns everything the program wrote to the terminal (including what
        the terminal echoed of the typing, when echo was on) and its exit status.
        """
        master, slave = os.openpty()
        # After setsid (start_new_session), opening the terminal makes it the controlling one, which
        # getpass and Apache's tools need for /dev/tty.
        claim_tty = "import os, sys; os.close(os.open(os.ttyname(0), os.O_RDWR)); " + (
            "os.execvp(sys.argv[1], sys.argv[1:])"
        )
        process = subprocess.Popen(
            [sys.executable, "-c", claim_tty, *argv],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
        )
        os.close(slave)
        deadline = time.monotonic() + timeout
        output = b""
        searched_from = 0
        try:
            for prompt, answer in answers:
                while (found := output.find(prompt.encode(), searched_from)) < 0:
                    chunk = _read_terminal(master, deadline)
                    if not chunk:
                        raise AssertionError(f"no prompt {prompt!r}; got {output!r}")
                    output += chunk
                searched_from = found + len(prompt.encode())
                os.write(master, answer.encode() + b"\r")
            while chunk := _read_terminal(master, deadline):
                output += chunk
            status = process.wait(timeout=max(deadline - time.monotonic(), 1))
        finally:
            os.close(master)
            if process.poll() is None:
                process.kill()
                process.wait()
        return output.decode("utf-8", "replace"), status

    @staticmethod
    def htpasswd_line(program: str, options: Sequence[str], user: str, password: str) -> str:
        """One ``user:hash`` line as the real htpasswd writes it (``-nb`` plus ``options``)."""
        done = subprocess.run(
            [program, "-nb", *options, user, password], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()


@pytest.fixture
def kit() -> Kit:
    return Kit()


class _IPv6Server(ThreadingMixIn, WSGIServer):
    address_family = socket.AF_INET6
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log in test output."""


def _has_ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.fixture
def serve_ipv6() -> Iterator[Callable[[WSGIApplication], str]]:
    """Like ``serve``, on ``[::1]``; skipped where this machine has no IPv6 loopback."""
    if not _has_ipv6_loopback():
        pytest.skip("no IPv6 loopback on this machine")
    import threading

    running: list[tuple[WSGIServer, threading.Thread]] = []

    def start(app: WSGIApplication) -> str:
        server = make_server("::1", 0, app, server_class=_IPv6Server, handler_class=_QuietHandler)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        running.append((server, thread))
        return f"http://[::1]:{server.server_port}"

    yield start
    for server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join()
