"""Template helpers for times on a clock: when a letter arrives, and the zones to choose."""

from __future__ import annotations

from functools import cache

from django import template

from dear.lib import times
from dear.web import clock

register = template.Library()


@register.simple_tag(takes_context=True)
def arrival(context, letter) -> str:
    """ "tomorrow at 08:00 (Rory's time; today at 23:00 your time)": for its writer."""
    return clock.arrival(letter, context["user"])


@cache
def _regions() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for name in times.zone_choices():
        region, _, place = name.partition("/")
        shown = place.replace("_", " ").replace("/", " / ") if place else name
        grouped.setdefault(region if place else "", []).append((name, shown))
    return tuple((region, tuple(zones)) for region, zones in grouped.items())


@register.simple_tag
def zone_regions():
    """The zones to choose from, grouped by region: [(region, [(name, shown)])]; the
    region "" holds UTC alone."""
    return _regions()


@register.simple_tag
def time_form(person, values=None) -> dict:
    """What the "Your time" form shows: what was just typed, if it failed, else as saved."""
    values = values or {}
    chosen = values.get("time_zone", person.time_zone)
    return {
        "time_zone": chosen,
        # A zone the list does not offer (an old alias a browser sent): still shown.
        "unlisted": bool(chosen) and chosen not in times.zone_choices(),
        "quiet_from": values.get("quiet_from", f"{person.quiet_from:%H:%M}"),
        "quiet_until": values.get("quiet_until", f"{person.quiet_until:%H:%M}"),
    }
