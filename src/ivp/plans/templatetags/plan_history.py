"""Show recorded history as a reader expects it: labels, Dutch values, word differences
(see ``ivp.plans.history``)."""

from django import template

from ivp.plans import history

register = template.Library()


@register.filter
def history_value(value: object) -> str:
    return history.show_value(value)


@register.filter
def history_rows(wijziging) -> list[history.Regel]:
    return history.rows(wijziging)
