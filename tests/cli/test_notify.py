"""`dear notify add|list|test|remove` with the installed `dear`, against a real `dear
serve` (and its worker) and a push app's server on loopback (tests/appriseserver.py)."""

from __future__ import annotations

import json

from tests.cli.household import household
from tests.cli.person import terminal


def test_a_push_app_added_at_the_terminal_rings_when_a_letter_arrives(
    dear_server_factory, tmp_path, push_app
):
    server = dear_server_factory(send_undo_seconds=0)
    people = household(server)
    # No quiet hours: the test runs at any hour.
    quiet = {"quiet_from": "00:00", "quiet_until": "00:00"}
    assert people.rory.client.patch("/me", json=quiet).status_code == 200
    rory = terminal(tmp_path, "rory")
    assert (
        rory.run("login", server.base_url, "--token-stdin", stdin=people.rory.token).returncode == 0
    )
    url = push_app.ntfy_url("rory-hidden-topic")

    added = rory.run("notify", "add", "-", stdin=url + "\n")

    assert added.returncode == 0, added.stderr
    assert f"Added ntfy://127.0.0.1:{push_app.port}/…" in added.stdout
    assert "it should be there now" in added.stdout
    assert [a.title for a in push_app.wait_for(1)] == ["Dear can reach you here"]

    listed = rory.run("notify", "list")
    assert listed.returncode == 0, listed.stderr
    assert "ntfy://127.0.0.1" in listed.stdout and "nothing sent yet" not in listed.stdout
    assert "letters, sealed, moments, reminders" in listed.stdout
    assert "rory-hidden-topic" not in listed.stdout + added.stdout

    people.write(people.jess, people.rory, "Words that stay in Dear.")
    arrived = push_app.wait_for(2)
    assert [a.title for a in arrived] == ["Dear can reach you here", "A letter from Jess"]
    assert "Words that stay in Dear." not in arrived[1].message
    assert "rory-hidden-topic" not in server.log()

    push_app.answer = [500]
    tested = rory.run("notify", "test")
    assert tested.returncode == 1
    assert "500" in tested.stdout

    channel = rory.run("notify", "list", "--json")
    (item,) = json.loads(channel.stdout)
    removed = rory.run("notify", "remove", item["id"][:8])
    assert removed.returncode == 0, removed.stderr
    assert rory.run("notify", "list").stdout.startswith("No push apps or browsers yet.")
    again = rory.run("notify", "remove", item["id"][:8])
    assert again.returncode == 1
    assert "you have no channel" in again.stderr


def test_a_url_apprise_does_not_understand_is_refused_at_the_terminal(dear_server, tmp_path):
    people = household(dear_server)
    rory = terminal(tmp_path, "rory")
    rory.run("login", dear_server.base_url, "--token-stdin", stdin=people.rory.token)

    refused = rory.run("notify", "add", "carrier-pigeon://loft/secret-bird")

    assert refused.returncode == 1
    assert refused.stderr.startswith("dear: error: Apprise does not understand this URL.")
    assert "secret-bird" not in refused.stderr
