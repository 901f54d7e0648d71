"""What `dear serve` tells a phone on the network: a LAN URL and a QR code for it."""

from __future__ import annotations

import ipaddress

from dear.cli import lan
from tests.cli.household import household
from tests.server import free_port


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


def test_served_on_every_network_invites_and_labels_name_the_network_address(
    dear_server_factory,
):
    port = free_port()
    server = dear_server_factory(args=("--host", "0.0.0.0"), port=port)
    house = household(server)
    # Asked from this computer (127.0.0.1), the links still name what a phone can open.
    expected = lan.lan_url(ipaddress.ip_address("0.0.0.0"), port) or server.url("/")
    invite = house.jess.client.post(f"/homes/{house.home}/invites").json()["url"]
    place = house.jess.client.post(f"/homes/{house.home}/places", json={"name": "the counter"})
    assert invite.startswith(expected + "invite/")
    assert place.json()["label_url"].startswith(expected + "p/")


def test_a_public_url_given_wins_over_the_network_address(dear_server_factory):
    public = "http://dear.home:8000"
    server = dear_server_factory(args=("--host", "0.0.0.0"), env={"DEAR_PUBLIC_URL": public})
    house = household(server)
    invite = house.jess.client.post(f"/homes/{house.home}/invites").json()["url"]
    assert invite.startswith(public + "/invite/")


def test_served_on_loopback_links_name_the_address_the_browser_used(dear_server):
    house = household(dear_server)
    invite = house.jess.client.post(f"/homes/{house.home}/invites").json()["url"]
    assert invite.startswith(dear_server.url("/invite/"))
