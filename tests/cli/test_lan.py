"""What `dear serve` tells a phone on the network: a LAN URL and a QR code for it."""

from __future__ import annotations

import ipaddress
import os

import httpx
import pytest

from dear.cli import lan, serve
from tests.cli.household import household, post_form
from tests.helpers import PASSWORD
from tests.server import free_port

LOOPBACK = ipaddress.ip_address("127.0.0.1")


@pytest.fixture
def on_the_home_network(monkeypatch):
    """This computer's address on the home network is 192.168.1.20, whatever it really is;
    what `dear serve` hands its web workers is undone afterwards."""
    home_address = ipaddress.ip_address("192.168.1.20")
    monkeypatch.setattr(lan, "_outward_address", lambda version: home_address)
    monkeypatch.setenv(serve.LAN_URL_ENV, "")
    monkeypatch.delenv("DEAR_PUBLIC_URL", raising=False)


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


def test_on_loopback_dear_serve_tells_how_phones_reach_it_and_hands_the_address_on(
    on_the_home_network,
):
    hint = serve._phone_hint(LOOPBACK, 8000)
    assert hint == (
        "Only this computer can open it. To open Dear on the phones in your home, start it "
        "with --host 0.0.0.0: they will find it at http://192.168.1.20:8000/"
    )
    assert os.environ[serve.LAN_URL_ENV] == "http://192.168.1.20:8000/"


def test_on_loopback_with_no_network_address_the_hint_still_names_the_option(
    on_the_home_network, monkeypatch
):
    monkeypatch.setattr(lan, "_outward_address", lambda version: None)
    hint = serve._phone_hint(LOOPBACK, 8000)
    assert hint == (
        "Only this computer can open it; to reach it from a phone, start Dear with --host 0.0.0.0."
    )
    assert serve.LAN_URL_ENV not in os.environ


def test_no_phone_hint_when_the_public_url_names_an_address_phones_reach(
    on_the_home_network, monkeypatch
):
    monkeypatch.setenv("DEAR_PUBLIC_URL", "http://192.168.1.20:8000")
    assert serve._phone_hint(LOOPBACK, 8000) is None
    # A public URL on this computer reaches no phone either: the hint stays.
    monkeypatch.setenv("DEAR_PUBLIC_URL", "http://127.0.0.1:8000")
    assert "http://192.168.1.20:8000/" in serve._phone_hint(LOOPBACK, 8000)


def test_listening_on_every_network_gives_no_phone_hint(on_the_home_network):
    assert serve._phone_hint(ipaddress.ip_address("0.0.0.0"), 8000) is None
    assert serve.LAN_URL_ENV not in os.environ


def test_served_on_loopback_it_says_how_phones_reach_it_and_its_pages_name_that_address(
    dear_server_factory,
):
    port = free_port()
    server = dear_server_factory(port=port)
    house = household(server)
    # The address this computer really has on its network, if any.
    would_be = lan.would_be_url(LOOPBACK, port)
    ready = f"Dear is ready at {server.url('/')}\n"
    assert server.wait_for_output(ready + "Only this computer can open it")
    hint = server.log().split(ready, 1)[1].splitlines()[0]
    assert "--host 0.0.0.0" in hint
    with httpx.Client(timeout=30) as browser:
        post_form(browser, server, "/login", {"username": "jess", "password": PASSWORD})
        sheet = browser.get(server.url(f"/homes/{house.home}/labels")).text
    assert "These codes open only on this computer" in sheet
    if would_be is not None:
        assert would_be in hint
        assert f"they will find it at <code>{would_be}</code>." in sheet
