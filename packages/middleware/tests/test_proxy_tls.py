"""Proxy to an https upstream (cheroot with a self-signed certificate made by openssl): the
target's ``ssl_context`` is used, and an upstream the context does not trust gives 502."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from typing import TYPE_CHECKING

import pytest
from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter

from shallot.middleware import Proxy, ProxyTarget
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from _typeshed.wsgi import WSGIEnvironment

    from shallot.testing import Serve


def secure(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"secure {environ['wsgi.url_scheme']} {environ['PATH_INFO']}".encode()]


@pytest.fixture
def https_upstream(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An https cheroot server with a fresh self-signed certificate for 127.0.0.1; yields its
    URL and the certificate file."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    server = wsgi.Server(("127.0.0.1", 0), secure, numthreads=2, shutdown_timeout=1)
    server.expiration_interval = 0.05
    server.ssl_adapter = BuiltinSSLAdapter(str(certificate), str(key))
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.bind_addr[1]}", certificate
    server.stop()
    thread.join()


def test_https_target(cheroot_serve: Serve, https_upstream: tuple[str, Path]) -> None:
    url, certificate = https_upstream
    trusting = ssl.create_default_context(cafile=str(certificate))
    proxy = Proxy(
        lambda environ, start_response: [],
        {
            "/trusted": ProxyTarget(url, remove_prefix=True, ssl_context=trusting),
            "/untrusted": ProxyTarget(url, remove_prefix=True),
        },
    )
    base = cheroot_serve(proxy)
    reply = fetch(base, "/trusted/x")
    assert (reply.status, reply.body) == (200, b"secure https /x")
    refused = fetch(base, "/untrusted/x")
    assert refused.status == 502
    assert b"TLS handshake" in refused.body
