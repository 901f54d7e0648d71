"""Rules 6 and 7: nothing written is lost; stale saves are refused but kept."""

import threading

import pytest
from django.db import connection

from dear.letters import services
from dear.letters.models import Letter, Revision
from dear.lib.errors import Invalid, StaleRevision, TooLarge
from tests.helpers import make_letter


def test_every_save_that_changes_text_is_a_revision(home, jess, rory):
    letter = make_letter(jess, rory, body="")
    saved = services.save_letter(jess, letter.pk, revision=1, body="Dear heart")
    assert saved.revision == 2
    again = services.save_letter(jess, letter.pk, revision=2, body="Dear heart")
    assert again.revision == 2  # nothing changed, nothing new to keep
    assert [r.body for r in letter.revisions.all()] == ["", "Dear heart"]


def test_crumple_empties_the_page_and_keeps_the_old_one(home, jess, rory):
    letter = make_letter(jess, rory, body="I never know how to start")
    crumpled = services.crumple(jess, letter.pk)
    assert crumpled.body == ""
    assert crumpled.salutation == "Dear Rory,"
    old = Revision.objects.get(letter=letter, number=1)
    assert old.crumpled and old.body == "I never know how to start"


def test_restoring_a_revision_adds_a_new_one_and_loses_nothing(home, jess, rory):
    letter = make_letter(jess, rory, body="first")
    services.save_letter(jess, letter.pk, revision=1, body="second")
    restored = services.restore_revision(jess, letter.pk, 1)
    assert restored.body == "first"
    assert [r.body for r in letter.revisions.all()] == ["first", "second", "first"]


def test_a_save_against_a_stale_revision_is_refused_and_its_text_kept(home, jess, rory):
    letter = make_letter(jess, rory, body="from the laptop")
    services.save_letter(jess, letter.pk, revision=1, body="laptop, later")
    with pytest.raises(StaleRevision) as refused:
        services.save_letter(jess, letter.pk, revision=1, body="from the phone")
    current = Letter.objects.get(pk=letter.pk)
    assert current.body == "laptop, later"
    kept = Revision.objects.get(letter=letter, number=refused.value.kept_as)
    assert kept.body == "from the phone" and kept.conflict


def test_a_retried_save_that_already_landed_is_not_a_conflict(home, jess, rory):
    letter = make_letter(jess, rory, body="")
    services.save_letter(jess, letter.pk, revision=1, body="sent twice by a flaky network")
    again = services.save_letter(jess, letter.pk, revision=1, body="sent twice by a flaky network")
    assert again.revision == 2
    assert letter.revisions.count() == 2


def test_a_stale_save_with_a_bad_recipient_still_keeps_its_text(home, jess, rory, olive):
    letter = make_letter(jess, rory, body="one")
    services.save_letter(jess, letter.pk, revision=1, body="two")
    with pytest.raises(StaleRevision) as refused:
        services.save_letter(jess, letter.pk, revision=1, body="three", to=[olive.pk])
    assert letter.revisions.get(number=refused.value.kept_as).body == "three"


def test_line_endings_are_stored_alike_whatever_the_face(home, jess, rory):
    letter = make_letter(jess, rory, body="a\r\nb")
    assert letter.body == "a\nb"
    saved = services.save_letter(jess, letter.pk, revision=1, body="a\r\nb\rc")
    assert saved.body == "a\nb\nc"


def test_a_nul_character_is_refused_before_anything_is_stored(home, jess, rory):
    letter = make_letter(jess, rory, body="fine")
    with pytest.raises(Invalid):
        services.save_letter(jess, letter.pk, revision=1, body="not\x00fine")
    assert letter.revisions.count() == 1


def test_a_body_over_the_limit_is_refused_and_nothing_is_stored(home, jess, rory, settings):
    letter = make_letter(jess, rory, body="short")
    with pytest.raises(TooLarge) as refused:
        services.save_letter(
            jess, letter.pk, revision=1, body="x" * (settings.LETTER_BODY_LIMIT + 1)
        )
    assert "100,000" in refused.value.message
    assert Letter.objects.get(pk=letter.pk).body == "short"
    assert letter.revisions.count() == 1


def test_a_body_of_exactly_the_limit_is_saved(home, jess, rory, settings):
    letter = make_letter(jess, rory, body="")
    saved = services.save_letter(jess, letter.pk, revision=1, body="é" * settings.LETTER_BODY_LIMIT)
    assert len(saved.body) == settings.LETTER_BODY_LIMIT


def test_emptying_the_basket_deletes_only_what_is_in_it(home, jess, rory):
    keep = make_letter(jess, rory, body="keep me")
    toss = make_letter(jess, rory, body="toss me")
    services.discard(jess, toss.pk)
    services.empty_basket(jess)
    assert list(Letter.objects.filter(writer=jess)) == [keep]


@pytest.mark.django_db(transaction=True)
def test_two_devices_saving_at_once_lose_no_update(jess, rory, sam):
    from tests.helpers import make_home

    make_home("The flat", jess, rory, sam)
    letter = make_letter(jess, rory, body="start")
    barrier = threading.Barrier(2)
    outcomes = []

    def device(text):
        try:
            barrier.wait()
            services.save_letter(jess, letter.pk, revision=1, body=text)
            outcomes.append("saved")
        except StaleRevision:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=device, args=(t,)) for t in ("laptop", "phone")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
    bodies = set(Revision.objects.filter(letter=letter).values_list("body", flat=True))
    assert {"laptop", "phone"} <= bodies
