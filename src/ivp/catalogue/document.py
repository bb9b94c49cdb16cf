"""The catalogue as a JSON-ready document and as readable text: one function each, used
by ``ivp catalogue`` and by the API, so both show the same content. Plain Python.

The JSON keys are English (like the rest of ivp's JSON); ``docs/catalogue.md`` maps each
key to the handbook's term and to the attribute in the content files.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from ivp.catalogue import schema as s

#: content-file attribute → JSON key
JSON_KEYS: Mapping[str, str] = {
    "uitleg": "explanation",
    "rol_gemeente": "municipal_role",
    "partners": "partners",
    "wet_en_regelgeving": "laws",
    "maatregelen": "measures",
    "effectinformatie": "effect_sources",
    "effectindicatoren": "effect_indicators",
    "instrumenten": "instruments",
    "raakvlakken": "links",
    "ontwikkelingen": "developments",
    "vormen_titel": "forms_title",
    "vormen": "forms",
    "doelen": "goals",
    "themas": "themes",
    "plek_in_ivp": "place_in_ivp",
    "meer_informatie": "more_information",
}

#: Dutch labels of the attributes, as in the handbook (for text output).
LABELS: Mapping[str, str] = {
    "uitleg": "Uitleg",
    "rol_gemeente": "Rol van de gemeente",
    "partners": "Partners in de aanpak",
    "wet_en_regelgeving": "Wet- en regelgeving",
    "maatregelen": "Aanpak, maatregelen",
    "effectinformatie": "Bronnen voor effectinformatie",
    "effectindicatoren": "Mogelijke effectindicatoren",
    "instrumenten": "Instrumenten, formats, websites",
    "raakvlakken": "Raakvlakken met andere thema's",
    "genoemd_bij": "Genoemd als raakvlak bij",
    "ontwikkelingen": "Belangrijke ontwikkelingen",
    "bronopmerkingen": "Bronopmerkingen (ivp)",
    "vormen": "Vormen",
    "doelen": "Doelen",
    "themas": "Betrokken thema's",
    "plek_in_ivp": "Plek in het IVP",
    "meer_informatie": "Meer informatie",
}

#: Dutch wording of each reason (for text output and pages).
REASON_TEXT: Mapping[str, str] = {
    "leeg": "de handreiking laat dit onderdeel leeg",
    "ontbreekt": "de handreiking geeft dit onderdeel niet voor dit thema",
    "per_aspect": "in veld 1 uitgewerkt per aanpakaspect",
}


# ---------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------


def _measure(m: s.Maatregel) -> dict[str, Any]:
    return {"id": m.id, "text": m.tekst, "group": m.groep, "note": m.toelichting, "url": m.url}


def _indicator(i: s.Indicator) -> dict[str, Any]:
    return {"id": i.id, "source": i.bron, "text": i.tekst}


def _instrument(i: s.Instrument) -> dict[str, Any]:
    return {"name": i.naam, "url": i.url}


def _partners(p: s.Partners) -> dict[str, list[str]]:
    return {"internal": list(p.intern), "external": list(p.extern)}


def _not_in_handbook(markers: Mapping[str, str]) -> dict[str, str]:
    return {JSON_KEYS.get(name, name): reason for name, reason in markers.items()}


def theme_document(catalogue: s.Catalogus, thema: s.Thema) -> dict[str, Any]:
    """One theme with all its attributes, its links in both directions and the markers
    for attributes the handbook leaves empty."""
    return {
        "code": thema.code,
        "title": thema.titel,
        "field": thema.veld_code,
        "alternative_titles": list(thema.alternatieve_titels),
        "explanation": thema.uitleg,
        "municipal_role": list(thema.rol_gemeente),
        "partners": _partners(thema.partners),
        "laws": list(thema.wet_en_regelgeving),
        "measures": [_measure(m) for m in thema.maatregelen],
        "effect_sources": list(thema.effectinformatie),
        "effect_indicators": [_indicator(i) for i in thema.effectindicatoren],
        "instruments": [_instrument(i) for i in thema.instrumenten],
        "links": list(thema.raakvlakken),
        "linked_from": list(catalogue.genoemd_bij(thema.code)),
        "developments": list(thema.ontwikkelingen),
        "not_in_handbook": _not_in_handbook(thema.niet_in_handreiking),
        "source_notes": list(thema.bronopmerkingen),
        "source_location": str(thema.herkomst) if thema.herkomst else None,
    }


def aspect_document(aspect: s.Aanpakaspect) -> dict[str, Any]:
    """One aspect of approach of field 1."""
    return {
        "code": aspect.code,
        "number": aspect.nummer,
        "title": aspect.titel,
        "field": aspect.veld_code,
        "explanation": aspect.uitleg,
        "municipal_role": list(aspect.rol_gemeente),
        "partners": _partners(aspect.partners),
        "laws": list(aspect.wet_en_regelgeving),
        "measures": [_measure(m) for m in aspect.maatregelen],
        "instruments": [_instrument(i) for i in aspect.instrumenten],
        "developments": list(aspect.ontwikkelingen),
        "not_in_handbook": _not_in_handbook(aspect.niet_in_handreiking),
        "source_notes": list(aspect.bronopmerkingen),
        "source_location": str(aspect.herkomst) if aspect.herkomst else None,
    }


def strategic_theme_document(st: s.StrategischThema) -> dict[str, Any]:
    """One cross-cutting strategic theme."""
    return {
        "code": st.code,
        "title": st.titel,
        "explanation": st.uitleg,
        "forms_title": st.vormen_titel,
        "forms": [{"name": v.naam, "explanation": v.toelichting} for v in st.vormen],
        "goals": list(st.doelen),
        "municipal_role": list(st.rol_gemeente),
        "themes": [{"subject": r.omschrijving, "codes": list(r.codes)} for r in st.themas],
        "place_in_ivp": [
            {
                "chapters": list(p.hoofdstukken),
                "chapter_titles": [s.IVP_HOOFDSTUKKEN[h] for h in p.hoofdstukken],
                "explanation": p.toelichting,
            }
            for p in st.plek_in_ivp
        ],
        "more_information": [_instrument(i) for i in st.meer_informatie],
        "not_in_handbook": _not_in_handbook(st.niet_in_handreiking),
        "source_notes": list(st.bronopmerkingen),
        "source_location": str(st.herkomst) if st.herkomst else None,
    }


def field_document(catalogue: s.Catalogus, veld: s.Veiligheidsveld) -> dict[str, Any]:
    return {
        "code": veld.code,
        "title": veld.titel,
        "explanation": veld.uitleg,
        "themes": [theme_document(catalogue, t) for t in veld.themas],
        "aspects": [aspect_document(a) for a in veld.aanpakaspecten],
    }


def catalogue_document(catalogue: s.Catalogus) -> dict[str, Any]:
    """The whole catalogue: ``fields`` (each with ``themes`` and ``aspects``) and
    ``strategic_themes``, with the content version and the source."""
    return {
        "version": catalogue.versie,
        "source": {
            "title": catalogue.bron.titel,
            "publisher": catalogue.bron.uitgever,
            "date": catalogue.bron.datum,
            "url": catalogue.bron.url,
        },
        "not_in_handbook_reasons": dict(s.REASONS),
        "fields": [field_document(catalogue, v) for v in catalogue.velden],
        "strategic_themes": [strategic_theme_document(st) for st in catalogue.strategische_themas],
        "retired_ids": sorted(catalogue.ingetrokken_ids),
    }


# ---------------------------------------------------------------------------------------
# Readable text
# ---------------------------------------------------------------------------------------

_WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def _bullets(items, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for item in items:
        lines += textwrap.wrap(
            item, _WIDTH, initial_indent=f"{indent}- ", subsequent_indent=f"{indent}  "
        )
    return lines


def _section(lines: list[str], label: str, body: list[str], reason: str | None) -> None:
    lines.append("")
    lines.append(label)
    if reason is not None:
        lines.append(f"  (niet in de handreiking: {REASON_TEXT[reason]})")
    else:
        lines.extend(body)


def _measure_lines(maatregelen) -> list[str]:
    lines: list[str] = []
    for m in maatregelen:
        prefix = f"  [{m.id}] "
        text = f"{m.tekst} ({m.groep})" if m.groep else m.tekst
        lines += textwrap.wrap(
            text, _WIDTH, initial_indent=prefix, subsequent_indent=" " * len(prefix)
        )
        if m.toelichting:
            lines += _wrap(m.toelichting, " " * len(prefix))
        if m.url:
            lines.append(" " * len(prefix) + m.url)
    return lines


def _instrument_lines(instrumenten) -> list[str]:
    return _bullets(f"{i.naam} <{i.url}>" if i.url else i.naam for i in instrumenten)


def _partner_lines(p: s.Partners) -> list[str]:
    return _wrap("Intern: " + "; ".join(p.intern)) + _wrap("Extern: " + "; ".join(p.extern))


def theme_text(catalogue: s.Catalogus, thema: s.Thema) -> str:
    """A theme as readable text for the terminal."""
    veld = catalogue.veld(thema.veld_code)
    lines = [f"{thema.code} {thema.titel}", f"Veiligheidsveld {veld.code}: {veld.titel}"]
    if thema.alternatieve_titels:
        lines.append("Ook: " + "; ".join(thema.alternatieve_titels))
    markers = thema.niet_in_handreiking

    def titles(codes) -> list[str]:
        return _bullets(f"{c} {catalogue.thema(c).titel}" for c in codes) or ["  (geen)"]

    _section(lines, LABELS["uitleg"], _wrap(thema.uitleg), markers.get("uitleg"))
    _section(
        lines, LABELS["rol_gemeente"], _bullets(thema.rol_gemeente), markers.get("rol_gemeente")
    )
    _section(lines, LABELS["partners"], _partner_lines(thema.partners), markers.get("partners"))
    _section(
        lines,
        LABELS["wet_en_regelgeving"],
        _bullets(thema.wet_en_regelgeving),
        markers.get("wet_en_regelgeving"),
    )
    _section(
        lines, LABELS["maatregelen"], _measure_lines(thema.maatregelen), markers.get("maatregelen")
    )
    _section(
        lines,
        LABELS["effectinformatie"],
        _bullets(thema.effectinformatie),
        markers.get("effectinformatie"),
    )
    indicator_lines: list[str] = []
    for i in thema.effectindicatoren:
        text = f"{i.bron}: {i.tekst}" if i.bron else i.tekst
        indicator_lines += textwrap.wrap(
            text, _WIDTH, initial_indent=f"  [{i.id}] ", subsequent_indent=" " * 12
        )
    _section(lines, LABELS["effectindicatoren"], indicator_lines, markers.get("effectindicatoren"))
    _section(
        lines,
        LABELS["instrumenten"],
        _instrument_lines(thema.instrumenten),
        markers.get("instrumenten"),
    )
    _section(lines, LABELS["raakvlakken"], titles(thema.raakvlakken), markers.get("raakvlakken"))
    _section(lines, LABELS["genoemd_bij"], titles(catalogue.genoemd_bij(thema.code)), None)
    _section(
        lines,
        LABELS["ontwikkelingen"],
        _bullets(thema.ontwikkelingen),
        markers.get("ontwikkelingen"),
    )
    if veld.aanpakaspecten and "maatregelen" in markers:
        lines.append("")
        lines.append("Aanpakaspecten van veld " + veld.code)
        lines += _bullets(f"{a.code} {a.titel}" for a in veld.aanpakaspecten)
    if thema.bronopmerkingen:
        _section(lines, LABELS["bronopmerkingen"], _bullets(thema.bronopmerkingen), None)
    return "\n".join(lines) + "\n"


def aspect_text(catalogue: s.Catalogus, aspect: s.Aanpakaspect) -> str:
    """An aspect of approach as readable text."""
    veld = catalogue.veld(aspect.veld_code)
    lines = [
        f"{aspect.code} {aspect.titel}",
        f"Aanpakaspect {aspect.nummer} van veiligheidsveld {veld.code}: {veld.titel}",
    ]
    markers = aspect.niet_in_handreiking
    _section(lines, LABELS["uitleg"], _wrap(aspect.uitleg), markers.get("uitleg"))
    _section(
        lines, LABELS["rol_gemeente"], _bullets(aspect.rol_gemeente), markers.get("rol_gemeente")
    )
    _section(lines, LABELS["partners"], _partner_lines(aspect.partners), markers.get("partners"))
    _section(
        lines,
        LABELS["wet_en_regelgeving"],
        _bullets(aspect.wet_en_regelgeving),
        markers.get("wet_en_regelgeving"),
    )
    _section(
        lines, LABELS["maatregelen"], _measure_lines(aspect.maatregelen), markers.get("maatregelen")
    )
    _section(
        lines,
        LABELS["instrumenten"],
        _instrument_lines(aspect.instrumenten),
        markers.get("instrumenten"),
    )
    _section(
        lines,
        LABELS["ontwikkelingen"],
        _bullets(aspect.ontwikkelingen),
        markers.get("ontwikkelingen"),
    )
    if aspect.bronopmerkingen:
        _section(lines, LABELS["bronopmerkingen"], _bullets(aspect.bronopmerkingen), None)
    return "\n".join(lines) + "\n"


def strategic_theme_text(catalogue: s.Catalogus, st: s.StrategischThema) -> str:
    """A cross-cutting strategic theme as readable text."""
    lines = [st.titel, "Strategisch thema (overkoepelend)"]
    markers = st.niet_in_handreiking
    _section(lines, LABELS["uitleg"], _wrap(st.uitleg), markers.get("uitleg"))
    vormen: list[str] = []
    for v in st.vormen:
        vormen += _bullets([v.naam]) + _wrap(v.toelichting, "    ")
    _section(lines, st.vormen_titel, vormen, markers.get("vormen"))
    _section(lines, LABELS["doelen"], _bullets(st.doelen), markers.get("doelen"))
    _section(lines, LABELS["rol_gemeente"], _bullets(st.rol_gemeente), markers.get("rol_gemeente"))
    refs = [
        f"{r.omschrijving} → " + ", ".join(f"{c} {catalogue.thema(c).titel}" for c in r.codes)
        for r in st.themas
    ]
    _section(lines, LABELS["themas"], _bullets(refs), markers.get("themas"))
    plekken = [
        "Hoofdstuk "
        + ", ".join(f"{h} ({s.IVP_HOOFDSTUKKEN[h]})" for h in p.hoofdstukken)
        + ": "
        + p.toelichting
        for p in st.plek_in_ivp
    ]
    _section(lines, LABELS["plek_in_ivp"], _bullets(plekken), markers.get("plek_in_ivp"))
    _section(
        lines,
        LABELS["meer_informatie"],
        _instrument_lines(st.meer_informatie),
        markers.get("meer_informatie"),
    )
    if st.bronopmerkingen:
        _section(lines, LABELS["bronopmerkingen"], _bullets(st.bronopmerkingen), None)
    return "\n".join(lines) + "\n"


def overview_text(catalogue: s.Catalogus) -> str:
    """The handbook's table of themes, one field after the other."""
    lines = [f"Themabibliotheek — {catalogue.bron.titel} (inhoud {catalogue.versie})"]
    for veld in catalogue.velden:
        lines.append("")
        lines.append(f"Veiligheidsveld {veld.code}: {veld.titel}")
        lines += [f"  {t.code}  {t.titel}" for t in veld.themas]
        if veld.aanpakaspecten:
            lines.append("  Aanpakaspecten:")
            lines += [f"  {a.code} {a.titel}" for a in veld.aanpakaspecten]
    lines.append("")
    lines.append("Strategische thema's (overkoepelend)")
    lines += [f"  {st.code}: {st.titel}" for st in catalogue.strategische_themas]
    return "\n".join(lines) + "\n"


