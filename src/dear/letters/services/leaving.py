"""Leaving a home, for the letters: what was still on its way between the one who leaves
and the others there goes back to its writer's drawer; what already arrived stays.

``return_letters`` runs inside ``dear.homes.services.leave_home``'s transaction, which
holds the pair lock of the leaver with everyone in ``counterparts``: sealing takes the
same lock, so a leave and a seal-back happen one after the other and never open half a
pair (rule 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from dear.homes.access import members_of
from dear.letters import rules
from dear.letters.models import Delivery, Letter, State
from dear.letters.services.lifecycle import to_drawer


@dataclass
class Returned:
    """What went back to a drawer when someone left a home."""

    mine: list = field(default_factory=list)  # the leaver's own letters, in their drawer
    theirs: list = field(default_factory=list)  # letters to the leaver, in their writers'


def _sealed_between(person, home):
    """Sealed letters in ``home`` to or from ``person`` that have not opened."""
    addressed = Delivery.objects.filter(letter=OuterRef("pk"), recipient=person)
    return Letter.objects.filter(
        Q(writer=person) | Q(Exists(addressed)),
        home=home,
        state=State.SEALED,
        opened_at__isnull=True,
    )


def counterparts(person, home) -> list:
    """Everyone whose pair lock with ``person`` a leave of ``home`` takes: the other
    members (glances, seals), and anyone a sealed letter still waits between."""
    from dear.accounts.models import Person

    waiting = _sealed_between(person, home)
    readers = Delivery.objects.filter(letter__in=waiting.filter(writer=person))
    ids = {
        *members_of(home).exclude(pk=person.pk).values_list("pk", flat=True),
        *waiting.exclude(writer=person).values_list("writer_id", flat=True),
        *readers.values_list("recipient_id", flat=True),
    }
    return list(Person.objects.filter(pk__in=ids).only("pk"))


def _on_its_way(letter: Letter, deliveries: list, leaver, now) -> bool:
    """Whether a sent or sealed letter between ``leaver`` and someone else has reached
    nobody yet, as far as its writer may know."""
    if rules.may_withdraw(letter.state, letter.deliver_at, letter.opened_at, now):
        return True
    if letter.state == State.SEALED:
        return False
    if letter.place_id is None:
        return False  # delivered: it belongs to its readers now
    # A note already left: back only while its writer could move it themselves
    # (rules.may_move_note), else coming back would tell them what receipts hide. For
    # the leaver's own delivery only the finding counts: they are leaving, and the page
    # that asks says what happens to notes left for them.
    theirs = [d for d in deliveries if d.recipient_id == leaver.pk]
    others = [d for d in deliveries if d.recipient_id != leaver.pk]
    return all(d.found_at is None for d in theirs) and rules.may_move_note(
        letter.writer, others, now
    )


def return_letters(person, home, now) -> Returned:
    """Send back to their writers' drawers the letters between ``person`` and the others
    in ``home`` that have not arrived: scheduled ones (a letter for several people too),
    notes nobody has found, and sealed letters that have not opened, both ways."""
    addressed = Delivery.objects.filter(letter=OuterRef("pk"), recipient=person)
    not_arrived = (
        Q(state=State.SEALED, opened_at__isnull=True)
        | Q(state=State.SENT, deliver_at__gt=now)
        | Q(state=State.SENT, place__isnull=False)
    )
    candidates = list(
        Letter.objects.filter(Q(writer=person) | Q(Exists(addressed)), not_arrived, home=home)
        .select_related("writer")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not candidates:
        return Returned()
    # Locked too: someone opening a place right now either finds a note before it goes
    # back (and it stays), or finds nothing.
    deliveries: dict = {}
    for delivery in (
        Delivery.objects.filter(letter__in=[letter.pk for letter in candidates])
        .select_related("recipient")
        .select_for_update(of=("self",))
        .order_by("pk")
    ):
        deliveries.setdefault(delivery.letter_id, []).append(delivery)
    returned = Returned()
    notes = []
    for letter in candidates:
        if not _on_its_way(letter, deliveries.get(letter.pk, []), person, now):
            continue
        if letter.place_id is not None:
            notes.append(letter.pk)
        to_drawer(letter, now)
        (returned.mine if letter.writer_id == person.pk else returned.theirs).append(letter.pk)
    # Picked up from its place, as take_back does: a note in the drawer is nowhere.
    Letter.objects.filter(pk__in=notes).update(place=None, hint=False)
    return returned
