from __future__ import annotations

import socket

import pytest

from shallot.server.listener import ListenError, base_url, open_listener


def test_port_zero_picks_a_free_port_that_accepts_connections() -> None:
    with open_listener("127.0.0.1", 0) as listener:
        port = listener.getsockname()[1]
        assert port > 0
        assert base_url(listener) == f"http://127.0.0.1:{port}/"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            accepted, _ = listener.accept()
            accepted.close()


def test_ipv6_urls_are_bracketed() -> None:
    try:
        listener = open_listener("::1", 0)
    except ListenError:
        pytest.skip("no IPv6 loopback on this machine")
    with listener:
        assert base_url(listener) == f"http://[::1]:{listener.getsockname()[1]}/"


def test_a_port_in_use_is_refused_with_the_address_and_reason() -> None:
    with open_listener("127.0.0.1", 0) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(ListenError) as raised:
            open_listener("127.0.0.1", port)
    assert (raised.value.host, raised.value.port) == ("127.0.0.1", port)
    assert "in use" in raised.value.reason
    assert str(raised.value).startswith(f"cannot listen on 127.0.0.1:{port}: ")


@pytest.mark.parametrize("port", [-1, 65536])
def test_a_port_out_of_range_is_refused(port: int) -> None:
    with pytest.raises(ListenError, match="between 0 and 65535"):
        open_listener("127.0.0.1", port)


def test_an_unknown_host_is_refused() -> None:
    with pytest.raises(ListenError) as raised:
        open_listener("no-such-host.invalid", 0)
    assert raised.value.host == "no-such-host.invalid"


def test_a_fixed_port_can_be_reopened_at_once_after_a_connection() -> None:
    with open_listener("127.0.0.1", 0) as probe:
        port = probe.getsockname()[1]
    with open_listener("127.0.0.1", port) as first:
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        accepted, _ = first.accept()
        accepted.close()
        client.close()
    with open_listener("127.0.0.1", port) as second:
        assert second.getsockname()[1] == port


def test_accepted_connections_send_small_writes_at_once() -> None:
    """TCP_NODELAY, inherited from the listener: no 40 ms Nagle wait after a response head."""
    with (
        open_listener("127.0.0.1", 0) as listener,
        socket.create_connection(listener.getsockname()[:2], timeout=5),
    ):
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
