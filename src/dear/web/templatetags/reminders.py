"""Words for quiet reminders: formatting only; the views hand the reminders in."""

from __future__ import annotations

from django import template

from dear.lib import words

register = template.Library()


@register.filter
def days_in_words(n: int) -> str:
    """ "nine days", "one day": how a letter would say it."""
    return words.days(n)
