"""``RemoteAddressAccess``: allow or deny requests by the client's IP address or network.

::

    app = RemoteAddressAccess(app, [
        allow("127.0.0.0/8"), allow("::1"), deny("10.1.0.0/16"), allow("10.0.0.0/8"),
    ], default=Action.DENY)

Rules are tried in order and the first whose network contains the address decides; no match means
``default``. A denied request gets ``403 Forbidden`` and never reaches the application. The
address is ``REMOTE_ADDR``, the peer of the connection: behind a reverse proxy that is the proxy,
so put a proxy-fix middleware (which knows which proxies to trust) in front. An IPv4-mapped IPv6
address (``::ffff:10.0.0.1``, as dual-stack sockets report IPv4 clients) is matched as the IPv4
address it carries. A missing or unparsable ``REMOTE_ADDR`` is always denied.
"""

from __future__ import annotations

import dataclasses
import enum
import ipaddress
import logging
from typing import TYPE_CHECKING

from shallot.http import forbidden

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["Action", "AddressRule", "RemoteAddressAccess", "allow", "deny"]

log = logging.getLogger("shallot.auth")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Action(enum.Enum):
    """What a rule (or the default) decides."""

    ALLOW = "allow"
    DENY = "deny"


@dataclasses.dataclass(frozen=True, slots=True)
class AddressRule:
    """``action`` for the addresses in ``network``."""

    action: Action
    network: IPNetwork

    def matches(self, address: IPAddress) -> bool:
        """Whether ``address`` is in :attr:`network` (same IP version only)."""
        return address.version == self.network.version and address in self.network


def _network(text: str) -> IPNetwork:
    """A network from ``"10.0.0.0/8"``, ``"2001:db8::/32"`` or a single address.

    Host bits set below the prefix (``10.0.0.1/8``) raise :class:`ValueError`: such a rule is
    almost always a typo, and guessing which network was meant would be worse.
    """
    return ipaddress.ip_network(text.strip(), strict=True)


def allow(network: str) -> AddressRule:
    """A rule allowing ``network`` (CIDR or one address, IPv4 or IPv6)."""
    return AddressRule(Action.ALLOW, _network(network))


def deny(network: str) -> AddressRule:
    """A rule denying ``network`` (CIDR or one address, IPv4 or IPv6)."""
    return AddressRule(Action.DENY, _network(network))


def parse_address(text: str | None) -> IPAddress | None:
    """The client address, IPv4-mapped IPv6 unwrapped; ``None`` when missing or invalid."""
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class RemoteAddressAccess:
    """WSGI middleware letting through only the clients its rules allow (see the module doc)."""

    def __init__(
        self, app: WSGIApplication, rules: Iterable[AddressRule], default: Action = Action.DENY
    ) -> None:
        self.app = app
        self.rules = tuple(rules)
        self.default = default

    def decide(self, remote_addr: str | None) -> Action:
        """The action for a client at ``remote_addr``: the first matching rule's, else default."""
        address = parse_address(remote_addr)
        if address is None:
            return Action.DENY
        for rule in self.rules:
            if rule.matches(address):
                return rule.action
        return self.default

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        remote_addr: str | None = environ.get("REMOTE_ADDR")
        if self.decide(remote_addr) is Action.ALLOW:
            return self.app(environ, start_response)
        log.warning("address denied: %r", remote_addr)
        return forbidden("your address may not use this resource")(environ, start_response)
