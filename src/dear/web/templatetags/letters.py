from django import template
from django.utils.safestring import mark_safe

from dear.lib.markup import render

register = template.Library()


@register.filter
def letter_text(text: str) -> str:
    """A letter's words as HTML: escaped first, then its light Markdown (dear.lib.markup)."""
    return mark_safe(render(text))  # noqa: S308 - render() escapes every character typed
