"""Who may see which home: the one place that decides it (rule 4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dear.homes.models import Home, Membership, Place
from dear.lib.errors import NotFound
from dear.lib.words import same_name


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
    """Whether ``person`` is a current member of ``home`` (a home or its id)."""
    return Membership.objects.current().filter(home=home, person=person).exists()


def members_of(home):
    """The current members of ``home``, by name."""
    from dear.accounts.models import Person

    current = Membership.objects.current().filter(home=home).values("person_id")
    return Person.objects.filter(pk__in=current).order_by("display_name", "id")


def housemates_of(person):
    """Everyone who shares a current home with ``person``, themselves excluded."""
    from dear.accounts.models import Person

    homes = Membership.objects.current().filter(person=person).values("home_id")
    people = Membership.objects.current().filter(home_id__in=homes).values("person_id")
    return Person.objects.filter(pk__in=people).exclude(pk=person.pk).order_by("display_name", "id")


def named(people, name: str) -> str:
    """The name of whoever among ``people`` goes by ``name`` (case and spacing aside)."""
    for taken in people.values_list("display_name", flat=True):
        if same_name(taken, name):
            return taken
    return ""


def housemates_named(person, name: str) -> str:
    return named(housemates_of(person), name)


def housemate(person, other_id):
    """Someone who shares a current home with ``person``; anyone else, a former housemate
    or nobody at all, is the same 404."""
    try:
        found = housemates_of(person).filter(pk=other_id).first()
    except (ValidationError, ValueError, TypeError):
        found = None
    if found is None:
        raise NotFound()
    return found


def shared_home(person, other) -> Home | None:
    """The first, by name, of the homes ``person`` and ``other`` both belong to now."""
    theirs = Membership.objects.current().filter(person=other).values("home_id")
    return Home.objects.of_member(person).filter(pk__in=theirs).order_by("name", "id").first()
