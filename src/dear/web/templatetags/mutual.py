"""Template helpers for sealed letters, so the home and letter pages need no view changes."""

from __future__ import annotations

from django import template
from django.db.models import Q

from dear.letters.models import Letter
from dear.mutual.models import Moment

register = template.Library()

STUBS_SHOWN = 10


@register.inclusion_tag("web/_sealed_waiting.html", takes_context=True)
def sealed_waiting(context):
    """Told-mode letters sealed for the person looking: who and when, never a word. One
    query; blind ones are never among them (rule 3)."""
    stubs = (
        Letter.objects.sealed_for(context["user"])
        .select_related("writer", "home")
        .order_by("-sent_at", "-pk")[:STUBS_SHOWN]
    )
    return {"stubs": list(stubs), "csrf_token": context.get("csrf_token")}


@register.simple_tag
def sealed_partner(letter, viewer):
    """The letter an opened sealed letter opened together with, for one of the pair."""
    moment = (
        Moment.objects.of(viewer)
        .filter(Q(first_letter=letter) | Q(second_letter=letter))
        .select_related("first_letter__writer", "second_letter__writer")
        .first()
    )
    if moment is None:
        return None
    return moment.second_letter if moment.first_letter_id == letter.pk else moment.first_letter
