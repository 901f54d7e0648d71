"""Who may see which home: the one place that decides it (rule 4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dear.homes.models import Home, Membership, Place
from dear.lib.errors import NotFound


def home_for_member(person, home_id) -> Home:
    """The home, if ``person`` belongs to it; otherwise the same 404 as a missing one."""
    try:
        return Home.objects.of_member(person).get(pk=home_id)
    except (Home.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound() from None


def place_for_member(person, place_id) -> Place:
    """A place in one of ``person``'s homes (archived or not); else the 404 of a missing one."""
    try:
        return Place.objects.of_member(person).select_related("home").get(pk=place_id)
    except (Place.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound() from None


def place_for_label(person, label: str) -> Place:
    """The place a scanned label names, for a member of its home. A made-up code, a
    replaced one and someone else's home's all answer the same 404."""
    if not label or len(label) > 64 or "\x00" in label:
        raise NotFound()
    place = Place.objects.of_member(person).select_related("home").filter(label=label).first()
    if place is None:
        raise NotFound()
    return place


def is_member(person, home) -> bool:
    return Membership.objects.filter(home=home, person=person, left_at__isnull=True).exists()


def members_of(home):
    from dear.accounts.models import Person

    return Person.objects.filter(
        memberships__home=home, memberships__left_at__isnull=True
    ).order_by("display_name", "id")


def housemates_of(person):
    """Everyone who shares a current home with ``person``, themselves excluded."""
    from dear.accounts.models import Person

    homes = Home.objects.of_member(person).values("pk")
    return (
        Person.objects.filter(memberships__home__in=homes, memberships__left_at__isnull=True)
        .exclude(pk=person.pk)
        .distinct()
        .order_by("display_name", "id")
    )
