"""Template helpers for notes and receipts, so the letter and writing pages need no view
changes to show them."""

from __future__ import annotations

from django import template
from django.utils import timezone

from dear.homes.models import Membership, Place
from dear.letters import notes, receipts

register = template.Library()


def _places_of(context, letter):
    # Only while the viewer is still a member: someone who left a home sees its letters,
    # never its places as they are now.
    return Place.objects.of_member(context["user"]).filter(home_id=letter.home_id).open()


@register.simple_tag(takes_context=True)
def note_places(context, letter):
    """The open places of the letter's home a note could be left at (one query)."""
    return list(_places_of(context, letter).order_by("name", "id"))


@register.simple_tag(takes_context=True)
def other_places(context, letter):
    """Where a note could be moved: the home's open places but its own."""
    places = _places_of(context, letter).exclude(pk=letter.place_id)
    return list(places.order_by("name", "id"))


@register.simple_tag
def still_in_home(letter, viewer) -> bool:
    """Whether ``viewer`` is still a member of the letter's home (one query)."""
    return Membership.objects.filter(
        home_id=letter.home_id, person=viewer, left_at__isnull=True
    ).exists()


@register.simple_tag
def receipts_for(letter, viewer):
    """The letter's deliveries as its writer may see them (from prefetched deliveries)."""
    now = timezone.now()
    return [receipts.receipt(viewer, d, now) for d in letter.deliveries.all()]


@register.simple_tag
def may_move(letter, viewer) -> bool:
    """Whether the writer may still move the note or take it back (``notes.may_move``)."""
    return notes.may_move(viewer, letter)


@register.simple_tag
def found_by(letter, viewer):
    """The receipt that shows the writer their note found, if one does."""
    return notes.found_by(viewer, letter)
