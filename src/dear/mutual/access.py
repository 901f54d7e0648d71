"""Who may see which moment, and whom a person may glance at: the one place that decides."""

from __future__ import annotations

from dear.homes import access as homes_access
from dear.homes.access import home_for_member
from dear.homes.models import Home
from dear.lib.errors import Invalid, NotFound
from dear.mutual.models import Moment


def moments_of(person):
    """Every moment ``person`` shares, newest first, with what a list shows of each."""
    return (
        Moment.objects.of(person)
        .select_related("home", "first", "second", "first_letter", "second_letter")
        .order_by("-at", "-id")
    )


def housemate(person, other_id):
    """Someone who shares a home with ``person``; anyone else is the 404 of nobody."""
    if str(other_id) == str(person.pk):
        raise Invalid("A glance is for someone else in your home, not for yourself.")
    return homes_access.housemate(person, other_id)


def shared_home(person, other, home_id=None) -> Home:
    """The home two people share: the one named, or the only one there is."""
    if home_id is not None:
        home = home_for_member(person, home_id)
        if not Home.objects.of_member(other).filter(pk=home.pk).exists():
            raise NotFound()
        return home
    shared = list(
        Home.objects.of_member(person)
        .filter(pk__in=Home.objects.of_member(other).values("pk"))
        .order_by("name", "id")[:2]
    )
    if not shared:
        raise NotFound()
    if len(shared) > 1:
        raise Invalid(f"You share more than one home with {other.display_name}; say which one.")
    return shared[0]
