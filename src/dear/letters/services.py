"""The life of a letter: write, save, crumple, keep, discard, restore, send, withdraw, read.

The only code that changes letters. Rules 1, 5, 6 and 7 of DESIGN.md live here; what a
person may see is decided in ``access.py`` and ``Letter.objects.visible_to``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dear.homes.access import home_for_member, members_of
from dear.letters.access import letter_for_reader, letter_for_writer
from dear.letters.models import UNSENT, Delivery, Letter, Revision, State
from dear.lib.errors import Conflict, Invalid, StaleRevision, TooLarge

TEXT_FIELDS = ("salutation", "body", "closing")
LINE_LIMIT = 200
MAX_AHEAD = timedelta(days=3653)


def salutation_for(people) -> str:
    names = [person.display_name for person in people]
    if len(names) <= 1:
        return f"Dear {''.join(names)},"
    return f"Dear {', '.join(names[:-1])} and {names[-1]},"


def check_text(salutation: str | None, body: str | None, closing: str | None) -> None:
    if body is not None and len(body) > settings.LETTER_BODY_LIMIT:
        raise TooLarge(
            f"A letter holds at most {settings.LETTER_BODY_LIMIT:,} characters; "
            f"this one has {len(body):,}. Nothing was saved."
        )
    for label, value in (("salutation", salutation), ("closing", closing)):
        if value is not None and len(value) > LINE_LIMIT:
            raise Invalid(f"The {label} holds at most {LINE_LIMIT} characters.")


def _recipients(writer, home, to_ids) -> list:
    ids = {str(value) for value in (to_ids or [])}
    if not ids:
        raise Invalid("Choose who the letter is to.")
    if str(writer.pk) in ids:
        raise Invalid("A letter goes to someone else in your home, not to yourself.")
    people = [person for person in members_of(home) if str(person.pk) in ids]
    if len(people) != len(ids):
        raise Invalid("Everyone a letter is to must be a member of its home.")
    return people


def _set_recipients(letter: Letter, people) -> None:
    wanted = {person.pk for person in people}
    letter.deliveries.exclude(recipient__in=wanted).delete()
    have = set(letter.deliveries.values_list("recipient_id", flat=True))
    Delivery.objects.bulk_create(
        [Delivery(letter=letter, recipient=person) for person in people if person.pk not in have]
    )


def _add_revision(letter: Letter, now, **flags) -> Revision:
    last = letter.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        letter=letter,
        number=last + 1,
        salutation=letter.salutation,
        body=letter.body,
        closing=letter.closing,
        saved_at=now,
        **flags,
    )


def _require_unsent(letter: Letter, doing: str) -> None:
    if letter.state not in UNSENT:
        raise Conflict(f"A {letter.state} letter cannot be {doing}.")


@transaction.atomic
def create_letter(
    writer,
    *,
    home,
    to,
    salutation: str | None = None,
    body: str = "",
    closing: str | None = None,
    in_reply_to=None,
) -> Letter:
    home = home_for_member(writer, home)
    people = _recipients(writer, home, to)
    original = None
    if in_reply_to:
        original = letter_for_reader(writer, in_reply_to)
        if original.home_id != home.pk:
            raise Invalid("A reply belongs to the same home as the letter it answers.")
    if salutation is None:
        salutation = salutation_for(people)
    if closing is None:
        closing = writer.display_name
    body = body or ""
    check_text(salutation, body, closing)
    now = timezone.now()
    letter = Letter.objects.create(
        home=home,
        writer=writer,
        salutation=salutation,
        body=body,
        closing=closing,
        in_reply_to=original,
        written_at=now,
        updated_at=now,
        revision=1,
    )
    _set_recipients(letter, people)
    _add_revision(letter, now)
    return letter


def save_letter(
    writer,
    letter_id,
    *,
    revision: int,
    salutation: str | None = None,
    body: str | None = None,
    closing: str | None = None,
    to=None,
) -> Letter:
    """Save a page. Against a stale revision the text is kept as a revision of its own and
    StaleRevision (409) is raised; nothing else changes (rule 7)."""
    check_text(salutation, body, closing)
    stale = None
    with transaction.atomic():
        letter = letter_for_writer(writer, letter_id, for_update=True)
        _require_unsent(letter, "edited")
        people = _recipients(writer, letter.home, to) if to is not None else None
        incoming = {"salutation": salutation, "body": body, "closing": closing}
        now = timezone.now()
        if revision != letter.revision:
            page = {
                f: incoming[f] if incoming[f] is not None else getattr(letter, f)
                for f in TEXT_FIELDS
            }
            last = letter.revisions.order_by("-number").values_list("number", flat=True).first()
            kept = Revision.objects.create(
                letter=letter, number=(last or 0) + 1, saved_at=now, conflict=True, **page
            )
            stale = (letter.revision, kept.number)
        else:
            changed = False
            for field in TEXT_FIELDS:
                if incoming[field] is not None and incoming[field] != getattr(letter, field):
                    setattr(letter, field, incoming[field])
                    changed = True
            if people is not None:
                _set_recipients(letter, people)
            if changed:
                letter.revision = _add_revision(letter, now).number
                letter.updated_at = now
                letter.save(update_fields=[*TEXT_FIELDS, "revision", "updated_at"])
    if stale:
        # Raised outside the transaction so the kept text is committed, not rolled back.
        raise StaleRevision(
            f"This letter changed elsewhere (now revision {stale[0]}). "
            f"Your text was kept as revision {stale[1]}.",
            current_revision=stale[0],
            kept_as=stale[1],
        )
    return letter_for_writer(writer, letter.pk)


@transaction.atomic
def crumple(writer, letter_id) -> Letter:
    """Start the page over. The old page stays, marked crumpled (rule 6)."""
    letter = letter_for_writer(writer, letter_id, for_update=True)
    _require_unsent(letter, "crumpled")
    if not letter.body:
        return letter
    now = timezone.now()
    letter.revisions.filter(number=letter.revision).update(crumpled=True)
    letter.body = ""
    letter.revision = _add_revision(letter, now).number
    letter.updated_at = now
    letter.save(update_fields=["body", "revision", "updated_at"])
    return letter


@transaction.atomic
def restore_revision(writer, letter_id, number: int) -> Letter:
    """Bring back an earlier page as a new revision; nothing in between is lost."""
    letter = letter_for_writer(writer, letter_id, for_update=True)
    _require_unsent(letter, "edited")
    old = letter.revisions.filter(number=number).first()
    if old is None:
        raise Invalid(f"This letter has no revision {number}.")
    now = timezone.now()
    for field in TEXT_FIELDS:
        setattr(letter, field, getattr(old, field))
    letter.revision = _add_revision(letter, now).number
    letter.updated_at = now
    letter.save(update_fields=[*TEXT_FIELDS, "revision", "updated_at"])
    return letter


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
def send(writer, letter_id, *, deliver_at=None) -> Letter:
    letter = letter_for_writer(writer, letter_id, for_update=True)
    if letter.state not in UNSENT:
        raise Conflict(f"A {letter.state} letter cannot be sent.")
    if not letter.body.strip():
        raise Invalid("Write something before you send it.")
    people = letter.recipients
    current = {person.pk for person in members_of(letter.home)}
    if not people or any(person.pk not in current for person in people):
        raise Invalid("Everyone a letter is to must still be a member of its home.")
    now = timezone.now()
    if deliver_at is None:
        deliver_at = now + timedelta(seconds=settings.SEND_UNDO_SECONDS)
    elif timezone.is_naive(deliver_at):
        raise Invalid("Give the delivery time with its time zone.")
    elif deliver_at <= now:
        raise Invalid("Choose a delivery time in the future.")
    elif deliver_at > now + MAX_AHEAD:
        raise Invalid("A letter can wait at most ten years.")
    letter.state = State.SENT
    letter.sent_at = now
    letter.deliver_at = deliver_at
    letter.updated_at = now
    letter.save(update_fields=["state", "sent_at", "deliver_at", "updated_at"])
    letter.deliveries.update(delivered_at=deliver_at, found_at=None, read_at=None)
    return letter


@transaction.atomic
def withdraw(writer, letter_id) -> Letter:
    """Take back a letter not yet delivered: it goes to the drawer (rule 5)."""
    letter = letter_for_writer(writer, letter_id, for_update=True)
    if letter.state != State.SENT:
        raise Conflict(f"Only a sent letter can be withdrawn; this one is {letter.state}.")
    if letter.deliver_at is None or letter.deliver_at <= timezone.now():
        raise Conflict("This letter has already been delivered; it cannot be withdrawn.")
    letter.state = State.KEPT
    letter.sent_at = None
    letter.deliver_at = None
    letter.updated_at = timezone.now()
    letter.save(update_fields=["state", "sent_at", "deliver_at", "updated_at"])
    letter.deliveries.update(delivered_at=None)
    return letter


def mark_read(person, letter_id) -> Letter:
    """Opening a letter marks it read for its reader; the writer opening it changes nothing."""
    letter = letter_for_reader(person, letter_id)
    if letter.writer_id != person.pk:
        Delivery.objects.filter(letter=letter, recipient=person, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        letter = letter_for_reader(person, letter_id)
    return letter
