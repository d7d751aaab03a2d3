"""`make party`: the local stack for real phones on the local network (ADR 0035).

What differs from `make dev` is decided here: the public address (the machine's LAN address,
found or given), and the checks that keep a stack on the network from being opened with the
printed default admin password.
"""

from __future__ import annotations

import ipaddress
import re
import socket

from .config import DEFAULT_ADMIN_PASSWORD, ConfigError, DevEnv

# A documentation address (TEST-NET-1): connecting a UDP socket to it sends no packet, it only
# asks the kernel which local address would carry traffic towards the network.
_PROBE = ("192.0.2.1", 9)

# Where a party can be: the private IPv4 ranges a home or venue network hands out, link-local,
# carrier-grade NAT (phone hotspots, Tailscale) and loopback (tests stand in 127.0.0.2 for the
# LAN). The party's CA signs for these alone (tls.py).
PARTY_NETWORKS = (
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "127.0.0.0/8",
)

# The deployed user pool's password policy (infra's AdminDirectory): what a bartender's
# password must meet in AWS, asked of the party admin too.
MIN_PASSWORD_LENGTH = 12
_PASSWORD_RULES = (
    (re.compile(r"[a-z]"), "a lowercase letter"),
    (re.compile(r"[A-Z]"), "an uppercase letter"),
    (re.compile(r"[0-9]"), "a number"),
)


def detect_lan_address(probe: tuple[str, int] = _PROBE) -> str | None:
    """The IPv4 address this machine reaches the local network from, or None (no network).

    The UDP-socket trick: `connect` on a datagram socket picks a route and a source address
    without sending anything.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(probe)
        except OSError:
            return None
        address = str(sock.getsockname()[0])
    if address == "0.0.0.0" or ipaddress.ip_address(address).is_loopback:
        return None
    return address


def party_host(configured: str | None, detect: object = detect_lan_address) -> str:
    """The address guests' phones open: `BARKEEP_HOST` when set, else the detected one."""
    if configured:
        try:
            address = ipaddress.ip_address(configured)
        except ValueError:
            raise ConfigError(
                f"{DevEnv.HOST}={configured!r} is not an IP address; give the address phones "
                "reach this machine on (e.g. 192.168.1.20)"
            ) from None
        if address.version != 4 or address.is_unspecified or address.is_multicast:
            raise ConfigError(
                f"{DevEnv.HOST}={configured} cannot be listened on for phones; give this "
                "machine's IPv4 address on the local network (e.g. 192.168.1.20)"
            )
        if address == ipaddress.ip_address("127.0.0.1"):
            raise ConfigError(
                f"{DevEnv.HOST}=127.0.0.1 is this machine alone: no phone can open it. Give "
                "this machine's address on the local network (e.g. 192.168.1.20), or use "
                "`make dev` to try Barkeep on this machine only"
            )
        if not _on_a_party_network(address):
            raise ConfigError(
                f"{DevEnv.HOST}={configured} is not an address on a home or party network "
                "(10.x, 172.16-31.x, 192.168.x); give this machine's address on the local "
                "network (e.g. 192.168.1.20)"
            )
        return str(address)
    assert callable(detect)
    found = detect()
    if not found:
        raise ConfigError(
            "Could not find this machine's address on the local network (is Wi-Fi on?). "
            f"Set {DevEnv.HOST}=<this machine's IP address>, e.g. {DevEnv.HOST}=192.168.1.20"
        )
    if not _on_a_party_network(ipaddress.ip_address(found)):
        # the party's CA may only sign for private addresses, so no phone would trust this one
        raise ConfigError(
            f"This machine's address on the network, {found}, is not a private one (a home "
            "network or a phone's hotspot gives 10.x, 172.16-31.x or 192.168.x), and the "
            "party's certificate can only name those. Join such a network, or set "
            f"{DevEnv.HOST}=<this machine's private address>"
        )
    return str(found)


def _on_a_party_network(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in ipaddress.ip_network(n) for n in PARTY_NETWORKS)


def password_problem(password: str) -> str | None:
    """Why `password` may not guard a stack on the network, or None when it may."""
    if password == DEFAULT_ADMIN_PASSWORD:
        return "is the default printed in the README, so anyone at the party could sign in"
    if password != password.strip():
        return "begins or ends with a space, which Cognito refuses"
    missing = [what for rule, what in _PASSWORD_RULES if not rule.search(password)]
    if len(password) < MIN_PASSWORD_LENGTH:
        missing.insert(0, f"at least {MIN_PASSWORD_LENGTH} characters")
    if missing:
        return "is too weak: it needs " + ", ".join(missing)
    return None


def check_admin_password(password: str, *, given: bool = True) -> None:
    """Refuse to serve the network with a password guests could guess (ConfigError says how);
    `given` is whether one was set at all, rather than left to the default."""
    problem = password_problem(password)
    if problem is not None:
        said = (
            f"The admin password {problem}"
            if given
            else f"No admin password is set ({DevEnv.ADMIN_PASSWORD}), and the default is in "
            "the README, so anyone at the party could sign in"
        )
        raise ConfigError(
            f"{said}. `make party` serves the whole local network: "
            f"choose the bartender's own password and start again, e.g.\n"
            f"    {DevEnv.ADMIN_PASSWORD}='<12+ characters, upper and lower case and a number>' "
            "make party\n"
            "(the sign-in email stays admin@barkeep.local unless "
            f"{DevEnv.ADMIN_EMAIL} says otherwise)."
        )
