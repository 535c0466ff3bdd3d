"""RemoteAddressAccess: IPv4 and IPv6 addresses and CIDR networks, first match wins, a default;
over real loopback servers on 127.0.0.1 and [::1]."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import TYPE_CHECKING

import pytest

from shallot.auth import Action, RemoteAddressAccess, allow, deny
from shallot.auth.remote_address import parse_address

if TYPE_CHECKING:
    from collections.abc import Callable

    from _typeshed.wsgi import WSGIApplication

    from packages.auth.tests.conftest import Kit

RULES = [
    deny("10.1.0.0/16"),
    allow("10.0.0.0/8"),
    allow("192.168.1.7"),
    deny("2001:db8:dead::/48"),
    allow("2001:db8::/32"),
    allow("fe80::/10"),
]


@pytest.mark.parametrize(
    ("address", "action"),
    [
        ("10.2.3.4", Action.ALLOW),
        ("10.1.3.4", Action.DENY),
        ("192.168.1.7", Action.ALLOW),
        ("192.168.1.8", Action.DENY),
        ("2001:db8::1", Action.ALLOW),
        ("2001:db8:dead::1", Action.DENY),
        ("2001:DB8:0:0::abcd", Action.ALLOW),
        ("::ffff:10.2.3.4", Action.ALLOW),
        ("::ffff:10.1.3.4", Action.DENY),
        ("fe80::1%eth0", Action.ALLOW),
        ("2001:db9::1", Action.DENY),
        ("::1", Action.DENY),
    ],
)
def test_first_matching_rule_decides(kit: Kit, address: str, action: Action) -> None:
    guard = RemoteAddressAccess(kit.echo_app, RULES)
    assert guard.decide(address) is action


def test_the_default_applies_when_nothing_matches(kit: Kit) -> None:
    open_by_default = RemoteAddressAccess(kit.echo_app, [deny("10.0.0.0/8")], Action.ALLOW)
    assert open_by_default.decide("8.8.8.8") is Action.ALLOW
    assert open_by_default.decide("10.9.9.9") is Action.DENY


@pytest.mark.parametrize("address", [None, "", "not an address", "300.1.1.1", "unix:/tmp/s"])
def test_unknown_addresses_are_denied_even_when_the_default_allows(
    kit: Kit, address: str | None
) -> None:
    guard = RemoteAddressAccess(kit.echo_app, [], Action.ALLOW)
    assert guard.decide(address) is Action.DENY


def test_denied_requests_get_403_and_never_reach_the_app(kit: Kit) -> None:
    reached: list[str] = []

    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        reached.append("yes")
        start_response("200 OK", [])
        return [b""]

    guard = RemoteAddressAccess(app, [allow("127.0.0.1")])
    assert kit.call(guard, kit.make_environ(remote_addr="127.0.0.2")).status == 403
    assert not reached
    assert kit.call(guard, kit.make_environ(remote_addr="127.0.0.1")).status == 200
    assert reached == ["yes"]


@pytest.mark.parametrize("bad", ["10.0.0.1/8", "10.0.0.0/33", "example.org", "2001:db8::1/129"])
def test_rules_with_typos_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"does not appear to be|has host bits set"):
        allow(bad)


def test_parse_address_unwraps_ipv4_mapped() -> None:
    assert str(parse_address("::ffff:127.0.0.1")) == "127.0.0.1"
    assert str(parse_address(" ::1 ")) == "::1"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def test_over_ipv4_loopback(kit: Kit, serve: Callable[[WSGIApplication], str]) -> None:
    allowed = serve(RemoteAddressAccess(kit.echo_app, [allow("127.0.0.0/8")]))
    denied = serve(RemoteAddressAccess(kit.echo_app, [deny("127.0.0.1"), allow("0.0.0.0/0")]))
    ipv6_only = serve(RemoteAddressAccess(kit.echo_app, [allow("::/0")]))
    assert status_of(allowed + "/") == 200
    assert status_of(denied + "/") == 403
    assert status_of(ipv6_only + "/") == 403


def test_over_ipv6_loopback(kit: Kit, serve_ipv6: Callable[[WSGIApplication], str]) -> None:
    allowed = serve_ipv6(RemoteAddressAccess(kit.echo_app, [allow("::1/128")]))
    network = serve_ipv6(RemoteAddressAccess(kit.echo_app, [allow("::/64")]))
    denied = serve_ipv6(RemoteAddressAccess(kit.echo_app, [deny("::1"), allow("::/0")]))
    ipv4_only = serve_ipv6(RemoteAddressAccess(kit.echo_app, [allow("127.0.0.0/8")]))
    assert status_of(allowed + "/") == 200
    assert status_of(network + "/") == 200
    assert status_of(denied + "/") == 403
    assert status_of(ipv4_only + "/") == 403
