"""Deleting an account: what goes, what stays with the people it was written to.

Everything the person kept for themselves goes: drafts, the drawer, the basket, letters
still on their way or sealed and unopened, every revision and crumpled page, their
tokens, memberships and settings. A letter that already reached someone belongs to its
reader too, so it stays with them, its words as they were, shown as from a former member:
an account with that name and no way in. The letters others wrote to the person stay
with their writers, addressed to that former member.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from dear.accounts import services as accounts
from dear.accounts.models import Person
from dear.archive import imports, index
from dear.letters.models import Delivery, Letter, Revision, State
from dear.letters.rules import ARRIVED

FORMER_MEMBER = "A former member"


@dataclass
class Farewell:
    """What deleting an account would do, counted, for the page that asks twice."""

    drafts: int
    drawer: int
    basket: int
    waiting: int  # sent but not yet delivered, or sealed and not yet opened
    revisions: int
    stay_with_readers: int
    received: int

    @property
    def goes(self) -> int:
        return self.drafts + self.drawer + self.basket + self.waiting


def _delivered(person, now):
    """Letters ``person`` wrote that have reached at least one reader."""
    reached = Delivery.objects.filter(letter=OuterRef("pk"), delivered_at__lte=now)
    return Letter.objects.filter(writer=person).filter(ARRIVED, Exists(reached))


def farewell(person, now=None) -> Farewell:
    now = now or timezone.now()
    mine = Letter.objects.filter(writer=person)
    staying = _delivered(person, now)
    waiting = mine.filter(state__in=(State.SENT, State.SEALED)).exclude(pk__in=staying.values("pk"))
    return Farewell(
        drafts=mine.filter(state=State.DRAFT).count(),
        drawer=mine.filter(state=State.KEPT).count(),
        basket=mine.filter(state=State.DISCARDED).count(),
        waiting=waiting.count(),
        revisions=Revision.objects.filter(letter__in=mine).count(),
        stay_with_readers=staying.count(),
        received=Letter.objects.received_by(person, now).count(),
    )


def delete_account(person: Person, password: str, now=None) -> Farewell:
    """Delete ``person`` for good, once their password confirms it is them asking."""
    accounts.check_password_again(
        person, password, wrong="That password is not right. Nothing was deleted."
    )
    now = now or timezone.now()
    with transaction.atomic():
        imports.take_back(person)
        told = farewell(person, now)
        former = Person(
            username=f"former-{uuid.uuid4().hex[:20]}",
            display_name=FORMER_MEMBER,
            is_active=False,
        )
        former.set_unusable_password()
        former.save()
        staying = list(_delivered(person, now).values_list("pk", flat=True))
        received = list(
            Delivery.objects.filter(recipient=person).values_list("letter_id", flat=True)
        )
        Revision.objects.filter(letter_id__in=staying).delete()
        Letter.objects.filter(pk__in=staying).update(writer=former)
        Delivery.objects.filter(recipient=person).update(recipient=former)
        # Everything else they wrote goes, with its revisions, receipts and index entry.
        Letter.objects.filter(writer=person).delete()
        person.delete()
        index.update_many(Letter.objects.filter(pk__in=[*staying, *received]))
    return told
