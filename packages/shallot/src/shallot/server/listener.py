"""The listening socket, opened before any server starts on it.

The socket is bound by us, not by cheroot, so that the real port is known at once (``port=0``
picks a free one, and the command prints it) and so that several pre-forked worker processes can
inherit one socket and serve one port::

    listener = open_listener("127.0.0.1", 0)
    base_url(listener)  # 'http://127.0.0.1:41234/'
"""

from __future__ import annotations

import socket

__all__ = ["ListenError", "base_url", "open_listener"]

BACKLOG = 1024
"""Connections the kernel queues before one is accepted (capped by ``net.core.somaxconn``):
benchmarks open hundreds at once, and cheroot's default of 5 would drop them."""


class ListenError(OSError):
    """The address cannot be listened on; ``host``, ``port`` and ``reason`` say where and why."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(f"cannot listen on {host}:{port}: {reason}")
        self.host = host
        self.port = port
        self.reason = reason


def open_listener(host: str, port: int, backlog: int = BACKLOG) -> socket.socket:
    """A TCP socket bound to ``host``/``port`` (IPv4 or IPv6, as ``host`` resolves) and listening.

    ``SO_REUSEADDR`` is set for a fixed port, so a restarted server does not wait for the old
    connections' ``TIME_WAIT``; it is not set for ``port=0``, where it could hand out a port
    another socket still uses. ``TCP_NODELAY`` is set, and inherited by accepted connections, so
    a response written in two pieces (head, then a small body) is not held back by Nagle's
    algorithm until the client's delayed acknowledgement, 40 ms later. The socket is not
    inherited by programs the server executes.
    Raises :class:`ListenError` when no address of ``host`` can be bound.
    """
    if not 0 <= port <= 65535:
        raise ListenError(host, port, "the port must be between 0 and 65535")
    try:
        addresses = socket.getaddrinfo(
            host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
        )
    except socket.gaierror as error:
        raise ListenError(host, port, error.strerror or str(error)) from error
    reasons: list[str] = []
    for family, kind, protocol, _name, address in addresses:
        listener = socket.socket(family, kind, protocol)
        try:
            if port != 0:
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            listener.bind(address)
            listener.listen(backlog)
        except OSError as error:
            listener.close()
            reasons.append(error.strerror or str(error))
            continue
        return listener
    raise ListenError(host, port, "; ".join(dict.fromkeys(reasons)) or "no address to bind")


def base_url(listener: socket.socket) -> str:
    """The ``http://`` URL of the socket's real address, with a trailing slash.

    An IPv6 address is bracketed (``http://[::1]:8080/``).
    """
    host, port = listener.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"
