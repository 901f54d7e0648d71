"""Deleting an account removes what was the person's alone; what reached others stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from dear.accounts.models import ApiToken, Person
from dear.accounts.services import issue_token
from dear.archive.search import search
from dear.archive.services import FORMER_MEMBER, delete_account, farewell
from dear.homes.models import Membership
from dear.letters import services as letters
from dear.letters.access import letter_for_reader
from dear.letters.models import Letter, Revision
from dear.lib.errors import Invalid, RateLimited
from tests.helpers import PASSWORD, make_letter, send_now


@pytest.fixture
def jess_wrote(people, home):
    jess, rory = people["jess"], people["rory"]
    draft = make_letter(jess, rory, body="A draft about the sea.")
    kept = make_letter(jess, rory, body="Kept about the sea.")
    letters.keep(jess, kept.pk)
    binned = make_letter(jess, rory, body="Binned about the sea.")
    letters.discard(jess, binned.pk)
    with override_settings(SEND_UNDO_SECONDS=3600):
        waiting = letters.send(jess, make_letter(jess, rory, body="On its way, the sea.").pk)
    delivered = make_letter(jess, rory, body="Delivered: the sea at night.")
    letters.save_letter(jess, delivered.pk, revision=1, body="Delivered: the sea, at night.")
    delivered = send_now(delivered)
    to_jess = send_now(make_letter(rory, jess, body="Rory to Jess about the sea."))
    issue_token(jess, "laptop")
    return {
        "draft": draft,
        "kept": kept,
        "binned": binned,
        "waiting": waiting,
        "delivered": delivered,
        "to_jess": to_jess,
    }


def test_the_account_of_what_goes_and_stays_is_counted(jess_wrote, people):
    told = farewell(people["jess"])

    assert (told.drafts, told.drawer, told.basket, told.waiting) == (1, 1, 1, 1)
    assert told.goes == 4
    assert told.stay_with_readers == 1
    assert told.received == 1
    assert told.revisions == 6


def test_a_wrong_password_deletes_nothing(jess_wrote, people):
    with pytest.raises(Invalid):
        delete_account(people["jess"], "not it")

    assert Person.objects.filter(pk=people["jess"].pk).exists()
    assert Letter.objects.filter(writer=people["jess"]).count() == 5


def test_guessing_the_password_to_delete_an_account_is_slowed_down(jess_wrote, people, settings):
    settings.LOGIN_LIMIT = 2
    for guess in ("not it", "nor this"):
        with pytest.raises(Invalid):
            delete_account(people["jess"], guess)
    with pytest.raises(RateLimited):
        delete_account(people["jess"], PASSWORD)
    assert Person.objects.filter(pk=people["jess"].pk, is_active=True).exists()


def test_deleting_removes_her_unsent_letters_revisions_tokens_and_memberships(jess_wrote, people):
    jess = people["jess"]
    delete_account(jess, PASSWORD)

    gone = ["draft", "kept", "binned", "waiting"]
    assert not Letter.objects.filter(pk__in=[jess_wrote[name].pk for name in gone]).exists()
    assert not Person.objects.filter(pk=jess.pk).exists()
    assert not ApiToken.objects.filter(person_id=jess.pk).exists()
    assert not Membership.objects.filter(person_id=jess.pk).exists()
    assert not Revision.objects.filter(letter_id=jess_wrote["delivered"].pk).exists()


def test_a_delivered_letter_stays_with_its_reader_from_a_former_member(jess_wrote, people):
    rory = people["rory"]
    delete_account(people["jess"], PASSWORD)

    kept = letter_for_reader(rory, jess_wrote["delivered"].pk)
    assert kept.body == "Delivered: the sea, at night."
    assert kept.writer.display_name == FORMER_MEMBER
    assert not kept.writer.is_active
    assert not kept.writer.has_usable_password()
    found = {hit.letter.pk for hit in search(rory, "sea")}
    assert found == {jess_wrote["to_jess"].pk, jess_wrote["delivered"].pk}


def test_a_letter_written_to_her_stays_with_its_writer(jess_wrote, people):
    rory = people["rory"]
    delete_account(people["jess"], PASSWORD)

    mine = letter_for_reader(rory, jess_wrote["to_jess"].pk)
    assert [p.display_name for p in mine.recipients] == [FORMER_MEMBER]


def test_the_letter_still_on_its_way_never_arrives(jess_wrote, people):
    rory = people["rory"]
    delete_account(people["jess"], PASSWORD)

    later = timezone.now() + timedelta(hours=2)
    assert not Letter.objects.received_by(rory, later).filter(body__contains="On its way").exists()
