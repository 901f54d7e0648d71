"""Writing, reading and replying with the installed `dear`, its $EDITOR scripted."""

from __future__ import annotations

import httpx

from tests.helpers import PASSWORD


def test_write_send_then_read_and_reply(two_terminals):
    _, people, jess, rory = two_terminals

    written = jess.run("write", "Rory", "--send", WORDS="I left the kettle on for you.")

    assert written.returncode == 0, written.stderr
    assert written.stdout.startswith("Sent to Rory")
    assert jess.seen_page() == "Dear Rory,\n\n\n\nJess\n"
    [letter] = rory.json("inbox")
    assert letter["salutation"] == "Dear Rory,"
    assert letter["body"] == "I left the kettle on for you."
    assert letter["closing"] == "Jess"

    shown = rory.run("read", letter["id"])

    assert shown.returncode == 0, shown.stderr
    assert "Dear Rory,\n\nI left the kettle on for you.\n\n" in shown.stdout
    lines = [line.strip() for line in shown.stdout.splitlines()]
    assert lines[lines.index("I left the kettle on for you.") + 2] == "Jess"
    assert "\x1b[" not in shown.stdout  # no colour when not a terminal
    receipt = people.jess.client.get(f"/letters/{letter['id']}").json()["deliveries"][0]
    assert receipt["read_at"] is not None

    replied = rory.run("reply", letter["id"], "--keep", WORDS="Thank you. I saw.")

    assert replied.returncode == 0, replied.stderr
    assert rory.seen_page().startswith("Dear Jess,")
    [kept] = rory.json("drawer")
    assert kept["in_reply_to"] == letter["id"]
    assert kept["body"] == "Thank you. I saw."


def test_an_empty_page_makes_no_letter(two_terminals):
    _, _, jess, _ = two_terminals

    result = jess.run("write", "rory", "--send")

    assert result.returncode == 1
    assert result.stderr.strip() == "dear: error: Nothing written; no letter made."
    assert jess.json("drafts") == []


def test_without_a_choice_and_without_a_terminal_the_letter_stays_a_draft(two_terminals):
    _, _, jess, _ = two_terminals

    result = jess.run("write", "ror", WORDS="Not sure yet.")

    assert result.returncode == 0, result.stderr
    assert "Saved as a draft" in result.stdout
    [draft] = jess.json("drafts")
    assert draft["body"] == "Not sure yet."


def test_a_note_left_at_a_place_with_a_hint_is_found_by_visiting_it(two_terminals):
    _, people, jess, rory = two_terminals
    people.jess.client.post(f"/homes/{people.home}/places", json={"name": "The counter"})

    left = jess.run("write", "rory", "--at", "counter", "--hint", WORDS="Under the cup.")

    assert left.returncode == 0, left.stderr
    assert "Left for Rory by the counter with a hint" in left.stdout
    assert rory.json("inbox") == []
    [place] = rory.json("places")
    assert place["name"] == "The counter" and place["waiting"] is True

    visited = rory.run("visit", "the counter")

    assert visited.returncode == 0, visited.stderr
    assert "At The counter: 1 note for you." in visited.stdout
    assert "Under the cup." in visited.stdout
    assert [sent["state"] for sent in jess.json("sent")] == ["sent"]


def test_a_blind_sealed_letter_waits_unseen(two_terminals):
    _, people, jess, rory = two_terminals

    sealed = jess.run("write", "rory", "--seal", "--blind", WORDS="I never sent mine either.")

    assert sealed.returncode == 0, sealed.stderr
    assert "Sealed for Rory" in sealed.stdout
    assert jess.json("sent") == []  # the sent box holds sent letters; sealed ones wait apart
    [letter] = people.jess.client.get("/letters", params={"box": "sealed"}).json()["items"]
    assert letter["state"] == "sealed" and letter["blind"] is True
    assert rory.json("inbox") == []


def test_glances_that_meet_become_a_moment(two_terminals):
    _, _, jess, rory = two_terminals

    first = jess.run("glance", "rory")
    second = rory.run("glance", "jess", "--json")

    assert first.returncode == 0 and "will know only if" in first.stdout
    assert second.returncode == 0, second.stderr
    assert '"mutual": true' in second.stdout
    [moment] = jess.json("moments")
    assert moment["kind"] == "glance" and moment["with"]["display_name"] == "Rory"


def test_an_unknown_name_lists_who_there_is(two_terminals):
    _, _, jess, _ = two_terminals

    result = jess.run("write", "olive", WORDS="Hello")

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "dear: error: no housemate is called 'olive'; there are: Rory (rory)"
    )


def test_an_ambiguous_name_lists_the_choices(two_terminals, dear_server_factory):
    server, people, jess, _ = two_terminals
    code = people.jess.client.post(f"/homes/{people.home}/invites").json()["code"]
    httpx.post(
        server.url("/api/v1/signup"),
        json={"username": "rosa", "password": PASSWORD, "display_name": "Rosa", "invite": code},
    ).raise_for_status()

    result = jess.run("write", "ro", "--send", WORDS="Which of you?")

    assert result.returncode == 1
    assert "'ro' could be any of: Rory (rory), Rosa (rosa); say which" in result.stderr
    assert jess.json("drafts") == []


def test_two_choices_at_once_are_a_usage_error(two_terminals):
    _, _, jess, _ = two_terminals

    result = jess.run("write", "rory", "--send", "--keep", WORDS="Hello")

    assert result.returncode == 2
    assert "choose one of --send and --keep" in result.stderr


def test_search_uses_the_kept_login(two_terminals):
    _, people, jess, rory = two_terminals
    people.write(people.jess, people.rory, "The zeppelin flew over the house.")

    result = rory.run("search", "zeppelin")

    assert result.returncode == 0, result.stderr
    assert "From Jess" in result.stdout