def text_for_code(catalogue: s.Catalogus, code: str) -> str:
    """Readable text of a theme ("3.1"), an aspect ("A1.3"), a strategic theme
    ("zorg-en-veiligheid"), or of a measure or indicator by id. Raises KeyError for an
    unknown code."""
    code = code.strip()
    if s.ITEM_ID.match(code.upper() if code[:1] in "aA" else code):
        doc = item_document(catalogue, code)
        owner = doc.get("aspect") or doc["theme"]
        lines = [f"{doc['id']}  {doc['text']}"]
        if doc.get("source"):
            lines.append(f"Bron: {doc['source']}")
        if doc.get("note"):
            lines += _wrap(doc["note"], "")
        if doc.get("url"):
            lines.append(doc["url"])
        lines.append(f"Hoort bij: {owner}")
        return "\n".join(lines) + "\n"
    if s.THEMA_CODE.match(code):
        return theme_text(catalogue, catalogue.thema(code))
    if s.ASPECT_CODE.match(code.upper()):
        return aspect_text(catalogue, catalogue.aanpakaspect(code.upper()))
    return strategic_theme_text(catalogue, catalogue.strategisch_thema(code.lower()))


def measure_document(owner: str, m: s.Maatregel) -> dict[str, Any]:
    """A measure with the code of its theme or aspect (for lookups by stable id)."""
    is_aspect = bool(s.ASPECT_CODE.match(owner))
    return {
        **_measure(m),
        "theme": None if is_aspect else owner,
        "aspect": owner if is_aspect else None,
    }


def indicator_document(owner: str, i: s.Indicator) -> dict[str, Any]:
    """A suggested effect indicator with the code of its theme."""
    return {**_indicator(i), "theme": owner}


def item_document(catalogue: s.Catalogus, code: str) -> dict[str, Any]:
    """JSON of a theme ("3.1"), an aspect ("A1.3"), a strategic theme
    ("zorg-en-veiligheid"), a measure ("3.1-m02") or an indicator ("3.1-i01"). Raises
    KeyError for an unknown code."""
    code = code.strip()
    if s.THEMA_CODE.match(code):
        return theme_document(catalogue, catalogue.thema(code))
    if s.ASPECT_CODE.match(code.upper()):
        return aspect_document(catalogue.aanpakaspect(code.upper()))
    if s.ITEM_ID.match(code.upper() if code[:1] in "aA" else code):
        wanted = code.upper() if code[:1] in "aA" else code
        for owner, m in catalogue.maatregelen():
            if m.id == wanted:
                return measure_document(owner, m)
        for owner, i in catalogue.indicatoren():
            if i.id == wanted:
                return indicator_document(owner, i)
        raise KeyError(code)
    return strategic_theme_document(catalogue.strategisch_thema(code.lower()))
