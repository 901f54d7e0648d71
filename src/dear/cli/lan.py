"""The address a phone on the home network opens: printed with a QR code drawn in the
terminal when `dear serve` listens beyond loopback, and named as the address Dear would
have when it listens on this computer alone."""

from __future__ import annotations

import io
import ipaddress
import socket

import segno

from dear.cli.app import out

# Never contacted: connecting a UDP socket only asks the kernel which local address
# would route there, which is the address the home network reaches us on.
_ROUTE_PROBE = {4: "192.0.2.1", 6: "2001:db8::1"}


def lan_url(address, port: int) -> str | None:
    """The URL others on the network open, or None when serving only this computer."""
    if address.is_loopback:
        return None
    if address.is_unspecified:
        address = _outward_address(address.version)
        if address is None or address.is_loopback:
            return None
    host = f"[{address}]" if address.version == 6 else str(address)
    return f"http://{host}:{port}/"


def would_be_url(address, port: int) -> str | None:
    """The URL phones would open were Dear listening on every network (--host 0.0.0.0),
    or None when this computer has no address on a network."""
    every = ipaddress.ip_address("::" if address.version == 6 else "0.0.0.0")
    return lan_url(every, port)


def phone_hint(would_be: str | None) -> str:
    """Listening on loopback: one line on how the phones in the home reach Dear."""
    if would_be is None:
        return (
            "Only this computer can open it; to reach it from a phone, start Dear with "
            "--host 0.0.0.0."
        )
    return (
        "Only this computer can open it. To open Dear on the phones in your home, start "
        f"it with --host 0.0.0.0: they will find it at {would_be}"
    )


def _outward_address(version: int):
    family = socket.AF_INET6 if version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((_ROUTE_PROBE[version], 9))
            return ipaddress.ip_address(probe.getsockname()[0])
    except OSError:
        return None


def qr_text(url: str) -> str:
    drawn = io.StringIO()
    segno.make(url, error="m").terminal(out=drawn, compact=True)
    return drawn.getvalue()


def announce(address, port: int) -> None:
    url = lan_url(address, port)
    if url is None:
        return
    out.print(f"[bold]On your network: {url}[/] (scan this with a phone)")
    # Printed as is: the code is block characters, not markup.
    out.file.write(qr_text(url))
    out.file.flush()
