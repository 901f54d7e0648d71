"""The lists a person reads letters from: inbox, sent, scheduled, drafts, drawer, sealed,
basket, and the correspondence with one person. Each is one indexed query, paged by
keyset cursor, and answers the letters as the person sees them (``seen.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from dear.letters import seen
from dear.letters.models import Delivery, Letter, State
from dear.lib import cursor as cursors
from dear.lib.errors import Invalid

BOXES = ("inbox", "sent", "scheduled", "drafts", "drawer", "sealed", "basket")
PAGE_SIZE = 50


def _box(person, box: str, now):
    """(queryset, field it is ordered by, newest first?)"""
    mine = Letter.objects.filter(writer=person)
    if box == "inbox":
        return Letter.objects.received_by(person, now), "arrived_at", True
    if box == "sent":
        return mine.filter(state=State.SENT), "sent_at", True
    if box == "scheduled":
        # Sent and not arrived yet, the soonest first: what the writer can still withdraw.
        return mine.filter(state=State.SENT, deliver_at__gt=now), "deliver_at", False
    if box == "drafts":
        return mine.filter(state=State.DRAFT), "updated_at", True
    if box == "drawer":
        return mine.filter(state=State.KEPT), "updated_at", True
    if box == "sealed":
        # What I sealed, opened or not, and the told-mode letters sealed for me, which
        # the faces show as stubs. Blind ones never appear to their recipient (rule 3).
        for_me = Letter.objects.sealed_for(person).values("pk")
        return (
            Letter.objects.filter(Q(writer=person, state=State.SEALED) | Q(pk__in=for_me)),
            "sent_at",
            True,
        )
    if box == "basket":
        return mine.filter(state=State.DISCARDED), "updated_at", True
    raise Invalid(f"There is no box called {box!r}; choose one of {', '.join(BOXES)}.")


def _between(person, other, now) -> list:
    """Every letter between two people, the oldest first: what each sent the other.

    Two queries, one per writer, each walking that writer's letters in time order on
    their own index; the pages merge here. A long correspondence costs what a short one
    does, where one query over both writers would sort every letter they ever wrote.
    """
    to_them = Letter.objects.filter(
        Exists(Delivery.objects.filter(letter=OuterRef("pk"), recipient=other)),
        writer=person,
        state__in=(State.SENT, State.SEALED),
    )
    reached_me = Letter.objects.received_by(person, now).filter(pk=OuterRef("pk"))
    from_them = Letter.objects.filter(Exists(reached_me), writer=other)
    return [to_them, from_them]


def _keyset(queryset, field: str, newest_first: bool, cursor: str | None):
    if not cursor:
        return queryset
    try:
        when, ident = cursors.decode(cursor)
    except cursors.BadCursor as exc:
        raise Invalid(str(exc)) from None
    if newest_first:
        return queryset.filter(Q(**{f"{field}__lt": when}) | Q(**{field: when, "pk__lt": ident}))
    return queryset.filter(Q(**{f"{field}__gt": when}) | Q(**{field: when, "pk__gt": ident}))


def _first(queryset, field: str, newest_first: bool, count: int) -> list[dict]:
    order = [F(field).desc(), F("pk").desc()] if newest_first else [F(field).asc(), F("pk").asc()]
    extra = () if field in seen.FIELDS else (field,)
    return list(queryset.order_by(*order).values(*seen.FIELDS, *extra)[:count])


def page(
    person,
    *,
    box: str | None = None,
    with_person=None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    now=None,
    departures: bool = False,
) -> tuple[list[seen.SeenLetter], str | None]:
    """One page of a box: (letters as ``person`` sees them, cursor for the next page or
    None). With ``departures``, unsent letters say whether someone left their home."""
    now = now or timezone.now()
    if box is None and with_person is not None:
        field, newest_first = "sent_at", False
        letters = sorted(
            (
                letter
                for branch in _between(person, with_person, now)
                for letter in _first(
                    _keyset(branch, field, newest_first, cursor), field, newest_first, limit + 1
                )
            ),
            key=lambda row: (row["sent_at"], row["id"]),
        )
    else:
        queryset, field, newest_first = _box(person, box or "inbox", now)
        if with_person is not None:
            if box == "inbox":
                queryset = queryset.filter(writer=with_person)
            elif box == "sealed":
                # Mine are to them; the stubs sealed for me are from them.
                queryset = queryset.filter(
                    Q(writer=with_person) | Q(writer=person, deliveries__recipient=with_person)
                )
            else:
                queryset = queryset.filter(deliveries__recipient=with_person)
        letters = _first(
            _keyset(queryset, field, newest_first, cursor), field, newest_first, limit + 1
        )
    next_cursor = None
    if len(letters) > limit:
        letters = letters[:limit]
        last = letters[-1]
        next_cursor = cursors.encode(last[field], last["id"])
    return seen.letters(person, letters, now=now, departures=departures), next_cursor


@dataclass(frozen=True, slots=True)
class Counts:
    """How many letters each box holds for one person; ``unread`` is of the inbox's."""

    inbox: int
    unread: int
    sent: int
    scheduled: int
    drafts: int
    drawer: int
    sealed: int
    basket: int


def counts(person, *, now=None) -> Counts:
    """The size of every box of ``page`` for ``person``, in three queries whatever they
    hold: their own letters by state (one index), the letters that reached them (their
    deliveries) and the told-mode sealed letters waiting for them. A blind one is never
    counted (rule 3), as ``_box`` never lists it."""
    now = now or timezone.now()
    mine = Letter.objects.filter(writer=person).aggregate(
        sent=Count("pk", filter=Q(state=State.SENT)),
        scheduled=Count("pk", filter=Q(state=State.SENT, deliver_at__gt=now)),
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        drawer=Count("pk", filter=Q(state=State.KEPT)),
        sealed=Count("pk", filter=Q(state=State.SEALED)),
        basket=Count("pk", filter=Q(state=State.DISCARDED)),
    )
    # The aggregate reuses received_by's join, so read_at is the reader's own delivery's.
    reached = Letter.objects.received_by(person, now).aggregate(
        inbox=Count("pk"), unread=Count("pk", filter=Q(deliveries__read_at__isnull=True))
    )
    stubs = Letter.objects.sealed_for(person).count()
    return Counts(**reached, **{**mine, "sealed": mine["sealed"] + stubs})
