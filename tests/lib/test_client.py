"""The client's address: X-Forwarded-For is believed only from proxies named as trusted."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory

from dear.lib.client import client_address
from dear.lib.env import SettingError, env_networks

PROXIES = (ipaddress.ip_network("10.0.0.2"), ipaddress.ip_network("fd00::/8"))


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "seen"),
    [
        # No proxy trusted: the header is whatever the client said, so it is ignored.
        ("203.0.113.9", "198.51.100.1", (), "203.0.113.9"),
        ("10.0.0.2", "198.51.100.1", (), "10.0.0.2"),
        # From a trusted proxy: the address it saw.
        ("10.0.0.2", "198.51.100.1", PROXIES, "198.51.100.1"),
        # A client's own forged entry sits further back than what the proxy saw.
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", PROXIES, "198.51.100.1"),
        # Two trusted proxies in a row: back past both.
        ("fd00::5", "198.51.100.1, 10.0.0.2", PROXIES, "198.51.100.1"),
        # Not from a trusted proxy: the header is ignored even if it names one.
        ("203.0.113.9", "10.0.0.2", PROXIES, "203.0.113.9"),
        # A trusted proxy with nothing to say: the proxy itself.
        ("10.0.0.2", "", PROXIES, "10.0.0.2"),
        # Only trusted hops (a proxy serving its own LAN): the one furthest back.
        ("10.0.0.2", "fd00::1", PROXIES, "fd00::1"),
        ("10.0.0.2", "fd00::7, fd00::1", PROXIES, "fd00::7"),
        # Ports and brackets some proxies add are not part of the address.
        ("10.0.0.2", "198.51.100.1:5678", PROXIES, "198.51.100.1"),
        ("10.0.0.2", "[2001:db8::1]:443", PROXIES, "2001:db8::1"),
        # Something that is not an address from a trusted proxy: not believed.
        ("10.0.0.2", "unknown", PROXIES, "10.0.0.2"),
    ],
)
def test_the_client_address_behind_proxies(peer, forwarded, trusted, seen, settings):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == seen


def test_trusted_proxies_are_read_as_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("DEAR_TRUSTED_PROXIES", " 10.0.0.2 , fd00::/8,")
    assert env_networks("DEAR_TRUSTED_PROXIES") == PROXIES


def test_a_trusted_proxy_that_is_not_an_address_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("DEAR_TRUSTED_PROXIES", "10.0.0.2,proxy.local")
    with pytest.raises(SettingError, match="DEAR_TRUSTED_PROXIES.*'proxy.local'"):
        env_networks("DEAR_TRUSTED_PROXIES")
