"""Who may see which home: the one place that decides it (rule 4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dear.homes.models import Home, Membership
from dear.lib.errors import NotFound


def home_for_member(person, home_id) -> Home:
    """The home, if ``person`` belongs to it; otherwise the same 404 as a missing one."""
    try:
        return Home.objects.of_member(person).get(pk=home_id)
    except (Home.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound() from None


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
