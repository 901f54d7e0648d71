"""`dear leave HOME` with the installed `dear`, against a real `dear serve`."""

from __future__ import annotations

from tests.cli.household import household
from tests.cli.person import terminal


def test_leaving_a_home_asks_first_then_keeps_the_letters(dear_server_factory, tmp_path):
    server = dear_server_factory(send_undo_seconds=600)
    people = household(server)
    letter = people.write(people.rory, people.jess, "On its way, for ten minutes yet.")
    rory = terminal(tmp_path, "rory")
    assert (
        rory.run("login", server.base_url, "--token-stdin", stdin=people.rory.token).returncode == 0
    )

    asked = rory.run("leave", "flat", stdin="n\n")

    assert asked.returncode == 1
    assert "Leave The flat?" in asked.stdout
    assert asked.stderr == "dear: error: aborted\n"
    assert people.rory.client.get("/me").json()["homes"] != []

    left = rory.run("leave", "flat", "--yes")

    assert left.returncode == 0, left.stderr
    assert left.stdout == (
        "You left The flat. Your letters stay with you. 1 of your letters that had not "
        "arrived yet is back in your drawer.\n"
    )
    assert people.rory.client.get("/me").json()["homes"] == []
    assert people.rory.client.get(f"/letters/{letter}").json()["state"] == "kept"

    again = rory.run("leave", "flat", "--yes")

    assert again.returncode == 1
    assert again.stderr == "dear: error: you do not belong to a home\n"
