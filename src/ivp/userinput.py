"""Whole numbers that users type or send: ids and versions in forms and query strings,
years in links, ids in spreadsheet cells. Owns the one check that such a text is a number
that ``int()`` and every integer column of the database accept; imports nothing of ivp, so
every package may use it."""

from __future__ import annotations

MAX_DIGITS = 18  # below 2**63, the largest integer column; Python refuses > 4,300 digits


def whole_number(text: str | None) -> int | None:
    """``text`` as a non-negative whole number, or None when it is not one: only the digits
    0–9 (``str.isdigit()`` also accepts '²', which ``int()`` refuses), at most
    :data:`MAX_DIGITS` of them."""
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdecimal()):
        return None
    return int(text)
