"""Where a letter goes: drawer, basket, sent, sealed, withdrawn, read (rules 1, 3, 5)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dear.archive import index as search_index
from dear.homes.access import members_of
from dear.homes.models import Membership
from dear.letters import notes, rules
from dear.letters.access import letter_for_writer, seen_letter
from dear.letters.models import UNSENT, Delivery, Letter, State
from dear.letters.services import scheduling
from dear.lib.errors import Conflict, Invalid
from dear.mutual.locks import lock_pair
from dear.notify import services as notify

MAX_AHEAD = timedelta(days=3653)  # ten years, leap days included
LEFT_THE_HOME = "You have left this letter's home, so it can no longer be sent or sealed."


def _move(writer, letter_id, *, allowed, to_state, doing: str) -> Letter:
    with transaction.atomic():
        letter = letter_for_writer(writer, letter_id, for_update=True)
        if letter.state not in allowed:
            raise Conflict(f"A {letter.state} letter cannot be {doing}.")
        if to_state == State.DISCARDED:
            letter.state_before_discard = letter.state
        letter.state = to_state
        letter.updated_at = timezone.now()
        letter.save(update_fields=["state", "state_before_discard", "updated_at"])
        return letter


def keep(writer, letter_id) -> Letter:
    return _move(writer, letter_id, allowed=(State.DRAFT,), to_state=State.KEPT, doing="kept")


def discard(writer, letter_id) -> Letter:
    return _move(writer, letter_id, allowed=UNSENT, to_state=State.DISCARDED, doing="discarded")


@transaction.atomic
def restore(writer, letter_id) -> Letter:
    letter = letter_for_writer(writer, letter_id, for_update=True)
    if letter.state != State.DISCARDED:
        raise Conflict(f"Only a letter in the basket can be restored; this one is {letter.state}.")
    letter.state = letter.state_before_discard or State.DRAFT
    letter.state_before_discard = ""
    letter.updated_at = timezone.now()
    letter.save(update_fields=["state", "state_before_discard", "updated_at"])
    return letter


@transaction.atomic
def empty_basket(writer) -> int:
    """Delete, for good, what the writer put in the basket. The only way words are lost."""
    # delete() counts the revisions and deliveries it cascades to; the answer is letters.
    _, by_model = Letter.objects.filter(writer=writer, state=State.DISCARDED).delete()
    return by_model.get(Letter._meta.label, 0)


@transaction.atomic
def send(
    writer,
    letter_id,
    *,
    deliver_at=None,
    arrives_on=None,
    morning: bool = False,
    place=None,
    hint: bool = False,
) -> Letter:
    """Send a letter; with ``place``, leave it there as a note (see ``notes.py``).

    It arrives after the undo window, at ``deliver_at`` (an instant), at ``arrives_on`` (a
    wall-clock time on its recipients' clock) or, with ``morning``, at their next 08:00
    (see ``scheduling.py``)."""
    # The membership rows of the writer and readers first, then the letter's: the order a
    # leave takes them in (homes.services.leave_home), so the two never deadlock and one
    # waits for the other. A send that checked the members before a leave committed
    # would otherwise still go out, to or from someone who has left, after the leave
    # looked for letters on their way and found this one unsent.
    seen = letter_for_writer(writer, letter_id)
    readers = _reader_ids(seen)
    current = _lock_current_members(seen.home_id, {writer.pk, *readers})
    letter = letter_for_writer(writer, letter_id, for_update=True)
    if letter.state not in UNSENT:
        raise Conflict(f"A {letter.state} letter cannot be sent.")
    if not letter.body.strip():
        raise Invalid("Write something before you send it.")
    if _reader_ids(letter) != readers:
        raise Conflict("This letter changed a moment ago. Try again.")
    if writer.pk not in current:
        raise Invalid(LEFT_THE_HOME)
    if not readers or readers - current:
        raise Invalid("Everyone a letter is to must still be a member of its home.")
    now = timezone.now()
    undo = now + timedelta(seconds=settings.SEND_UNDO_SECONDS)
    if sum((deliver_at is not None, arrives_on is not None, bool(morning))) > 1:
        raise Invalid("Say when it arrives one way only: deliver_at, arrives_on or morning.")
    on_a_clock = arrives_on is not None or bool(morning)
    if on_a_clock:
        deliver_at = scheduling.arrival(writer, letter, morning=morning, local=arrives_on, now=now)
    if deliver_at is None:
        deliver_at = undo
    elif timezone.is_naive(deliver_at):
        raise Invalid("Give the delivery time with its time zone.")
    elif deliver_at <= now:
        raise Invalid("Choose a delivery time in the future.")
    elif deliver_at > now + MAX_AHEAD:
        raise Invalid("A letter can wait at most ten years.")
    if on_a_clock:
        # "In the morning" at 07:59:50 is ten seconds away: it still waits the undo
        # window, like a letter sent now, so its writer has the same chance to take it back.
        deliver_at = max(deliver_at, undo)
    if hint and place is None:
        raise Invalid("A hint goes with a place: choose where to leave the note.")
    letter.place = notes.place_for_note(writer, letter, place) if place is not None else None
    letter.hint = bool(hint)
    letter.state = State.SENT
    letter.sent_at = now
    letter.deliver_at = deliver_at
    letter.updated_at = now
    # The deliveries before the save: the save's own index update (archive.index) reads
    # them to name who may read the letter, and from when.
    letter.deliveries.update(delivered_at=deliver_at, found_at=None, read_at=None)
    letter.save(update_fields=["state", "sent_at", "deliver_at", "updated_at", "place", "hint"])
    notify.letter_sent(letter)
    return letter


def _reader_ids(letter: Letter) -> frozenset:
    return frozenset(letter.deliveries.values_list("recipient_id", flat=True))


def _lock_current_members(home_id, person_ids) -> frozenset:
    """Of ``person_ids``, those still members of the home, their membership rows locked
    (in pk order, one order for everyone) until the transaction ends. PostgreSQL re-checks
    ``left_at`` on a row it waited for, so a leave that committed meanwhile counts."""
    rows = (
        Membership.objects.select_for_update()
        .current()
        .filter(home_id=home_id, person_id__in=person_ids)
        .order_by("pk")
        .values_list("person_id", flat=True)
    )
    return frozenset(rows)


def sole_recipient(letter: Letter):
    """The one person a letter to be sealed is for: sealing pairs two people, not more."""
    people = letter.recipients
    if len(people) != 1:
        raise Invalid("A sealed letter is to one person; this one is to several.")
    return people[0]


def seal(writer, letter_id, recipient, *, blind: bool, now) -> Letter:
    """Seal an unsent letter to ``recipient``. Call only from ``dear.mutual.services.seal``,
    inside its transaction and holding the pair lock: it is what pairs letters up."""
    letter = letter_for_writer(writer, letter_id, for_update=True)
    if letter.state not in UNSENT:
        raise Conflict(f"A {letter.state} letter cannot be sealed.")
    if sole_recipient(letter).pk != recipient.pk:
        raise Conflict("This letter changed while it was being sealed. Try again.")
    if not letter.body.strip():
        raise Invalid("Write something before you seal it.")
    # Checked under the pair lock: a leave (homes.services.leave_home) holds it too, so
    # a letter is never sealed to or from someone who has just left.
    current = set(members_of(letter.home).values_list("pk", flat=True))
    if writer.pk not in current:
        raise Invalid(LEFT_THE_HOME)
    if recipient.pk not in current:
        raise Invalid("Everyone a letter is to must still be a member of its home.")
    letter.state = State.SEALED
    letter.blind = blind
    letter.sent_at = now
    letter.deliver_at = None
    letter.updated_at = now
    letter.save(update_fields=["state", "blind", "sent_at", "deliver_at", "updated_at"])
    letter.deliveries.update(delivered_at=None, found_at=None, read_at=None)
    return letter


def open_sealed(letter_ids, now) -> None:
    """Open sealed letters together: each reaches its reader now, and is paper from now on."""
    Letter.objects.filter(pk__in=letter_ids, state=State.SEALED).update(
        opened_at=now, deliver_at=now, updated_at=now
    )
    Delivery.objects.filter(letter__in=letter_ids).update(delivered_at=now)
    search_index.refresh(letter_ids)


@transaction.atomic
def withdraw(writer, letter_id) -> Letter:
    """Take back a letter not yet delivered, or a sealed one not yet opened: it goes to the
    drawer (rule 5)."""
    letter = letter_for_writer(writer, letter_id)
    locked = None
    if letter.state == State.SEALED:
        # The pair lock before the row lock, as sealing takes them: a withdrawal and the
        # other person's seal are one after the other, so a letter never opens half-taken.
        locked = sole_recipient(letter)
        lock_pair(writer, locked)
    letter = letter_for_writer(writer, letter_id, for_update=True)
    if letter.state == State.SEALED:
        if locked is None or sole_recipient(letter).pk != locked.pk:
            raise Conflict("This letter changed a moment ago. Try again.")
        if letter.opened_at is not None:
            raise Conflict("This sealed letter has opened; it cannot be withdrawn.")
        return to_drawer(letter, timezone.now())
    if letter.state != State.SENT:
        raise Conflict(
            f"Only a sent or sealed letter can be withdrawn; this one is {letter.state}."
        )
    if not rules.may_withdraw(letter.state, letter.deliver_at, letter.opened_at, timezone.now()):
        raise Conflict("This letter has already been delivered; it cannot be withdrawn.")
    return to_drawer(letter, timezone.now())


def to_drawer(letter: Letter, now) -> Letter:
    """What "back to the drawer" means for a sent or sealed letter that reached nobody:
    kept, unsent, every delivery as if it had never been sent. The words stay as they
    were. Call holding the letter's row lock and, for a sealed one, its pair lock."""
    letter.state = State.KEPT
    letter.blind = False
    letter.sent_at = None
    letter.deliver_at = None
    letter.updated_at = now
    letter.save(update_fields=["state", "blind", "sent_at", "deliver_at", "updated_at"])
    letter.deliveries.update(delivered_at=None, found_at=None, read_at=None)
    notify.letter_withdrawn(letter)
    return letter


def mark_read(person, letter_id):
    """Opening a letter marks it read for its reader; the writer opening it changes nothing.
    Answers the letter as ``person`` now sees it (``seen.py``)."""
    shown = seen_letter(person, letter_id)
    if not shown.mine and not shown.stub and shown.read_at is None:
        now = timezone.now()
        Delivery.objects.filter(letter_id=shown.id, recipient=person, read_at__isnull=True).update(
            read_at=now
        )
        shown.read_at = now
    return shown
