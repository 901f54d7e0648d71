"""Homes: creating one, inviting someone into it, joining it, leaving it; its places."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dear.homes.access import home_for_member, is_member, members_of, named, place_for_member
from dear.homes.models import Home, Invite, Kind, Membership, Place, label_token
from dear.letters.services import leaving
from dear.lib.errors import Gone, Invalid, NotFound
from dear.mutual.locks import lock_pair, pair_key
from dear.mutual.services import forget_glances

NAME_LIMIT = 80
# Control characters a place's name may not hold; tabs and line breaks fold into spaces.
PLACE_CONTROLS = "".join(chr(code) for code in [*range(32), 127] if not chr(code).isspace())


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("Give the home a name.")
    if len(name) > NAME_LIMIT:
        raise Invalid(f"A home's name holds at most {NAME_LIMIT} characters.")
    return name


@transaction.atomic
def create_home(person, name: str) -> Home:
    home = Home.objects.create(name=_clean_name(name))
    Membership.objects.create(home=home, person=person)
    return home


def rename_home(person, home_id, name: str) -> Home:
    home = home_for_member(person, home_id)
    home.name = _clean_name(name)
    home.save(update_fields=["name"])
    return home


def create_invite(person, home_id) -> Invite:
    home = home_for_member(person, home_id)
    now = timezone.now()
    return Invite.objects.create(
        home=home,
        created_by=person,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITE_DAYS),
    )


def usable_invite(code: str) -> Invite:
    """The invite behind ``code``: 404 if there is none, 410 if it was used or has expired."""
    invite = Invite.objects.select_related("home", "created_by").filter(code=code or "").first()
    if invite is None:
        raise NotFound("There is no such invite. Check the link you were given.")
    if not invite.is_usable():
        raise Gone("This invite has been used or has expired. Ask for a new one.")
    return invite


def accept_invite(person, code: str) -> Home:
    with transaction.atomic():
        invite = usable_invite(code)
        if is_member(person, invite.home):
            return invite.home  # already in: leave the invite for whoever it was meant for
        taken = named(members_of(invite.home), person.display_name)
        if taken:
            raise Invalid(
                f"{taken} already goes by that name in {invite.home.name}. "
                "Choose another name to sign your letters with."
            )
        # Claim the invite first: of two people racing for one link, only one gets in.
        claimed = Invite.objects.filter(pk=invite.pk, used_at__isnull=True).update(
            used_at=timezone.now(), used_by=person
        )
        if not claimed:
            raise Gone("This invite has been used or has expired. Ask for a new one.")
        try:
            with transaction.atomic():
                Membership.objects.create(home=invite.home, person=person)
        except IntegrityError:
            pass  # joined a moment ago through another invite
        return invite.home


@dataclass
class Left:
    home: Home
    back_in_drawer: int  # the leaver's own letters that were on their way, now kept


def leave_home(person, home_id) -> Left:
    """``person`` leaves a home, in one transaction. They keep the letters they wrote
    and those that reached them, and lose the home: its places, its members, writing
    there. What was on its way between them and the others goes back to its writer's
    drawer (``letters.services.leaving``); their glances there that had not met are
    dropped. The home goes on for those who stay; the last member may leave too. They
    may come back only through a new invite."""
    home = home_for_member(person, home_id)
    with transaction.atomic():
        # Every pair lock first, before any row lock, as seal and glance take theirs, and
        # in one order, so two people leaving at once cannot deadlock. Someone who joined
        # a moment ago is locked on the next turn.
        locked: set = set()
        while wanted := [o for o in leaving.counterparts(person, home) if o.pk not in locked]:
            for other in sorted(wanted, key=lambda one: pair_key(person, one)):
                lock_pair(person, other)
                locked.add(other.pk)
        # The membership row before any letter: letters.services.lifecycle.send locks
        # memberships then the letter in the same order, so a send and a leave wait for
        # each other instead of deadlocking, and neither misses the other.
        membership = (
            Membership.objects.select_for_update()
            .current()
            .filter(home=home, person=person)
            .first()
        )
        if membership is None:  # left a moment ago, from another device
            raise NotFound()
        now = timezone.now()
        returned = leaving.return_letters(person, home, now)
        forget_glances(person, home)
        membership.left_at = now
        membership.save(update_fields=["left_at"])
        # Their unused invites stop working: nobody walks in on the word of someone who
        # has gone, themselves included. When nobody is left, nobody can invite at all.
        invites = Invite.objects.filter(home=home, used_at__isnull=True, expires_at__gt=now)
        if Membership.objects.current().filter(home=home).exists():
            invites = invites.filter(created_by=person)
        invites.update(expires_at=now)
    return Left(home=home, back_in_drawer=len(returned.mine))


def _clean_place_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("Give the place a name, like “the counter” or “the book on the stand”.")
    if len(name) > NAME_LIMIT:
        raise Invalid(
            f"A place's name holds at most {NAME_LIMIT} characters; this one has {len(name)}."
        )
    if any(ch in PLACE_CONTROLS for ch in name):
        raise Invalid("A place's name cannot hold control characters.")
    return name


def _clean_kind(kind: str | None) -> str:
    if kind in (None, ""):
        return Kind.SPOT
    if kind not in Kind.values:
        raise Invalid(f"A place is a spot or an object, not {kind!r}.")
    return kind


def create_place(person, home_id, name: str, kind: str | None = None) -> Place:
    home = home_for_member(person, home_id)
    return Place.objects.create(home=home, name=_clean_place_name(name), kind=_clean_kind(kind))


def change_place(person, place_id, *, name: str | None = None, kind: str | None = None) -> Place:
    """Rename a place or say what kind it is; an archived one too."""
    place = place_for_member(person, place_id)
    if name is not None:
        place.name = _clean_place_name(name)
    if kind is not None:
        place.kind = _clean_kind(kind)
    place.save(update_fields=["name", "kind"])
    return place


def archive_place(person, place_id) -> Place:
    """Put a place away. Its notes are kept: found ones stay in their readers' inboxes,
    and unfound ones wait for their writers to move them or take them back."""
    place = place_for_member(person, place_id)
    if place.archived_at is None:
        place.archived_at = timezone.now()
        place.save(update_fields=["archived_at"])
    return place


def restore_place(person, place_id) -> Place:
    place = place_for_member(person, place_id)
    if place.archived_at is not None:
        place.archived_at = None
        place.save(update_fields=["archived_at"])
    return place


def replace_label(person, place_id) -> Place:
    """A new code for the place's label: the old one answers 404 from now on."""
    place = place_for_member(person, place_id)
    place.label = label_token()
    place.save(update_fields=["label"])
    return place
