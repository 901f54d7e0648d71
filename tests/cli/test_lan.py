"""What `dear serve` tells a phone on the network: a LAN URL and a QR code for it."""

from __future__ import annotations

import ipaddress

from dear.cli import lan


def test_loopback_gets_no_lan_url():
    assert lan.lan_url(ipaddress.ip_address("127.0.0.1"), 8000) is None
    assert lan.lan_url(ipaddress.ip_address("::1"), 8000) is None


def test_a_lan_address_is_its_own_url():
    url = lan.lan_url(ipaddress.ip_address("192.168.1.20"), 8000)
    assert url == "http://192.168.1.20:8000/"


def test_the_qr_code_is_drawn_with_block_characters():
    drawn = lan.qr_text("http://192.168.1.20:8000/")
    assert len(drawn.splitlines()) > 10
    assert set(drawn) - set(" \n") <= set("█▀▄")
