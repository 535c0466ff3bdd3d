"""At the open-files limit the embedded server waits for a free descriptor: it neither spins on
its listening socket nor floods its log, and serves again once connections close."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time

from shallot.testing import connect

SERVER = textwrap.dedent(
    """
    import resource, threading
    from shallot.server.embedded import EmbeddedServer
    from shallot.server.listener import open_listener

    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    listener = open_listener("127.0.0.1", 0)
    resource.setrlimit(resource.RLIMIT_NOFILE, (40, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    print(listener.getsockname()[1], flush=True)
    EmbeddedServer(app, listener, threads=2).serve(threading.Event())
    """
)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_server_out_of_descriptors_waits_quietly_and_recovers() -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    clients: list[socket.socket] = []
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        for _ in range(60):  # more than the 40 descriptors the server may hold
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        time.sleep(1)
        used = cpu_seconds(server.pid)
        time.sleep(2)
        assert cpu_seconds(server.pid) - used < 0.5  # cheroot's own loop kept a CPU busy
        for client in clients:
            client.close()
        clients.clear()
        with connect(f"http://127.0.0.1:{port}", timeout=10) as connection:
            connection.request("GET", "/")
            assert connection.getresponse().read() == b"ok"
    finally:
        for client in clients:
            client.close()
        server.terminate()
        _, errors = server.communicate(timeout=30)
    # Logged once each time accepting starts failing (a descriptor freed for a moment can end
    # an episode); cheroot logged a traceback at every try, hundreds of thousands of lines.
    assert 1 <= errors.count("Cannot accept connections (Too many open files)") <= 5
    assert "Traceback" not in errors
