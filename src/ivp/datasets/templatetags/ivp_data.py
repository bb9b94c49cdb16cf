"""Template filters of the data pages: Dutch number notation."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def getal(value, decimals: int = 0) -> str:
    """``1234567`` → ``1.234.567``; ``getal:1`` on ``8.23`` → ``8,2``; None → ``—``."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{number:,.{int(decimals)}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


@register.filter
def periode(code: str) -> str:
    """``2018JJ00`` → ``2018``; ``2018MM03`` → ``2018 maart``; other text unchanged."""
    from ivp.datasets.periods import Periode, is_cbs_period

    return Periode(code).label if code and is_cbs_period(str(code)) else str(code or "")
