"""Template helpers for notes and receipts, so the letter and writing pages need no view
changes to show them."""

from __future__ import annotations

from django import template
from django.utils import timezone

from dear.homes.models import Place
from dear.letters import notes, receipts

register = template.Library()


@register.simple_tag
def note_places(letter):
    """The open places of the letter's home a note could be left at (one query)."""
    return list(Place.objects.filter(home_id=letter.home_id).open().order_by("name", "id"))


@register.simple_tag
def other_places(letter):
    """Where a note could be moved: the home's open places but its own."""
    places = Place.objects.filter(home_id=letter.home_id).open().exclude(pk=letter.place_id)
    return list(places.order_by("name", "id"))


@register.simple_tag
def receipts_for(letter, viewer):
    """The letter's deliveries as its writer may see them (from prefetched deliveries)."""
    now = timezone.now()
    return [receipts.receipt(viewer, d, now) for d in letter.deliveries.all()]


@register.simple_tag
def may_take_back(letter, viewer) -> bool:
    return notes.may_take_back(viewer, letter)
