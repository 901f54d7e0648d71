"""Who may see or change which letter: the one place that decides it (rules 1, 2, 4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dear.letters import seen
from dear.letters.models import Letter
from dear.lib.errors import NotFound


def _get(queryset, letter_id) -> Letter:
    try:
        return queryset.get(pk=letter_id)
    except (Letter.DoesNotExist, ValidationError, ValueError, TypeError):
        # A malformed id is just another letter that is not there.
        raise NotFound() from None


def letter_for_reader(person, letter_id) -> Letter:
    """A letter ``person`` may read: one they wrote, or one delivered to them."""
    return _get(Letter.objects.visible_to(person).with_people(), letter_id)


def seen_letter(person, letter_id, now=None) -> seen.SeenLetter:
    """A letter ``person`` may read, as they see it (``seen.py``); else the 404 of a
    missing one."""
    try:
        found = seen.letter(person, Letter.objects.visible_to(person, now).filter(pk=letter_id))
    except (ValidationError, ValueError, TypeError):
        raise NotFound() from None
    if found is None:
        raise NotFound()
    return found


def letter_for_writer(person, letter_id, *, for_update: bool = False) -> Letter:
    """A letter ``person`` wrote. Anyone else, reader or not, gets the 404 of a missing one."""
    queryset = Letter.objects.filter(writer=person)
    if for_update:
        queryset = queryset.select_for_update()
    return _get(queryset, letter_id)
