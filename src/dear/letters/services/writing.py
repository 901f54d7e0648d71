"""Writing a letter: the page, every save kept as a revision (rules 6 and 7)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dear.homes.access import home_for_member, members_of
from dear.letters.access import letter_for_reader, letter_for_writer
from dear.letters.models import UNSENT, Delivery, Letter, Revision
from dear.lib import words
from dear.lib.errors import Conflict, Invalid, StaleRevision, TooLarge

TEXT_FIELDS = ("salutation", "body", "closing")
LINE_LIMIT = 200


def salutation_for(people) -> str:
    return f"Dear {words.together([person.display_name for person in people])},"


def _lines(text: str | None) -> str | None:
    """One line ending, whichever face the text came through."""
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def check_text(salutation: str | None, body: str | None, closing: str | None) -> None:
    if any("\x00" in value for value in (salutation, body, closing) if value is not None):
        raise Invalid("A letter cannot hold the NUL character.")
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
    salutation, body, closing = _lines(salutation), _lines(body or ""), _lines(closing)
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
    """Save a page. A save that cannot land — against a stale revision, or on a letter sent
    or discarded from another device meanwhile — keeps its text as a revision of its own
    and raises StaleRevision (409); the letter itself does not change (rules 5, 6, 7)."""
    salutation, body, closing = (_lines(value) for value in (salutation, body, closing))
    check_text(salutation, body, closing)
    stale = None
    with transaction.atomic():
        letter = letter_for_writer(writer, letter_id, for_update=True)
        incoming = {"salutation": salutation, "body": body, "closing": closing}
        page = {f: getattr(letter, f) if incoming[f] is None else incoming[f] for f in TEXT_FIELDS}
        unchanged = all(page[f] == getattr(letter, f) for f in TEXT_FIELDS)
        now = timezone.now()
        if letter.state not in UNSENT or revision != letter.revision:
            if unchanged and letter.state in UNSENT and to is None:
                # A retry of a save that already landed: nothing is lost, nothing to keep.
                return letter_for_writer(writer, letter.pk)
            if unchanged:
                raise Conflict(f"A {letter.state} letter cannot be edited.")
            last = letter.revisions.order_by("-number").values_list("number", flat=True).first()
            kept = Revision.objects.create(
                letter=letter, number=(last or 0) + 1, saved_at=now, conflict=True, **page
            )
            stale = (letter, kept.number)
        else:
            people = _recipients(writer, letter.home, to) if to is not None else None
            if people is not None:
                _set_recipients(letter, people)
            if not unchanged:
                for field in TEXT_FIELDS:
                    setattr(letter, field, page[field])
                letter.revision = _add_revision(letter, now).number
                letter.updated_at = now
                letter.save(update_fields=[*TEXT_FIELDS, "revision", "updated_at"])
    if stale:
        # Raised outside the transaction so the kept text is committed, not rolled back.
        current, kept_as = stale
        why = (
            f"This letter changed elsewhere (now revision {current.revision})."
            if current.state in UNSENT
            else f"This letter is {current.state} now and cannot change."
        )
        raise StaleRevision(
            f"{why} Your text was kept as revision {kept_as}.",
            current_revision=current.revision,
            kept_as=kept_as,
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
