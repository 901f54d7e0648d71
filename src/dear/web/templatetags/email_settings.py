"""The settings page's email section, so the settings view needs no changes for it."""

from __future__ import annotations

from django import template

from dear.notify import addresses, transport

register = template.Library()


@register.inclusion_tag("web/_email_settings.html", takes_context=True)
def email_settings(context):
    person = context["user"]
    configured = transport.configured()
    return {
        "configured": configured,
        "no_email": addresses.NO_EMAIL,
        "person": person,
        # No query when there is no email to choose about.
        "choices": addresses.choices_of(person) if configured else None,
        "values": context.get("values") or {},
    }


@register.simple_tag
def email_configured() -> bool:
    return transport.configured()
