"""Template helpers of the Themabibliotheek."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def slashbreak(value: str) -> SafeString:
    """Allow a line break after each "/" in long titles such as
    "Georganiseerde/ondermijnende criminaliteit" (escaped first)."""
    return mark_safe(escape(value).replace("/", "/<wbr>"))  # noqa: S308 - escaped above
