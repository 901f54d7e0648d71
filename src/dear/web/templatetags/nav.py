"""Which of the five destinations of the main navigation a page belongs to."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# Every page under its destination; a page not named here marks none.
SECTIONS = {
    "home": (
        "home",
        "home_settings",
        "labels",
        "place",
        "manage_place",
        "create_invite",
        "leave_home",
    ),
    "write": ("write", "edit"),
    "letters": (
        "letters",
        "inbox",
        "sent",
        "scheduled",
        "drafts",
        "drawer",
        "sealed",
        "basket",
        "correspondence",
        "letter",
        "revisions",
        "search",
    ),
    "moments": ("moments",),
    "more": ("more", "settings", "tokens", "archive", "delete_account"),
}
SECTION_OF = {page: section for section, pages in SECTIONS.items() for page in pages}


@register.simple_tag(takes_context=True)
def nav_current(context, section: str) -> str:
    """The aria-current attribute for one destination: "page" on the destination itself,
    "true" on a page inside it, nothing elsewhere."""
    if context.get("status"):
        # An error page marks nothing: the 404 of a missing letter and of an unknown
        # address must be the same page, whatever route either came through (rule 4).
        return ""
    match = getattr(context.get("request"), "resolver_match", None)
    name = match.url_name if match else None
    if name == section:
        return mark_safe('aria-current="page"')  # a constant of ours
    if SECTION_OF.get(name) == section:
        return mark_safe('aria-current="true"')  # a constant of ours
    return ""
