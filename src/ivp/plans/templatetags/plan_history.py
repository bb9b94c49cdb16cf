"""Show recorded history values as a reader expects them: labels, not codes."""

from django import template

from ivp.plans.models import Rol
from ivp.plans.workflow import STATUS_LABELS, StapStatus

register = template.Library()

_LABELS = {**{s.value: str(STATUS_LABELS[s]) for s in StapStatus}, **dict(Rol.choices)}


@register.filter
def history_value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(history_value(v) for v in value) or "—"
    if isinstance(value, str):
        return str(_LABELS.get(value, value))
    return str(value)
