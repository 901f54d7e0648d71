"""Quiet reminders on the pages that show them (home, correspondence, settings), so those
pages' views need no changes. Each tag is one query, however many reminders or letters."""

from __future__ import annotations

from django import template

from dear.lib import words
from dear.notify import reminders, transport

register = template.Library()


@register.filter
def days_in_words(n: int) -> str:
    """ "nine days", "one day": how a letter would say it."""
    return words.days(n)


@register.inclusion_tag("web/_quiet_reminders.html", takes_context=True)
def quiet_reminders(context):
    """One gentle line per quiet stretch long enough to mention, with a way to write."""
    # The home page already holds each home's housemates: the write link needs no query.
    home_with: dict = {}
    for entry in context.get("homes", []):
        for person in entry["housemates"]:
            home_with.setdefault(person.pk, entry["home"])
    lines = [
        {"stretch": stretch, "home": home_with.get(stretch.other.pk)}
        for stretch in reminders.due(context["user"])
    ]
    return {"lines": lines}


@register.inclusion_tag("web/_reminder_form.html", takes_context=True)
def reminder_form(context, other):
    return {
        "other": other,
        "stretch": reminders.stretch_with(context["user"], other),
        "email_configured": transport.configured(),
        "default_days": reminders.DEFAULT_DAYS,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("web/_reminders_setting.html", takes_context=True)
def reminders_setting(context):
    return {
        "stretches": reminders.stretches(context["user"]),
        "email_configured": transport.configured(),
        "csrf_token": context.get("csrf_token"),
    }
