"""The two step-6 documents, built from a progress snapshot (:mod:`ivp.sturing.progress`):

- the **voortgangsrapportage** of a period: a one-page dashboard (measures per status per
  priority and cluster, indicators with their verdict), a page per priority and cluster,
  the knelpunten, the new signals in the figures and the voortgangsoverleg;
- the **jaarbeeld** of a year: what was done, what was reached per indicator, what changed
  in the safety picture and what the working group concludes.

A report that was sent is built from the content frozen when it was sent, so it always
downloads as it was. Public variants are built from the snapshot without its confidential
parts (``progress.public``), so no count or total gives them away. Both kinds are registered
in :data:`ivp.documents.exports.DOCUMENTS` from this package's ``apps.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import Q

from ivp.beleidsplan.services import printed_decimals
from ivp.documents.charts import Band, Line, TrendChart, format_number, render_png
from ivp.documents.docx_writer import dutch_date
from ivp.documents.ivp_document import text_blocks
from ivp.documents.model import (
    BulletList,
    Document,
    Figure,
    Paragraph,
    Section,
    Span,
    Table,
)
from ivp.plans.models import Plan
from ivp.sturing import periods, verdicts
from ivp.sturing import progress as pg

STATUS_COLUMNS = ("op_schema", "vertraagd", "gereed", "gestopt", "geen_melding")
VERDICT_NOTE = (
    "Oordeel: ‘op koers’ als de streefwaarde is bereikt of het cijfer aantoonbaar in de goede "
    "richting is veranderd; ‘nog binnen de gewone schommeling’ als het verschil met de "
    "uitgangswaarde binnen de toevallige jaar-op-jaarschommeling van deze reeks valt; ‘achter "
    "op doel’ als het cijfer aantoonbaar de verkeerde kant op gaat of de streefwaarde in het "
    "streefjaar niet is gehaald; ‘niet te toetsen’ bij cijfers zonder aantallen "
    "(bijvoorbeeld een rapportcijfer). v = voorlopig cijfer."
)


class ReportUnavailable(ValueError):
    """The asked period or year has no report (outside the plan's years)."""


# -- numbers -----------------------------------------------------------------------------


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return format_number(value, printed_decimals(value, unit))


def _real_text(r: Mapping[str, Any], unit: str) -> str:
    text = f"{number(r['value'], unit)} ({r['year']}{', v' if r['status'] == 'voorlopig' else ''})"
    if r.get("revises"):
        text += f" — herzien, eerder {number(r['revises']['value'], unit)}"
    return text


def baseline_text(ind: Mapping[str, Any]) -> str:
    b = ind["baseline"]
    if b["value"] is None:
        return "–"
    return f"{number(b['value'], ind['unit'])} ({b['year']}{', v' if b['provisional'] else ''})"


def target_text(ind: Mapping[str, Any]) -> str:
    t = ind["target"]
    if t["value"] is None:
        return "–"
    sign = "≤" if t["direction"] == "<=" else "≥"
    return f"{sign} {number(t['value'], ind['unit'])}" + (f" ({t['year']})" if t["year"] else "")


def latest_text(ind: Mapping[str, Any]) -> str:
    reals = ind["realisations"]
    return _real_text(reals[-1], ind["unit"]) if reals else "nog geen meting"


def indicator_label(ind: Mapping[str, Any]) -> str:
    return f"{ind['name']} ({ind['unit_label']})"


# -- charts ------------------------------------------------------------------------------


def indicator_chart(ind: Mapping[str, Any]) -> TrendChart | None:
    """Baseline → realisations → target, with the band of the usual variation around the
    baseline; None without a baseline."""
    b, t = ind["baseline"], ind["target"]
    if b["value"] is None or b["year"] is None:
        return None
    values = {str(b["year"]): b["value"]}
    provisional = None
    for r in ind["realisations"]:
        values[str(r["year"])] = r["value"]
        if r["status"] == "voorlopig" and provisional is None:
            provisional = str(r["year"])
    lines = [Line("Uitgangswaarde en realisaties", values, "own", provisional)]
    years = [int(y) for y in values]
    if t["value"] is not None and t["year"]:
        y0, y1 = int(b["year"]), int(t["year"])
        steps = max(y1 - y0, 1)
        course = {
            str(y): b["value"] + (t["value"] - b["value"]) * (y - y0) / steps
            for y in range(y0, y1 + 1)
        }
        lines.append(Line("Koers naar de streefwaarde", course, "reference"))
        years.append(int(t["year"]))
    band = None
    if ind.get("noise_band"):
        span = range(min(years), max(years) + 1)
        band = Band(
            "Gewone schommeling rond de uitgangswaarde",
            {str(y): ind["noise_band"]["low"] for y in span},
            {str(y): ind["noise_band"]["high"] for y in span},
        )
    return TrendChart(
        title=ind["name"],
        y_label=ind["unit_label"],
        lines=tuple(lines),
        band=band,
        source=f"Bron: {ind['source']}" if ind.get("source") else "",
        highlight_year=str(b["year"]),
    )


def chart_alt(ind: Mapping[str, Any]) -> str:
    """The chart's numbers as text (for readers who cannot see it)."""
    parts = [f"uitgangswaarde {baseline_text(ind)}"]
    parts += [f"realisatie {_real_text(r, ind['unit'])}" for r in ind["realisations"]]
    if ind["target"]["value"] is not None:
        parts.append(f"streefwaarde {target_text(ind)}")
    if ind.get("noise_band"):
        nb = ind["noise_band"]
        parts.append(
            f"gewone schommeling {number(nb['low'], ind['unit'])} tot "
            f"{number(nb['high'], ind['unit'])}"
        )
    return f"{ind['name']}: " + "; ".join(parts) + f". Oordeel: {ind['verdict']['label']}."


def _figure(ind: Mapping[str, Any]) -> Figure | None:
    chart = indicator_chart(ind)
    if chart is None:
        return None
    return Figure(
        png=render_png(chart, width_cm=14.0, height_cm=6.5),
        caption=f"{ind['name']}: uitgangswaarde, realisaties en streefwaarde",
        source=chart.source,
        width_cm=14.0,
        alt=chart_alt(ind),
    )


# -- tables ------------------------------------------------------------------------------


def status_table(
    snapshot: Mapping[str, Any], caption: str = "Maatregelen naar stand van de voortgang"
) -> Table:
    rows = []
    for part in snapshot["parts"]:
        if not part["measures"]:
            continue
        label = part["title"] + (" (overig thema)" if part["kind"] == "cluster" else "")
        rows.append((label, *(str(part["counts"][s]) for s in STATUS_COLUMNS)))
    rows.append(("Totaal", *(str(snapshot["counts"][s]) for s in STATUS_COLUMNS)))
    return Table(
        columns=("Prioriteit of thema", *(pg.STATUS_LABELS[s] for s in STATUS_COLUMNS)),
        rows=tuple(rows),
        caption=caption,
        numeric_columns=frozenset(range(1, 6)),
        widths=(6.0, 2.0, 2.0, 2.0, 2.0, 2.4),
    )


def verdict_table(indicators: Sequence[Mapping[str, Any]], caption: str) -> Table:
    return Table(
        columns=("Indicator", "Uitgangswaarde", "Laatste realisatie", "Doel", "Oordeel"),
        rows=tuple(
            (
                indicator_label(i),
                baseline_text(i),
                latest_text(i),
                target_text(i),
                i["verdict"]["label"],
            )
            for i in indicators
        ),
        caption=caption,
        source=VERDICT_NOTE,
        widths=(5.4, 2.6, 3.2, 2.4, 3.0),
    )


def realisation_table(ind: Mapping[str, Any]) -> Table:
    b = ind["baseline"]
    rows = [
        (
            "Uitgangswaarde",
            str(b["year"] or "–"),
            number(b["value"], ind["unit"]),
            "voorlopig" if b["provisional"] else "",
        )
    ]
    for r in ind["realisations"]:
        note = "voorlopig" if r["status"] == "voorlopig" else "definitief"
        if r["origin"] == "hand":
            note += ", met de hand ingevoerd"
        if r.get("revises"):
            note += f"; herziening van {number(r['revises']['value'], ind['unit'])}"
        rows.append(("Realisatie", str(r["year"]), number(r["value"], ind["unit"]), note))
    if ind["target"]["value"] is not None:
        t = ind["target"]
        rows.append(
            (
                "Doel",
                str(t["year"] or "–"),
                ("≤ " if t["direction"] == "<=" else "≥ ") + number(t["value"], ind["unit"]),
                "streefwaarde",
            )
        )
    sources = sorted({r["source"] for r in ind["realisations"] if r.get("source")})
    return Table(
        columns=("", "Jaar", ind["unit_label"].capitalize(), "Toelichting"),
        rows=tuple(rows),
        caption=ind["name"],
        source="Bron: " + "; ".join(sources) if sources else "",
        numeric_columns=frozenset({2}),
        widths=(3.0, 1.6, 3.0, 7.0),
    )


def measure_table(measures: Sequence[Mapping[str, Any]]) -> Table:
    return Table(
        columns=("Maatregel", "Stand", "Toelichting", "Gemeld"),
        rows=tuple(
            (
                m["title"],
                m["status_label"],
                m["text"] or "–",
                (_day(m["date"]) + (f", {m['by']}" if m["by"] else "")) if m["date"] else "–",
            )
            for m in measures
        ),
        widths=(4.6, 2.2, 7.0, 3.2),
    )


def _lead(title: str, rest: str) -> tuple[Span, ...]:
    """A list item whose lead (a title from the plan) is bold; the title's own characters
    are never read as marks."""
    return (Span(title, bold=True), Span(rest))


def _day(iso: str) -> str:
    return dutch_date(date.fromisoformat(iso))


# -- sections ----------------------------------------------------------------------------


def _indicator_blocks(ind: Mapping[str, Any]) -> list:
    blocks: list = [realisation_table(ind)]
    fig = _figure(ind)
    if fig is not None:
        blocks.append(fig)
    blocks.append(Paragraph(f"Oordeel: {ind['verdict']['label']}. {ind['verdict']['text']}"))
    return blocks


def part_sections(snapshot: Mapping[str, Any], *, year: int | None = None) -> list[Section]:
    """A section per priority and cluster with measures or indicators; ``year``: the
    jaarbeeld's view (what happened in that year). The plan's overarching indicators
    come first."""
    sections = []
    if snapshot["plan_indicators"]:
        s = Section("Overkoepelende indicatoren", new_page=True)
        for ind in snapshot["plan_indicators"]:
            s.blocks.extend(_indicator_blocks(ind))
        sections.append(s)
    for part in snapshot["parts"]:
        if not part["measures"] and not part["indicators"]:
            continue
        kind = "Prioriteit" if part["kind"] == "prioriteit" else "Overig strategisch thema"
        s = Section(f"{kind}: {part['title']}", confidential=part["confidential"], new_page=True)
        if part["confidential"]:
            s.blocks.append(
                Paragraph("Vertrouwelijk: dit onderdeel staat niet in de openbare versie.", "note")
            )
        if part.get("goal"):
            s.blocks.append(Paragraph("Doel van deze aanpak:", "lead"))
            s.blocks.extend(text_blocks(part["goal"]))
        if part["measures"]:
            sub = Section("Voortgang van de maatregelen")
            sub.blocks.append(
                measure_table(part["measures"]) if year is None else done_table(part, year)
            )
            s.subsections.append(sub)
        if part["indicators"]:
            sub = Section("Effectindicatoren: realisatie en doel")
            for ind in part["indicators"]:
                sub.blocks.extend(_indicator_blocks(ind))
            s.subsections.append(sub)
        sections.append(s)
    return sections


def done_table(part: Mapping[str, Any], year: int) -> Table:
    rows = []
    for m in part["measures"]:
        during = [h for h in m["history"] if h["date"].startswith(str(year))]
        what = " ".join(
            f"{_day(h['date'])}: {h['status_label'].lower()}"
            + (f" — {h['text']}" if h["text"] else "")
            for h in reversed(during)
        )
        rows.append((m["title"], m["status_label"], what or "Geen melding in dit jaar."))
    return Table(
        columns=("Maatregel", f"Stand eind {year}", f"Wat er in {year} gebeurde"),
        rows=tuple(rows),
        widths=(4.6, 2.4, 10.0),
    )


def dashboard(snapshot: Mapping[str, Any], title: str, *, scope: str = "") -> Section:
    """Counts and verdicts in one view; ``scope`` qualifies the measures ("gezamenlijke ")."""
    s = Section(title)
    c = snapshot["counts"]
    total = sum(c.values())
    s.blocks.append(
        Paragraph(
            f"Voortgang van het uitvoeringsplan {snapshot['implementation_plan'] or ''}: van de "
            f"{total} {scope}maatregelen zijn er {c['op_schema']} op schema, {c['gereed']} gereed, "
            f"{c['vertraagd']} vertraagd en {c['gestopt']} gestopt"
            + (f"; over {c['geen_melding']} is nog niets gemeld" if c["geen_melding"] else "")
            + ".",
            "lead",
        )
    )
    if total:
        s.blocks.append(status_table(snapshot))
    indicators = snapshot["indicators"]
    if indicators:
        v = snapshot["verdicts"]
        said = [f"{n} {verdicts.LABELS[code]}" for code, n in v.items() if n]
        s.blocks.append(
            Paragraph(
                f"Van de {len(indicators)} effectindicatoren: " + ", ".join(said) + ". "
                f"De cijfers lopen tot en met {snapshot['period']['figures_up_to']}."
            )
        )
        s.blocks.append(verdict_table(indicators, "Effectindicatoren: realisatie en doel"))
    return s


# -- joint plans: the base team first, then a page per gemeente -----------------------------


def local_overview(snapshot: Mapping[str, Any]) -> list:
    """The members' local parts in one table (the dashboard of a joint plan)."""
    rows = tuple(
        (
            m["name"],
            *(str(m["counts"][s]) for s in STATUS_COLUMNS),
            str(m["knelpunten"]),
            str(m["indicators"]),
        )
        for m in snapshot.get("local") or []
    )
    if not rows:
        return []
    return [
        Paragraph(
            "De gemeenten van het basisteam werken samen aan de gezamenlijke prioriteiten "
            "hierboven. Daarnaast heeft elke gemeente haar eigen, lokale deel: per gemeente "
            "de lokale maatregelen naar stand en de lokale effectindicatoren, elk verderop "
            "op een eigen pagina."
        ),
        Table(
            columns=(
                "Gemeente",
                *(pg.STATUS_LABELS[s] for s in STATUS_COLUMNS),
                "Knelpunten",
                "Indicatoren",
            ),
            rows=rows,
            caption="Lokale delen per gemeente",
            numeric_columns=frozenset(range(1, 8)),
            widths=(3.6, 1.8, 1.8, 1.7, 1.7, 2.0, 2.0, 2.0),
        ),
    ]


def local_section(local: Mapping[str, Any], name: str, *, year: int | None = None) -> Section:
    """The page of one gemeente: its local priorities and clusters, their measures with
    the status counts and knelpunten, their indicators with realisations and verdicts."""
    s = Section(f"Lokaal deel: {name}", new_page=True)
    shown = [p for p in local["parts"] if p["measures"] or p["indicators"]]
    if not shown:
        s.blocks.append(
            Paragraph(
                f"{name} heeft in dit plan geen lokale prioriteiten of thema's met maatregelen "
                "of indicatoren; voor deze gemeente gelden de gezamenlijke onderdelen."
            )
        )
        return s
    c = local["counts"]
    total = sum(c.values())
    if total:
        s.blocks.append(
            Paragraph(
                f"Van de {total} lokale maatregelen van {name} zijn er {c['op_schema']} op "
                f"schema, {c['gereed']} gereed, {c['vertraagd']} vertraagd en {c['gestopt']} "
                "gestopt"
                + (f"; over {c['geen_melding']} is nog niets gemeld" if c["geen_melding"] else "")
                + ".",
                "lead",
            )
        )
        s.blocks.append(status_table(local, f"Lokale maatregelen van {name} naar stand"))
    if local["knelpunten"]:
        s.blocks.append(Paragraph("Knelpunten:", "lead"))
        s.blocks.append(
            BulletList(
                tuple(
                    _lead(
                        k["title"],
                        f" ({k['status_label'].lower()})" + (f": {k['text']}" if k["text"] else ""),
                    )
                    for k in local["knelpunten"]
                )
            )
        )
    if local["indicators"]:
        s.blocks.append(verdict_table(local["indicators"], f"Lokale effectindicatoren van {name}"))
    for sub in part_sections(local, year=year):
        sub.new_page = False
        s.subsections.append(sub)
    return s


def local_sections(snapshot: Mapping[str, Any], *, year: int | None = None) -> list[Section]:
    return [
        local_section(pg.local_part(snapshot, code), name, year=year)
        for code, name in pg.members_of(snapshot)
    ]


def knelpunten_section(snapshot: Mapping[str, Any]) -> Section:
    s = Section("Knelpunten")
    rows = snapshot["knelpunten"]
    if not rows:
        s.blocks.append(Paragraph("Er zijn geen vertraagde of gestopte maatregelen."))
        return s
    s.blocks.append(
        Paragraph("Maatregelen die vertraagd of gestopt zijn, met de toelichting van de trekker.")
    )
    s.blocks.append(
        Table(
            columns=("Maatregel", "Onderdeel van", "Stand", "Toelichting"),
            rows=tuple((k["title"], k["part"], k["status_label"], k["text"] or "–") for k in rows),
            widths=(4.4, 3.8, 2.2, 7.0),
        )
    )
    return s


def signals_section(snapshot: Mapping[str, Any]) -> Section:
    s = Section("Nieuwe signalen")
    found = snapshot["signals"]
    if not found:
        s.blocks.append(
            Paragraph(
                "De nieuwste cijfers wijzen niet op een thema buiten de prioriteiten dat "
                "aantoonbaar meer aandacht vraagt."
            )
        )
        return s
    s.blocks.append(
        Paragraph(
            "Wat de nieuwste cijfers laten zien buiten de prioriteiten van het plan: thema's "
            "waar de analyse een aantoonbare verandering of afwijking vindt. Het "
            "voortgangsoverleg bespreekt of ze om een aanpak vragen."
        )
    )
    s.blocks.append(
        BulletList(tuple(_lead(x["title"], f" ({x['year']}): {x['text']}") for x in found))
    )
    return s


def meeting_section(snapshot: Mapping[str, Any], title: str = "Voortgangsoverleg") -> Section:
    s = Section(title)
    rows = snapshot.get("meeting") or []
    s.blocks.append(
        Table(
            columns=("Agendapunt", "Soort", "Besluit"),
            rows=tuple(
                (
                    p["title"],
                    p["kind_label"],
                    (p["decision"] or "Nog geen besluit.")
                    + (f" Nieuwe maatregel: {p['new_measure']}." if p["new_measure"] else ""),
                )
                for p in rows
            ),
            widths=(6.0, 2.4, 8.0),
        )
    )
    return s


def accountability_section(snapshot: Mapping[str, Any]) -> Section:
    s = Section("Verantwoording")
    s.blocks.append(
        Paragraph(
            "De stand van een maatregel is de laatste melding van de trekker of bijdrager tot "
            f"het einde van de periode ({_day(snapshot['period']['end'])}). Realisaties van "
            "indicatoren met een gekoppelde reeks komen uit de geregistreerde cijfers; een "
            "herzien cijfer staat met het eerdere cijfer vermeld."
        )
    )
    s.blocks.append(
        Paragraph(
            "Het oordeel over een indicator vergelijkt het aantal van het laatste jaar met dat "
            "van het uitgangsjaar (naar inwoners of woningen) met een toets die rekening houdt "
            "met de extra schommeling van deze reeks van jaar tot jaar (overdispersie). ‘Binnen "
            "de gewone schommeling’ betekent dat de cijfers nog geen verandering kunnen "
            "aantonen, niet dat er geen was."
        )
    )
    sources = sorted(
        {r["source"] for i in snapshot["indicators"] for r in i["realisations"] if r["source"]}
    )
    if sources:
        s.blocks.append(Paragraph("Bronnen:", "lead"))
        s.blocks.append(BulletList(tuple(sources)))
    return s


# -- documents ---------------------------------------------------------------------------


def _frozen(plan: Plan, soort: str, code: str):
    from ivp.sturing.models import Rapportage

    return Rapportage.objects.filter(
        plan=plan, soort=soort, periode=code, status=Rapportage.Status.VERZONDEN
    ).first()


def snapshot_for(plan: Plan, soort: str, code: str, *, public: bool) -> tuple[dict, Any]:
    """The content of a report: frozen when sent, live otherwise (with the concept's
    conclusions); without confidential parts when ``public``."""
    from ivp.sturing.models import Rapportage

    sent = _frozen(plan, soort, code)
    if sent is not None:
        snapshot = sent.inhoud
    else:
        snapshot = pg.progress(plan, period=code, internal=True)
        concept = Rapportage.objects.filter(plan=plan, soort=soort, periode=code).first()
        snapshot["conclusies"] = concept.conclusies if concept else ""
    return (pg.public(snapshot) if public else snapshot), sent


def _scoped_snapshot(
    plan: Plan, soort: str, code: str, *, public: bool, municipality: str | None
) -> tuple[dict, Any]:
    """:func:`snapshot_for`, narrowed to one member's version with ``municipality``."""
    snapshot, sent = snapshot_for(plan, soort, code, public=public)
    if municipality:
        if not pg.is_joint(snapshot) or municipality not in dict(pg.members_of(snapshot)):
            from ivp.documents.exports import UnknownExport

            raise UnknownExport(f"This report of plan {plan.pk} has no part of {municipality}")
        snapshot = pg.for_member(snapshot, municipality)
    return snapshot, sent


def _check_period(plan: Plan, p: periods.Period) -> None:
    if not plan.periode_start <= p.year <= plan.periode_eind:
        from ivp.documents.exports import UnknownExport

        raise UnknownExport(
            f"{p.code} is outside the plan's years {plan.periode_start}–{plan.periode_eind}"
        )


def _document(
    plan: Plan, snapshot: Mapping[str, Any], sent, *, kind: str, subtitle: str, public: bool
) -> Document:
    names = snapshot["plan"]["municipalities"]
    organisation = ("Gemeente " if len(names) <= 1 else "Gemeenten ") + ", ".join(names)
    subtitle = snapshot["plan"]["title"]
    if snapshot["plan"].get("member"):
        own = pg.members_of(snapshot)[0][1]
        organisation = f"Gemeente {own}"
        subtitle += f" — deel van de gemeente {own}"
    when = sent.verzonden_op if sent is not None else None
    status = (
        f"verzonden op {dutch_date(when.date())}"
        if isinstance(when, datetime)
        else "concept: nog niet verzonden"
    )
    if not public:
        status += " · interne versie met vertrouwelijke onderdelen"
    period = snapshot["plan"]["period"]
    return Document(
        title=f"{kind} {snapshot['period']['label']}",
        subtitle=subtitle,
        organisation=organisation,
        kind=kind,
        status=status,
        date=when.date() if isinstance(when, datetime) else date.today(),
        period=f"{period[0]}–{period[1]}",
        with_toc=False,
        new_page_per_chapter=False,
    )


def build_voortgangsrapportage(
    plan: Plan, *, public: bool = True, period: str | None = None, municipality: str | None = None
) -> Document:
    """The report of a period; of a joint plan the base team's level first, then a page per
    gemeente (``municipality``: only that gemeente's page, for its council)."""
    try:
        p = periods.parse(period) if period else pg.default_period(plan)
    except periods.BadPeriod as error:
        from ivp.documents.exports import UnknownExport

        raise UnknownExport(str(error)) from None
    _check_period(plan, p)
    snapshot, sent = _scoped_snapshot(
        plan, "voortgangsrapportage", p.code, public=public, municipality=municipality
    )
    doc = _document(plan, snapshot, sent, kind="Voortgangsrapportage", subtitle="", public=public)
    if pg.is_joint(snapshot):
        shared = pg.shared_part(snapshot)
        head = dashboard(
            shared, "Dashboard: gezamenlijke voortgang in één oogopslag", scope="gezamenlijke "
        )
        head.blocks.extend(local_overview(snapshot))
        doc.sections = [
            head,
            *part_sections(shared),
            knelpunten_section(shared),
            *local_sections(snapshot),
            signals_section(snapshot),
        ]
        doc.sections[-1].new_page = True
    else:
        doc.sections = [
            dashboard(snapshot, "Dashboard: voortgang in één oogopslag"),
            *part_sections(snapshot),
            knelpunten_section(snapshot),
            signals_section(snapshot),
        ]
    if snapshot.get("meeting"):
        doc.sections.append(meeting_section(snapshot))
    if snapshot.get("conclusies"):
        s = Section("Conclusies van de werkgroep")
        s.blocks.extend(text_blocks(snapshot["conclusies"]))
        doc.sections.append(s)
    doc.sections.append(accountability_section(snapshot))
    doc.sections[-1].new_page = True
    return doc.public() if public else doc


def build_jaarbeeld(
    plan: Plan, *, public: bool = True, year: int | None = None, municipality: str | None = None
) -> Document:
    """The jaarbeeld of a year; of a joint plan the base team's level first, then a page per
    gemeente (``municipality``: only that gemeente's page, for its council)."""
    p = periods.parse(str(year)) if year else periods.parse(str(pg.default_period(plan).year))
    _check_period(plan, p)
    full, sent = _scoped_snapshot(
        plan, "jaarbeeld", p.code, public=public, municipality=municipality
    )
    doc = _document(plan, full, sent, kind="Jaarbeeld", subtitle="", public=public)
    joint = pg.is_joint(full)
    snapshot = pg.shared_part(full) if joint else full
    summary = dashboard(
        snapshot,
        f"Het jaar {p.year} in één oogopslag",
        scope="gezamenlijke " if joint else "",
    )
    summary.blocks.extend(local_overview(full))
    reports = _sent_reports(plan, p.year)
    if reports:
        summary.blocks.append(
            Paragraph(
                "Dit jaarbeeld bundelt de voortgangsrapportages van " + ", ".join(reports) + "."
            )
        )
    done = Section(f"Wat er in {p.year} is gedaan")
    done.blocks.append(
        Paragraph(
            "Per prioriteit en overig thema: de maatregelen met hun stand aan het eind van het "
            "jaar en de meldingen van de trekkers in het jaar, en de effectindicatoren."
            + (
                " Hier de gezamenlijke onderdelen; de lokale delen staan per gemeente verderop."
                if joint
                else ""
            )
        )
    )
    done.subsections = part_sections(snapshot, year=p.year)
    for sub in done.subsections:
        sub.new_page = False
    reached = Section("Wat er is bereikt")
    indicators = snapshot["indicators"]
    if indicators:
        reached.blocks.append(verdict_table(indicators, f"Effectindicatoren eind {p.year}"))
        reached.blocks.append(
            BulletList(
                tuple(
                    _lead(i["name"], f": {i['verdict']['label']}. {i['verdict']['text']}")
                    for i in indicators
                )
            )
        )
    elif joint:
        reached.blocks.append(
            Paragraph(
                "De gezamenlijke onderdelen hebben geen effectindicatoren; de lokale "
                "effectindicatoren staan per gemeente verderop."
            )
        )
    else:
        reached.blocks.append(Paragraph("Het plan heeft geen effectindicatoren."))
    picture = signals_section(snapshot)
    picture.title = "Wat er veranderde in het veiligheidsbeeld"
    revised = [
        f"{i['name']} {r['year']}: {_real_text(r, i['unit'])}"
        for i in full["indicators"]
        for r in i["realisations"]
        if r.get("revises")
    ]
    if revised:
        picture.blocks.append(Paragraph("Herziene cijfers:", "lead"))
        picture.blocks.append(BulletList(tuple(revised)))
    doc.sections = [summary, done, reached]
    if joint:
        doc.sections.extend(local_sections(full, year=p.year))
        picture.new_page = True
    doc.sections.append(picture)
    if snapshot.get("meeting"):
        doc.sections.append(meeting_section(snapshot, "Besluiten van het voortgangsoverleg"))
    if snapshot.get("conclusies"):
        s = Section("Conclusies van de werkgroep")
        s.blocks.extend(text_blocks(snapshot["conclusies"]))
        doc.sections.append(s)
    doc.sections.append(accountability_section(full))
    return doc.public() if public else doc


def _sent_reports(plan: Plan, year: int) -> list[str]:
    from ivp.sturing.models import Rapportage

    rows = Rapportage.objects.filter(
        plan=plan,
        soort=Rapportage.Soort.VOORTGANG,
        status=Rapportage.Status.VERZONDEN,
        periode__startswith=str(year),
    ).order_by("periode")
    return [periods.parse(r.periode).label for r in rows]


def terugblik(plan: Plan, year: int) -> str | None:
    """The look back of the next year's implementation plan, from the jaarbeeld of ``year``
    (the sent one, or the live picture); None when the plan has no step-6 figures."""
    p = periods.parse(str(year))
    if not plan.periode_start <= year <= plan.periode_eind or not _used_in(plan, year):
        return None
    snapshot, _sent = snapshot_for(plan, "jaarbeeld", p.code, public=False)
    c = snapshot["counts"]
    lines = [f"Terugblik op {year}, uit het jaarbeeld {year}."]
    total = sum(c.values())
    if total:
        lines.append(
            f"Van de {total} maatregelen waren er eind {year} {c['op_schema']} op schema, "
            f"{c['gereed']} gereed, {c['vertraagd']} vertraagd en {c['gestopt']} gestopt"
            + (f"; over {c['geen_melding']} werd niets gemeld" if c["geen_melding"] else "")
            + "."
        )
    for k in snapshot["knelpunten"]:
        lines.append(
            f"- Knelpunt: {k['title']} ({k['status_label'].lower()})"
            + (f": {k['text']}" if k["text"] else "")
        )
    for ind in snapshot["indicators"]:
        if ind["realisations"]:
            lines.append(
                f"- {ind['name']}: uitgangswaarde {baseline_text(ind)}, laatste realisatie "
                f"{latest_text(ind)}, doel {target_text(ind)}: {ind['verdict']['label']}."
            )
    for s in snapshot["signals"]:
        lines.append(f"- Nieuw signaal: {s['title']}.")
    if snapshot.get("conclusies"):
        lines.append("")
        lines.append(f"Conclusies van de werkgroep: {snapshot['conclusies']}")
    return "\n".join(lines)


def _used_in(plan: Plan, year: int) -> bool:
    """Did the plan use step 6 in ``year`` (progress reports, realisations or a report)?"""
    from ivp.sturing.models import Rapportage, Realisatie, Voortgangsupdate

    return (
        Voortgangsupdate.objects.filter(maatregel__onderdeel__uitvoeringsplan__plan=plan)
        .filter(Q(datum__year=year) | Q(maatregel__onderdeel__uitvoeringsplan__jaar=year))
        .exists()
        or Realisatie.objects.filter(indicator__plan=plan, jaar=year).exists()
        or Rapportage.objects.filter(plan=plan, soort="jaarbeeld", periode=str(year)).exists()
    )


def document_kinds() -> list:
    """Both reports as kinds of ``documents.exports`` (web, jobs, CLI); collected from this
    app's config when the exports load (``SturingConfig.document_kinds``)."""
    from ivp.documents.exports import DocumentKind

    return [
        DocumentKind(
            "voortgangsrapportage",
            "Voortgangsrapportage",
            build_voortgangsrapportage,
            public_aware=True,
            options=frozenset({"period", "municipality"}),
        ),
        DocumentKind(
            "jaarbeeld",
            "Jaarbeeld",
            build_jaarbeeld,
            public_aware=True,
            options=frozenset({"year", "municipality"}),
        ),
    ]
