"""Full-text search over the catalogue in the database.

Every theme, aspect and strategic theme keeps a ``zoektekst``: all its texts (and those of
its measures and indicators), lowercased and without accents. A query matches an item when
every word of the query occurs in that text (``contains``, so it works the same on SQLite
and PostgreSQL and finds parts of words: "inbraak" finds "woninginbraak"). The result
lists, per item, the passages that contain a query word, with the words marked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ivp.catalogue.models import Aanpakaspect, StrategischThema, Thema

MAX_TERMS = 8
MIN_TERM = 2
SNIPPET = 220


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return base if len(base) == 1 else ch.lower()[:1] or ch


def fold(text: str) -> str:
    """Lowercase and strip accents, keeping the length (one character for one), so that
    positions in the folded text are positions in the original."""
    return "".join(_fold_char(ch) for ch in text)


def terms(query: str) -> list[str]:
    """The words of a query, folded, without repeats; very short words are dropped."""
    seen: dict[str, None] = {}
    for word in fold(query).split():
        word = word.strip(".,;:!?()[]{}\"'")
        if len(word) >= MIN_TERM:
            seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


def highlight(text: str, words: Iterable[str], width: int = SNIPPET) -> SafeString:
    """``text`` escaped, cut to about ``width`` characters around the first match, with
    each occurrence of ``words`` wrapped in ``<mark>``."""
    folded = fold(text)
    words = [w for w in words if w]
    spans: list[tuple[int, int]] = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    lo, hi = 0, len(text)
    if len(text) > width:
        first = merged[0][0] if merged else 0
        lo = max(0, first - width // 3)
        hi = min(len(text), lo + width)
        lo = max(0, hi - width)
    out: list[str] = ["… " if lo > 0 else ""]
    pos = lo
    for a, b in merged:
        if b <= lo or a >= hi:
            continue
        a, b = max(a, lo), min(b, hi)
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:hi]))
    if hi < len(text):
        out.append(" …")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


# ---------------------------------------------------------------------------------------
# The searchable parts of an item
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    label: str
    text: str
    anchor: str  # id of the section on the item's page


def _instrument_text(item: dict) -> str:
    return item.get("naam", "")


def _common(obj, *, has_partners: bool) -> list[Part]:
    parts = [Part(_("Uitleg"), obj.uitleg, "uitleg")] if obj.uitleg else []
    parts += [Part(_("Rol van de gemeente"), r, "rol-gemeente") for r in obj.rol_gemeente]
    if has_partners:
        parts += [Part(_("Interne partners"), p, "partners") for p in obj.partners_intern]
        parts += [Part(_("Externe partners"), p, "partners") for p in obj.partners_extern]
        parts += [
            Part(_("Wet- en regelgeving"), w, "wet-en-regelgeving") for w in obj.wet_en_regelgeving
        ]
    return parts


def _measures(obj) -> list[Part]:
    parts = []
    for m in obj.maatregelen.all():
        if not m.actief:
            continue
        text = " — ".join(t for t in (m.tekst, m.groep, m.toelichting) if t)
        parts.append(Part(_("Maatregel %(id)s") % {"id": m.code}, text, "maatregelen"))
    return parts


def thema_parts(thema: Thema) -> list[Part]:
    parts = [Part(_("Titel"), f"{thema.code} {thema.titel}", "")]
    parts += [Part(_("Ook bekend als"), t, "") for t in thema.alternatieve_titels]
    parts += _common(thema, has_partners=True)
    parts += _measures(thema)
    parts += [
        Part(_("Bron voor effectinformatie"), e, "effectinformatie") for e in thema.effectinformatie
    ]
    for i in thema.effectindicatoren.all():
        if i.actief:
            text = f"{i.bron}: {i.tekst}" if i.bron else i.tekst
            parts.append(
                Part(_("Effectindicator %(id)s") % {"id": i.code}, text, "effectindicatoren")
            )
    parts += [
        Part(_("Instrument"), _instrument_text(i), "instrumenten") for i in thema.instrumenten
    ]
    parts += [Part(_("Ontwikkeling"), o, "ontwikkelingen") for o in thema.ontwikkelingen]
    parts += [Part(_("Bronopmerking"), b, "bronopmerkingen") for b in thema.bronopmerkingen]
    return parts


def aspect_parts(aspect: Aanpakaspect) -> list[Part]:
    parts = [Part(_("Titel"), f"{aspect.code} {aspect.titel}", "")]
    parts += _common(aspect, has_partners=True)
    parts += _measures(aspect)
    parts += [
        Part(_("Instrument"), _instrument_text(i), "instrumenten") for i in aspect.instrumenten
    ]
    parts += [Part(_("Ontwikkeling"), o, "ontwikkelingen") for o in aspect.ontwikkelingen]
    parts += [Part(_("Bronopmerking"), b, "bronopmerkingen") for b in aspect.bronopmerkingen]
    return parts


def strategic_parts(st: StrategischThema) -> list[Part]:
    parts = [Part(_("Titel"), st.titel, "")]
    parts += _common(st, has_partners=False)
    parts += [
        Part(st.vormen_titel or _("Vormen"), f"{v['naam']}: {v['toelichting']}", "vormen")
        for v in st.vormen
    ]
    parts += [Part(_("Doel"), d, "doelen") for d in st.doelen]
    parts += [
        Part(_("Betrokken thema's"), r["omschrijving"], "themas") for r in st.thema_verwijzingen
    ]
    parts += [Part(_("Plek in het IVP"), p["toelichting"], "plek-in-ivp") for p in st.plek_in_ivp]
    parts += [
        Part(_("Meer informatie"), _instrument_text(i), "meer-informatie")
        for i in st.meer_informatie
    ]
    parts += [Part(_("Bronopmerking"), b, "bronopmerkingen") for b in st.bronopmerkingen]
    return parts


def search_text(parts: Iterable[Part]) -> str:
    """The ``zoektekst`` of an item: all its parts, folded, one per line."""
    return "\n".join(fold(str(p.text)) for p in parts)


# ---------------------------------------------------------------------------------------
# Searching
# ---------------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str  # "thema" | "aspect" | "strategisch"
    obj: Thema | Aanpakaspect | StrategischThema
    in_title: bool
    passages: list[tuple[str, SafeString, str]] = field(default_factory=list)  # label, html, anchor


def _hits(kind: str, objects, parts_of, words: list[str], max_passages: int) -> list[Hit]:
    hits = []
    for obj in objects:
        parts = parts_of(obj)
        title = " ".join(fold(str(p.text)) for p in parts if p.anchor == "")
        hit = Hit(kind, obj, in_title=all(w in title for w in words))
        for part in parts[1:]:
            folded = fold(str(part.text))
            if any(w in folded for w in words):
                hit.passages.append(
                    (str(part.label), highlight(str(part.text), words), part.anchor)
                )
        hit.passages = hit.passages[:max_passages]
        hits.append(hit)
    return hits


def search(query: str, *, max_passages: int = 4) -> tuple[list[str], list[Hit]]:
    """The folded words of ``query`` and the items containing all of them: themes first
    where the words are in the title, then in catalogue order."""
    words = terms(query)
    if not words:
        return words, []
    condition = Q()
    for word in words:
        condition &= Q(zoektekst__contains=word)
    themas = (
        Thema.objects.filter(condition)
        .select_related("veld")
        .prefetch_related("maatregelen", "effectindicatoren")
    )
    aspecten = Aanpakaspect.objects.filter(condition).prefetch_related("maatregelen")
    strategisch = StrategischThema.objects.filter(condition)
    hits = (
        _hits("thema", themas, thema_parts, words, max_passages)
        + _hits("aspect", aspecten, aspect_parts, words, max_passages)
        + _hits("strategisch", strategisch, strategic_parts, words, max_passages)
    )
    hits.sort(key=lambda h: not h.in_title)  # stable: keeps catalogue order otherwise
    return words, hits
