"""Template helpers for times on a clock: when a letter arrives, and the zones to choose."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from django import template
from django.utils import timezone

from dear.lib import times
from dear.lib.spans import span
from dear.web import clock

register = template.Library()


@register.simple_tag(takes_context=True)
def arrival(context, letter) -> str:
    """ "tomorrow at 08:00 (Rory's time; today at 23:00 your time)": for its writer."""
    return clock.arrival(letter, context["user"])


def said(at: datetime, now: datetime | None = None, *, clock_only: bool | str = False) -> str:
    """One date style for every page, on the clock active for the reader: "today 12:04",
    "yesterday 18:30", "tomorrow 08:00", "2 December, 12:04", "2 December 2023".
    With ``clock_only`` today is just "12:04"."""
    now = timezone.localtime(now or timezone.now())
    local = timezone.localtime(at)
    days = (local.date() - now.date()).days
    hm = f"{local:%H:%M}"
    near = {0: "today", -1: "yesterday", 1: "tomorrow"}
    if days == 0 and clock_only:
        # "at" asks for "at 12:04", as in "You glanced at Rory at 12:04."
        return f"at {hm}" if clock_only == "at" else hm
    if days in near:
        return f"{near[days]} {hm}"
    if local.year != now.year:
        # Years ago the hour no longer matters; the day does.
        return clock.day(local, now.date())
    return f"{clock.day(local, now.date())}, {hm}"


@register.simple_tag(name="said")
def said_tag(at, clock_only: bool | str = False) -> str:
    return said(at, clock_only=clock_only) if at else ""


@register.simple_tag
def span_between(earlier, later) -> str:
    """ "12 minutes", "three years": how long from ``earlier`` to ``later``."""
    return span(later - earlier) if earlier and later else ""


KEPT_LONG = timedelta(days=1)


@register.simple_tag(takes_context=True)
def kept_line(context, letter) -> str:
    """A letter its writer kept a long time before sending it, said as part of its story:
    "Jess wrote this three years ago and kept it until today." ; "" for any other."""
    sent = letter.sent_at
    if not sent or letter.stub or sent - letter.written_at < KEPT_LONG:
        return ""
    who = "You" if letter.mine else letter.writer.display_name
    verb = "sealing" if letter.state == "sealed" else "sending"
    now = timezone.localtime()
    held = span(sent - letter.written_at)
    if timezone.localtime(sent).date() == now.date():
        return f"{who} wrote this {span(now - letter.written_at)} ago and kept it until today."
    written = clock.day(timezone.localtime(letter.written_at), now.date())
    return f"{who} wrote this on {written} and kept it for {held} before {verb} it."


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
