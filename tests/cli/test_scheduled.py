"""`dear write --arrives WHEN` / `--morning`, `dear scheduled` and `dear withdraw`, with the
installed `dear` against a real server."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest


@pytest.fixture
def lisbon(two_terminals):
    """Jess and Rory at their terminals, Rory on Lisbon's clock."""
    _, people, jess, rory = two_terminals
    assert people.rory.client.patch("/me", json={"time_zone": "Europe/Lisbon"}).status_code == 200
    return people, jess, rory


def test_a_letter_sent_to_arrive_on_their_clock_waits_on_its_way_until_withdrawn(lisbon):
    _, jess, rory = lisbon

    written = jess.run("write", "rory", "--send", "--arrives", "2030-06-01 08:30", WORDS="Soon.")

    assert written.returncode == 0, written.stderr
    assert written.stdout.startswith("Sent to Rory; it arrives ")
    [letter] = jess.json("scheduled")
    assert letter["deliver_at"] == "2030-06-01T07:30:00Z"  # 08:30 in Lisbon, in summer
    assert rory.json("inbox") == []
    listed = jess.run("scheduled")
    assert letter["id"] in listed.stdout and "Soon." in listed.stdout

    withdrawn = jess.run("withdraw", letter["id"])

    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "Withdrawn: it waits in your drawer, unsent." in withdrawn.stdout
    assert jess.json("scheduled") == []
    assert [kept["id"] for kept in jess.json("drawer")] == [letter["id"]]
    assert "Nothing on its way" in jess.run("scheduled").stdout


def test_morning_arrives_at_eight_on_their_clock_and_choices_of_time_do_not_mix(lisbon):
    _, jess, _ = lisbon

    morning = jess.run("write", "rory", "--morning", WORDS="Good morning.")

    assert morning.returncode == 0, morning.stderr
    [letter] = jess.json("scheduled")
    arrives = datetime.fromisoformat(letter["deliver_at"].replace("Z", "+00:00"))
    assert arrives > datetime.now(UTC)
    assert f"{arrives.astimezone(ZoneInfo('Europe/Lisbon')):%H:%M}" == "08:00"

    both = jess.run("write", "rory", "--arrives", "2030-06-01 08:30", "--morning", WORDS="x")
    assert both.returncode == 2
    assert "choose one of --arrives and --morning" in both.stderr
    zoned = jess.run("write", "rory", "--arrives", "2030-06-01T08:30+01:00", WORDS="x")
    assert zoned.returncode == 2
    assert "--arrives takes a date and time on their clock" in zoned.stderr
    kept = jess.run("write", "rory", "--keep", "--morning", WORDS="x")
    assert kept.returncode == 2
    assert "--morning goes with --send or --at" in kept.stderr
    assert len(jess.json("scheduled")) == 1


def test_a_found_note_cannot_be_withdrawn_and_says_so_in_one_line(two_terminals):
    _, people, jess, rory = two_terminals
    people.jess.client.post(f"/homes/{people.home}/places", json={"name": "The counter"})
    assert jess.run("write", "rory", "--at", "counter", WORDS="Under the cup.").returncode == 0
    assert rory.run("visit", "the counter").returncode == 0
    [note] = jess.json("sent")

    refused = jess.run("withdraw", note["id"])

    assert refused.returncode == 1
    assert refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert line.startswith("dear: error: ") and "cannot be withdrawn" in line
    assert [(sent["state"], sent["place"]) for sent in jess.json("sent")] == [
        ("sent", note["place"])
    ]
