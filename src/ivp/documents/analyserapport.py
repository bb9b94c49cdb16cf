"""The veiligheidsanalyserapportage (step 2): per safety field and theme the figures of the
veiligheidsbeeld (counts, rates, change, trend, comparison, candidates) next to the working
group's answers to the handbook's three questions, and per field the plausible priorities.

Every figure comes from ``veiligheidsanalyse.services.veiligheidsbeeld`` (the same one the
pages and ``ivp analyse`` show); every table and chart names its source as a publication does
("Bron: CBS/Politie, Geregistreerde misdrijven (47018NED), geraadpleegd …",
``documents.sources``); how a table reached ivp stays in the application. A question the
working group has not answered yet is left out, and the leeswijzer says so.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ivp.analysis import explain
from ivp.analysis import veiligheidsbeeld as vb
from ivp.analysis.benchmark import GroupComparison
from ivp.analysis.change import SMALL_COUNT, Comparison
from ivp.analysis.trend import Trend, TrendRichting
from ivp.documents import charts
from ivp.documents.model import (
    BulletList,
    DefinitionList,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
)
from ivp.plans.models import Plan
from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.models import AnalyseTekst, Besluit, KandidaatBesluit, Oordeel

NOT_JUDGED = "geen oordeel"
YEARS_IN_TABLE = 5
POPULATION_TABLES = ("70072NED", "85984NED", "37230NED")
DEFAULT_LICENCE = "CC BY 4.0"
DASH = "–"
MINUS = "\N{MINUS SIGN}"
SIGNIFICANT = "*"
PROVISIONAL_MARK = " (v)"
_PNG_LOCK = threading.Lock()

LEGEND_NOTE = (
    f"{SIGNIFICANT} = aantoonbaar (groter dan de gewone schommeling); {DASH} = geen cijfer "
    f"(niet gepubliceerd of niet te berekenen); (v) = voorlopig cijfer."
)

QUESTION_LABELS = {
    "probleem": "Problematiek",
    "huidige_aanpak": "Huidige aanpak",
    "extra": "Extra gewenst",
}


# -- numbers the Dutch way -------------------------------------------------------------


def _swap(text: str) -> str:
    return text.translate(str.maketrans({",": ".", ".": ","}))


def number(value: float | None) -> str:
    """A count: 1259 → "1.259"."""
    if value is None:
        return DASH
    return _swap(f"{round(value):,}")


def decimal(value: float | None, digits: int = 1) -> str:
    if value is None:
        return DASH
    text = _swap(f"{value:,.{digits}f}")
    return text.replace("-", MINUS)


def rate(value: float | None) -> str:
    """A rate per 1,000: one decimal ("8,2"), two below 1 ("0,33")."""
    if value is None:
        return DASH
    return decimal(value, 2 if abs(value) < 1 else 1)


def percent(value: float | None, digits: int = 0) -> str:
    """A change: "+16%", "−26%", "0%"."""
    if value is None:
        return DASH
    rounded = round(value, digits)
    text = decimal(abs(rounded), digits)
    if rounded > 0:
        return f"+{text}%"
    if rounded < 0:
        return f"{MINUS}{text}%"
    return f"{text}%"


def times(value: float | None) -> str:
    return DASH if value is None else f"{decimal(value, 1)}×"


def p_value(value: float | None) -> str:
    if value is None:
        return ""
    if value < 0.001:
        return "p < 0,001"
    return f"p = {decimal(value, 3)}"


# -- sources ---------------------------------------------------------------------------


@dataclass
class _Sources:
    """The sources of one veiligheidsbeeld, to name under tables and charts."""

    picture: vb.Veiligheidsbeeld

    def tables(self, keys: Iterable[str]) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for key in keys:
            info = self.picture.sources.get(key)
            if info:
                found.setdefault(info["table"], info)
        return found

    def population_keys(self) -> list[str]:
        return [k for k in self.picture.sources if k.split("|")[0] in POPULATION_TABLES]

    def line(self, keys: Iterable[str], *, with_population: bool = True, extra: str = "") -> str:
        """ "Bron: CBS/Politie, Geregistreerde misdrijven (47018NED), geraadpleegd in 2026;
        CBS, Regionale kerncijfers Nederland (70072NED), geraadpleegd in 2026." """
        from ivp.documents.sources import source_line

        crime = self.tables(keys)
        population = self.tables(self.population_keys()) if with_population else {}
        infos = [*crime.values(), *(i for t, i in population.items() if t not in crime)]
        text = source_line(infos) or "Bron: geen cijfers beschikbaar."
        return f"{text}{f' {extra}' if extra else ''}"

    def chart_line(self, keys: Iterable[str]) -> str:
        """The short source drawn inside a chart image (the full one is under it)."""
        crime = self.tables(keys)
        population = self.tables(self.population_keys())
        tables = [*crime, *(t for t in population if t not in crime)]
        who = sorted(
            {_attribution(i).removeprefix("Bron: ").replace(" / ", "/") for i in crime.values()}
        )
        who = who or ["CBS"]
        return f"Bron: {' en '.join(who)} ({', '.join(tables)})"


def _attribution(info: Mapping[str, str]) -> str:
    text = (info.get("attribution") or "").strip() or "Bron: CBS"
    return text if text.startswith("Bron:") else f"Bron: {text}"


# -- the figures of one series ---------------------------------------------------------


def _marked(value: str, comparison: Comparison | None) -> str:
    if comparison is not None and comparison.test.significant:
        return f"{value}{SIGNIFICANT}"
    return value


def _table_years(picture: vb.Veiligheidsbeeld) -> list[int]:
    return list(picture.years[-YEARS_IN_TABLE:])


def _year_label(picture: vb.Veiligheidsbeeld, year: int) -> str:
    return f"{year}{PROVISIONAL_MARK}" if year in picture.provisional_years else str(year)


def _series_row(
    picture: vb.Veiligheidsbeeld, series: vb.SeriesPicture, label: str, unit_name: str
) -> tuple[str, ...]:
    years = _table_years(picture)
    ev = series.evidence
    previous = ev.change.vs_previous if ev else None
    mean = ev.change.vs_mean if ev else None
    unit_change = series.reference_changes.get(unit_name) if unit_name else None
    return (
        label,
        *(number(series.counts.get(str(y))) for y in years),
        _marked(percent(previous.percent), previous) if previous else DASH,
        _marked(percent(mean.percent), mean) if mean else DASH,
        rate(series.rates.get(str(picture.year))),
        percent(unit_change),
    )


def _unit_name(picture: vb.Veiligheidsbeeld) -> str:
    """The politie-eenheid's reference name, e.g. "politie-eenheid Oost-Brabant"."""
    return next((d for n, d, _m in picture.groups if n == vb.UNIT_MEMBERS), "")


def _group_label(picture: vb.Veiligheidsbeeld, name: str) -> str:
    for group, description, _members in picture.groups:
        if group == name:
            if name == vb.SIZE_CLASS:
                return f"vergelijkbare gemeenten ({description[:1].lower()}{description[1:]})"
            return f"gemeenten van de {description}"
    return name


def figures_table(
    picture: vb.Veiligheidsbeeld, theme: vb.ThemePicture, sources: _Sources, area: str
) -> Table | None:
    main = [c for c in theme.categories if c.code in theme.total.categories]
    also = [c for c in theme.categories if c.code not in theme.total.categories]
    if not main and not also:
        return None
    years = _table_years(picture)
    year = picture.year
    unit_name = _unit_name(picture)
    rows = [_series_row(picture, c, f"{c.code} {c.title}", unit_name) for c in main]
    if len(main) > 1 and theme.total.has_data:
        rows.append(_series_row(picture, theme.total, "Totaal van het thema", unit_name))
    rows += [_series_row(picture, c, f"{c.code} {c.title} (¹)", unit_name) for c in also]
    notes = [LEGEND_NOTE]
    if also:
        notes.append("(¹) = ook getoond bij dit thema, meegeteld bij zijn hoofdthema.")
    if unit_name:
        notes.append(f"Eenheid: {unit_name} als één gebied, per 1.000 inwoners.")
    keys = [k for c in (*main, *also) for k in c.sources]
    return Table(
        columns=(
            "Soort misdrijf",
            *(_year_label(picture, y) for y in years),
            f"t.o.v. {year - 1}",
            f"t.o.v. gem. {year - 3}–{year - 1}",
            f"per 1.000 inw. {year}",
            f"eenheid t.o.v. {year - 1}",
        ),
        rows=tuple(rows),
        caption=f"Geregistreerde misdrijven {area}, thema {theme.code}",
        source=f"{sources.line(keys)} {' '.join(notes)}",
        numeric_columns=frozenset(range(1, len(years) + 5)),
        widths=(3.5, *([1.1] * len(years)), 1.5, 1.9, 1.5, 1.6),
    )


def _provisional_from(picture: vb.Veiligheidsbeeld, values: Mapping[str, float | None]):
    shown = [y for y in picture.provisional_years if values.get(str(y)) is not None]
    return str(min(shown)) if shown else None


def theme_chart(
    picture: vb.Veiligheidsbeeld, series: vb.SeriesPicture, sources: _Sources, area: str
) -> Figure | None:
    """Own rate against the median of comparable gemeenten (with P25–P75), the politie-eenheid
    and the Netherlands, over all years up to the reference year."""
    if not any(v is not None for v in series.rates.values()):
        return None
    lines = [
        charts.Line(
            area,
            series.rates,
            style="own",
            provisional_from=_provisional_from(picture, series.rates),
        )
    ]
    band = None
    unit_name = _unit_name(picture)
    for group in series.lines:
        if group.name == f"mediaan {vb.SIZE_CLASS}":
            lines.append(charts.Line(group.name, group.median, style="group"))
            band = charts.Band(f"middelste helft {vb.SIZE_CLASS}", group.p25, group.p75)
    for group in series.lines:
        if group.kind == "referentie" and group.name in (unit_name, vb.NETHERLANDS):
            style = "national" if group.name == vb.NETHERLANDS else "reference"
            lines.append(charts.Line(group.name, group.median, style=style))
    chart = charts.TrendChart(
        title="",
        y_label="per 1.000 inwoners",
        lines=tuple(lines),
        band=band,
        source=sources.chart_line(series.sources),
        highlight_year=str(picture.year),
    )
    national = next(
        (g.median for g in series.lines if g.kind == "referentie" and g.name == vb.NETHERLANDS),
        {},
    )
    last = max((int(y) for y, v in national.items() if v is not None), default=None)
    note = (
        f" De landelijke cijfers zijn er tot en met {last}."
        if last is not None and last < picture.year
        else ""
    )
    return Figure(
        png=_png(chart),
        caption=f"{series.title}, {area}: geregistreerde misdrijven per 1.000 inwoners, "
        "vergeleken met vergelijkbare gemeenten, de politie-eenheid en Nederland",
        source=sources.line(series.sources) + note,
        width_cm=15.0,
        alt=(
            f"Lijngrafiek van {series.title.lower()} in {area}: misdrijven per 1.000 inwoners per "
            "jaar, met de mediaan en de middelste helft van vergelijkbare gemeenten, de "
            "politie-eenheid en Nederland."
            + (
                f" In {picture.year}: {rate(series.rates.get(str(picture.year)))} per 1.000 "
                "inwoners."
                if series.rates.get(str(picture.year)) is not None
                else ""
            )
        ),
    )


_PNG_CACHE: OrderedDict[str, bytes] = OrderedDict()
_PNG_CACHE_SIZE = 96


def _png(chart: charts.TrendChart) -> bytes:
    """The chart as PNG. A chart is drawn the same for the same input, and drawing takes
    most of the time of an export, so the last charts are kept: downloading the report as
    DOCX and then as PDF draws them once."""
    key = repr(chart)
    with _PNG_LOCK:
        if key in _PNG_CACHE:
            _PNG_CACHE.move_to_end(key)
            return _PNG_CACHE[key]
    png = charts.render_png(chart, width_cm=15.0, height_cm=7.5, dpi=150)
    with _PNG_LOCK:
        _PNG_CACHE[key] = png
        while len(_PNG_CACHE) > _PNG_CACHE_SIZE:
            _PNG_CACHE.popitem(last=False)
    return png


def comparison_sentences(
    picture: vb.Veiligheidsbeeld, series: vb.SeriesPicture, area: str
) -> list[str]:
    ev = series.evidence
    if ev is None or ev.benchmark is None or ev.rate is None:
        return []
    bench = ev.benchmark
    sentences = [f"In {picture.year}: {rate(ev.rate)} {ev.rate_label}."]
    if series.rates_dwellings.get(str(picture.year)) is not None:
        sentences[0] += f" Per 1.000 woningen: {rate(series.rates_dwellings[str(picture.year)])}."
    for group in bench.groups:
        sentences.append(_group_sentence(picture, group, area))
    references = [
        f"{name} {rate(value)} ({times(bench.ratios.get(name))})"
        for name, value in bench.references.items()
        if value is not None
    ]
    if references:
        sentences.append(
            "Als één gebied: "
            + ", ".join(references)
            + f"; tussen haakjes de verhouding van {area} daartoe."
        )
    return sentences


def _group_sentence(picture: vb.Veiligheidsbeeld, group: GroupComparison, area: str) -> str:
    label = _group_label(picture, group.name)
    if group.median is None or group.rank is None:
        return f"Vergelijking met de {label}: niet mogelijk (te weinig gepubliceerde cijfers)."
    text = (
        f"Ten opzichte van de {label}: mediaan {rate(group.median)} "
        f"(middelste helft {rate(group.p25)} tot {rate(group.p75)}); {area} staat op plaats "
        f"{group.rank} van {group.of} (1 = hoogste), hoger dan "
        f"{decimal(group.percentile, 0)}% van de andere gemeenten, "
        f"{times(group.ratio_to_median)} de mediaan."
    )
    if group.missing:
        text += f" {len(group.missing)} gemeente(n) zonder gepubliceerd cijfer telt niet mee."
    if group.small_group:
        text += " Let op: kleine groep."
    return text


def _change_sentence(comparison: Comparison, label: str) -> str:
    rate_based = comparison.rate is not None and comparison.earlier_rate is not None
    what = "per 1.000 inwoners" if rate_based else "aantal"
    earlier = number(comparison.earlier_count)
    text = (
        f"Ten opzichte van {label}: {earlier} → {number(comparison.count)} misdrijven, "
        f"{percent(comparison.percent)} ({what}): {comparison.verdict}"
    )
    text += "."  # p-values: in the technical annex (analysis.explain)
    if comparison.small_count:
        text += (
            f" Kleine aantallen (minder dan {SMALL_COUNT}): alleen grote veranderingen zijn "
            "aantoonbaar."
        )
    if comparison.reason:
        text += f" ({comparison.reason})"
    return text


def change_sentences(series: vb.SeriesPicture) -> list[str]:
    ev = series.evidence
    if ev is None:
        return []
    previous, mean = ev.change.vs_previous, ev.change.vs_mean
    sentences = [_change_sentence(previous, str(ev.year - 1))]
    if mean.years:
        sentences.append(
            _change_sentence(mean, f"het gemiddelde van {mean.years[0]}–{mean.years[-1]}")
        )
    return sentences


def _trend_text(trend: Trend, label: str) -> str:
    if trend.richting is TrendRichting.ONBEKEND:
        return f"{label}: {trend.verdict}."
    text = (
        f"{label} ({trend.period}): gemiddeld {percent(trend.annual_percent, 1)} per jaar "
        f"(95%-interval {percent(trend.ci_low, 1)} tot {percent(trend.ci_high, 1)}), "
        f"{trend.verdict}"
    )
    text += "."
    if trend.few_years:
        text += f" Berekend op slechts {len(trend.years)} jaren."
    return text


def trend_sentences(series: vb.SeriesPicture) -> list[str]:
    ev = series.evidence
    if ev is None:
        return []
    sentences = [_trend_text(ev.trend, "Trend van de laatste jaren")]
    if ev.long_trend.years and ev.long_trend.period != ev.trend.period:
        sentences.append(_trend_text(ev.long_trend, "Over de hele reeks"))
    return sentences


def _trend_cell(series: vb.SeriesPicture) -> str:
    ev = series.evidence
    if ev is None or ev.trend.annual_percent is None:
        return DASH
    text = f"{percent(ev.trend.annual_percent, 0)}/jaar"
    return f"{text}{SIGNIFICANT}" if ev.trend.significant else text


def _benchmark_cell(series: vb.SeriesPicture) -> str:
    ev = series.evidence
    group = ev.benchmark.group(vb.SIZE_CLASS) if ev and ev.benchmark else None
    if group is None or group.ratio_to_median is None:
        return DASH
    return f"{times(group.ratio_to_median)} (plaats {group.rank}/{group.of})"


# -- indicators ------------------------------------------------------------------------


def indicators_table(
    picture: vb.Veiligheidsbeeld, theme: vb.ThemePicture, sources: _Sources, area: str
) -> Table | None:
    """The imported survey and own indicators placed at the theme; a 95% margin series is
    shown next to its indicator, not as one of its own."""
    margins = {
        i.key.removesuffix("|marge"): i for i in theme.indicators if i.key.endswith("|marge")
    }
    main = [i for i in theme.indicators if not i.key.endswith("|marge") and i.has_data]
    if not main:
        return None
    known = sorted({int(y) for i in main for y, v in i.counts.items() if v is not None})
    years = known[-YEARS_IN_TABLE:]
    rows = []
    for indicator in main:
        margin = margins.get(indicator.key)
        last = next((y for y in reversed(years) if indicator.counts.get(str(y)) is not None), None)
        margin_value = margin.counts.get(str(last)) if margin and last is not None else None
        rows.append(
            (
                indicator.title,
                *(_indicator_value(indicator.counts.get(str(y))) for y in years),
                f"±{decimal(margin_value, 1)}" if margin_value is not None else DASH,
                indicator.unit or "",
            )
        )
    keys = [k for i in theme.indicators for k in i.sources]
    return Table(
        columns=("Indicator", *(str(y) for y in years), "Marge (95%) laatste jaar", "Eenheid"),
        rows=tuple(rows),
        caption=f"Geïmporteerde indicatoren bij thema {theme.code}, {area}",
        source=sources.line(keys, with_population=False)
        + " Enquêtecijfers met een 95%-marge: een verschil binnen de marge is niet aantoonbaar.",
        numeric_columns=frozenset(range(1, len(years) + 2)),
        widths=(5.0, *([1.15] * len(years)), 2.0, 2.2),
    )


def _indicator_value(value: float | None) -> str:
    if value is None:
        return DASH
    return decimal(value, 1)


# -- the working group -----------------------------------------------------------------


def _oordeel(tekst: AnalyseTekst | None) -> str:
    if tekst is None or not tekst.oordeel:
        return NOT_JUDGED
    return tekst.get_oordeel_display()


def _oordeel_cell(tekst: AnalyseTekst | None) -> str:
    if tekst is None or not tekst.oordeel:
        return "nog niet beoordeeld"
    return {
        Oordeel.OP_ORDE: "op orde",
        Oordeel.AANDACHT: "aandacht nodig",
        Oordeel.PRIORITEIT: "plausibele prioriteit",
    }.get(tekst.oordeel, tekst.get_oordeel_display())


def answers(onderwerp: services.Onderwerp, tekst: AnalyseTekst | None) -> DefinitionList | None:
    """The working group's answers that are given (an unanswered question is left out)."""
    items = [
        (QUESTION_LABELS[v], (getattr(tekst, v, "") if tekst else "").strip())
        for v in onderwerp.vragen
        if v in QUESTION_LABELS
    ]
    items = [(label, text) for label, text in items if text]
    if "oordeel" in onderwerp.vragen and tekst is not None and tekst.oordeel:
        items.append(("Oordeel werkgroep", _oordeel(tekst)))
    return DefinitionList(tuple(items)) if items else None


def _decision_text(decision: KandidaatBesluit | None, *, in_sentence: bool = False) -> str:
    if decision is None:
        text = "Nog geen besluit"
    else:
        text = decision.get_besluit_display()
        if decision.toelichting.strip():
            text += f" ({decision.toelichting.strip()})"
    return f"{text[:1].lower()}{text[1:]}" if in_sentence else text


# -- building --------------------------------------------------------------------------


@dataclass
class _Area:
    """One gemeente of the plan with its figures (or why there are none)."""

    code: str
    name: str
    picture: vb.Veiligheidsbeeld | None
    problem: str
    decisions: dict[str, KandidaatBesluit]


def _areas(plan: Plan) -> list[_Area]:
    result = []
    for code, name in services.plan_gemeenten(plan):
        try:
            picture, problem = services.veiligheidsbeeld(plan, code), ""
        except (vb.NoData, vb.UnknownArea) as error:
            picture, problem = None, str(error)
        result.append(_Area(code, name, picture, problem, services.besluiten(plan, code)))
    return result


def _theme_of_key(picture: vb.Veiligheidsbeeld) -> dict[str, vb.ThemePicture]:
    """Series key ("1.2.1", "thema:1.3") → the theme it belongs to (its main theme)."""
    found: dict[str, vb.ThemePicture] = {}
    for theme in picture.themes:
        found[theme.total.key] = theme
        for code in theme.total.categories:
            found.setdefault(code, theme)
    for theme in picture.themes:
        for category in theme.categories:
            found.setdefault(category.key, theme)
    return found


def _series_label(key: str, title: str) -> str:
    if key.startswith("thema:"):
        return f"Thema {key.removeprefix('thema:')} {title}"
    if key.startswith("veld:"):
        return f"Veld {key.removeprefix('veld:')} {title}"
    return f"{key} {title}"


def _field_of_key(key: str, themes_by_key: Mapping[str, vb.ThemePicture]) -> str | None:
    if key.startswith("veld:"):
        return key.removeprefix("veld:")
    if key in themes_by_key:
        return themes_by_key[key].veld
    if key.startswith("thema:"):
        return key.removeprefix("thema:").split(".")[0]
    return None


def _intro(plan: Plan, areas: Sequence[_Area]) -> Section:
    names = ", ".join(a.name for a in areas) or "(geen gemeente)"
    pictures = [a.picture for a in areas if a.picture]
    year = pictures[0].year if pictures else services.peiljaar(plan)
    opzet = Section(
        "Opzet van de rapportage",
        [
            Paragraph(
                "Deze rapportage legt de veiligheidsanalyse vast, stap 2 van de methode "
                "Kernbeleid Veiligheid. Per thema van de vijf veiligheidsvelden staat wat de "
                "cijfers laten zien, welke problemen de werkgroep ziet, hoe de aanpak nu "
                "loopt en welke extra inzet gewenst is. Per veld volgen de prioriteiten die "
                "voor het nieuwe beleid plausibel zijn. De rapportage is de basis voor de "
                "keuze van drie à vier prioriteiten met de raad (stap 3)."
            ),
            Paragraph(
                "In veld 1 (veilige woon- en leefomgeving) hangen de thema's sterk samen. "
                "Daarom staat daar de problematiek per thema, en de huidige aanpak en de "
                "gewenste extra inzet per aspect van de aanpak voor het hele veld."
            ),
        ],
    )
    gebied = Section("Gemeente en peiljaar")
    gebied.blocks.append(
        Paragraph(
            f"Plan: {plan.titel} ({plan.periode}). "
            + (f"Gemeente: {names}." if len(areas) == 1 else f"Gemeenten: {names}.")
            + (
                f" Peiljaar: {year}, het jaar waarmee de cijfers worden vergeleken."
                if year
                else " Nog geen peiljaar: er zijn geen cijfers geladen."
            )
        )
    )
    for area in areas:
        picture = area.picture
        if picture is None:
            gebied.blocks.append(Paragraph(f"{area.name}: geen cijfers beschikbaar.", "note"))
            continue
        provisional = ", ".join(str(y) for y in picture.provisional_years)
        gebied.blocks.append(
            DefinitionList(
                (
                    ("Gemeente", f"{area.name} ({area.code})"),
                    ("Jaren met cijfers", f"{picture.years[0]}–{picture.years[-1]}"),
                    (
                        "Inwoners " + str(picture.year),
                        number(picture.population.get(str(picture.year))),
                    ),
                    *(
                        (
                            "Vergelijkingsgroep" if name == vb.SIZE_CLASS else "Politie-eenheid",
                            f"{description} ({members} andere gemeenten)",
                        )
                        for name, description, members in picture.groups
                    ),
                    ("Voorlopige jaren", provisional or "geen"),
                )
            )
        )
        boundary = sorted(
            {
                note
                for s in (*picture.categories, *(t.total for t in picture.themes))
                for note in s.rate_notes
                if note.startswith("grens")
            }
        )
        for note in boundary:
            gebied.blocks.append(Paragraph(f"{area.name}: {note}.", "note"))

    cijfers = Section("Gebruikte cijfers")
    for area in areas:
        if area.picture is None:
            continue
        from ivp.documents.sources import consulted

        rows = _dataset_rows(area.picture)
        cijfers.blocks.append(
            Table(
                columns=("Tabel", "Titel", "Geraadpleegd"),
                rows=tuple((r[0], r[1], consulted(r[2]) or "–") for r in rows),
                caption=f"Tabellen in deze rapportage{_of(area, areas)}",
                source="Bron: CBS StatLine; bronvermelding en licentie per tabel in het hoofdstuk "
                "Bronnen.",
                widths=(2.2, 6.4, 3.4),
            )
        )
        missing = area.picture.missing_categories
        if missing:
            cijfers.blocks.append(
                Paragraph(
                    f"Van {area.name} {vb.missing_phrase(missing)} "
                    f"({', '.join(missing)}). Thema's die alleen uit die categorieën bestaan, "
                    "tonen daarom geen politiecijfers; de som van een thema is altijd de som "
                    "van de aanwezige categorieën, geen schatting van het geheel.",
                    "note",
                )
            )
    if not cijfers.blocks:
        cijfers.blocks.append(Paragraph("Er zijn geen cijfers beschikbaar.", "note"))

    groups = next((a.picture.groups for a in areas if a.picture), ())
    size = next((d for n, d, _m in groups if n == vb.SIZE_CLASS), "de CBS-grootteklasse")
    unit = next((d for n, d, _m in groups if n == vb.UNIT_MEMBERS), "de politie-eenheid")
    leeswijzer = Section(
        "Leeswijzer",
        [
            BulletList(
                (
                    "Aantallen zijn door de politie geregistreerde misdrijven per jaar. Een "
                    "cijfer per 1.000 inwoners maakt gemeenten en jaren vergelijkbaar; "
                    "woninginbraak staat daarnaast per 1.000 woningen.",
                    explain.CHANGE,
                    explain.NO_CHANGE,
                    explain.TREND,
                    explain.comparison(size, unit),
                    "Voorlopige cijfers zijn gemarkeerd met (v) en in de grafieken gestippeld; "
                    "de politie en CBS kunnen ze nog herzien.",
                    explain.CANDIDATES,
                    "Waar de werkgroep een vraag (nog) niet beantwoordde, is die weggelaten.",
                )
            ),
        ],
    )
    return Section("Inleiding", [], [opzet, gebied, cijfers, leeswijzer])


def _of(area: _Area, areas: Sequence[_Area]) -> str:
    return f", {area.name}" if len(areas) > 1 else ""


def _dataset_rows(picture: vb.Veiligheidsbeeld) -> list[tuple[str, str, str, str, str]]:
    """(table, title, retrieved, attribution, origin) per table of the veiligheidsbeeld."""
    seen: dict[str, tuple[str, str, str, str, str]] = {}
    for info in picture.sources.values():
        table = info["table"]
        if table not in seen:
            seen[table] = (
                table,
                info["title"],
                info["retrieved"],
                _attribution(info),
                info.get("origin", ""),
            )
    return [seen[t] for t in sorted(seen)]


def _summary(areas: Sequence[_Area], texts: Mapping[str, AnalyseTekst]) -> Section:
    beeld = Section("Veiligheidsbeeld per veld")
    kandidaten = Section("Mogelijke prioriteiten")
    for area in areas:
        picture = area.picture
        if picture is None:
            beeld.blocks.append(Paragraph(f"{area.name}: geen cijfers beschikbaar.", "note"))
            continue
        year = picture.year
        rows = []
        keys: list[str] = []
        for field in picture.fields:
            rows.append(_summary_row(f"Veld {field.code} {field.title}", field.total, None))
            keys += field.total.sources
            for theme in field.themes:
                rows.append(
                    _summary_row(f"{theme.code} {theme.title}", theme.total, texts.get(theme.code))
                )
        beeld.blocks.append(
            Table(
                columns=(
                    "Veld / thema",
                    f"Aantal {_year_label(picture, year)}",
                    "Per 1.000 inw.",
                    f"t.o.v. {year - 1}",
                    "Trend",
                    "t.o.v. vergelijkbare gemeenten",
                    "Oordeel werkgroep",
                ),
                rows=tuple(rows),
                caption=f"Veiligheidsbeeld {area.name}, peiljaar {year}",
                source=sources_line(picture, keys)
                + f" {LEGEND_NOTE} Trend: gemiddelde verandering per jaar, laatste vijf jaar. "
                "Vergelijkbare gemeenten: verhouding tot de mediaan en plaats (1 = hoogste). "
                "Oordeel: de werkgroep.",
                numeric_columns=frozenset({1, 2, 3, 4}),
                widths=(4.4, 1.4, 1.2, 1.3, 1.6, 2.2, 2.6),
            )
        )
        kandidaten.blocks += _candidates_blocks(area, areas)
    beeld.blocks.insert(
        0,
        Paragraph(
            "De tabel geeft per veld en thema het aantal geregistreerde misdrijven in het "
            "peiljaar (de som van de categorieën waarvan het thema het hoofdthema is), het "
            "cijfer per 1.000 inwoners, de verandering, de trend, de vergelijking met "
            "vergelijkbare gemeenten en het oordeel van de werkgroep. Een thema zonder "
            "beschikbare politiecijfers staat er met een streepje; het hoofdstuk van het veld "
            "noemt de bronnen die de handreiking daarvoor geeft."
        ),
    )
    return Section("Samenvatting", [], [beeld, kandidaten])


def sources_line(picture: vb.Veiligheidsbeeld, keys: Iterable[str]) -> str:
    return _Sources(picture).line(keys)


def _summary_row(
    label: str, series: vb.SeriesPicture, tekst: AnalyseTekst | None
) -> tuple[str, ...]:
    ev = series.evidence
    previous = ev.change.vs_previous if ev else None
    oordeel = "" if label.startswith("Veld ") else _oordeel_cell(tekst)
    return (
        label,
        number(ev.count) if ev else DASH,
        rate(ev.rate) if ev else DASH,
        _marked(percent(previous.percent), previous) if previous else DASH,
        _trend_cell(series),
        _benchmark_cell(series),
        oordeel,
    )


def _candidates_blocks(area: _Area, areas: Sequence[_Area]) -> list:
    picture = area.picture
    assert picture is not None
    proposed = picture.candidates()
    by_key = {s.key: s for s in proposed}
    rows = []
    for series in proposed:
        rows.append(
            (
                _series_label(series.key, series.title),
                str(series.candidate.score),
                series.candidate.summary,
                _decision_text(area.decisions.get(series.key)),
            )
        )
    for key, decision in sorted(area.decisions.items()):
        if key in by_key:
            continue
        rows.append(
            (
                _series_label(key, decision.titel),
                str(decision.score),
                "; ".join(decision.redenen) or DASH,
                _decision_text(decision) + f" (besloten bij peiljaar {decision.peiljaar})",
            )
        )
    blocks: list = [
        Paragraph(
            f"Uit de cijfers komen {len(proposed)} reeksen{_of(area, areas)} naar voren als "
            "mogelijke prioriteit "
            f"(aantoonbare signalen, peiljaar {picture.year}). De werkgroep aanvaardt of verwerpt "
            "elk voorstel; de methode vraagt uiteindelijk om drie à vier prioriteiten."
        )
    ]
    if rows:
        keys = [k for s in proposed for k in s.sources]
        blocks.append(
            Table(
                columns=("Reeks", "Score", "Redenen", "Besluit werkgroep"),
                rows=tuple(rows),
                caption=f"Mogelijke prioriteiten{_of(area, areas)}",
                source=sources_line(picture, keys)
                + " Score: zie de leeswijzer; besluit: de werkgroep.",
                numeric_columns=frozenset({1}),
                widths=(3.6, 1.1, 7.3, 3.0),
            )
        )
    return blocks


def _theme_section(
    theme_code: str,
    subject: services.Onderwerp,
    areas: Sequence[_Area],
    texts: Mapping[str, AnalyseTekst],
    by_aspect: bool,
) -> Section:
    section = Section(f"Thema {theme_code} {subject.titel}")
    for area in areas:
        picture = area.picture
        theme = picture.theme(theme_code) if picture else None
        if theme is None:
            section.blocks.append(Paragraph(f"Geen cijfers van {area.name} beschikbaar.", "note"))
            continue
        section.blocks += _theme_figures(picture, theme, area, areas)
    tekst = texts.get(theme_code)
    given = answers(subject, tekst)
    if given is not None:
        if len(areas) > 1:
            section.blocks.append(Paragraph("Analyse van de werkgroep (alle gemeenten):"))
        section.blocks.append(given)
    if by_aspect:
        section.blocks.append(
            Paragraph(
                "De huidige aanpak en de gewenste extra inzet staan voor dit veld per aspect "
                "van de aanpak, in de paragraaf ‘Aanpak per aspect’.",
                "note",
            )
        )
    return section


def _theme_figures(
    picture: vb.Veiligheidsbeeld, theme: vb.ThemePicture, area: _Area, areas: Sequence[_Area]
) -> list:
    blocks: list = []
    sources = _Sources(picture)
    total = theme.total
    name = area.name
    prefix = f"{name}: " if len(areas) > 1 else ""
    if total.has_data:
        titles = ", ".join(
            f"{c.code} {c.title}" for c in theme.categories if c.code in total.categories
        )
        text = (
            f"{prefix}De cijfers van dit thema zijn de som van de categorieën waarvan het "
            f"thema het hoofdthema is: {titles}."
        )
        if total.missing_categories:
            text += (
                f" Niet beschikbaar en dus niet meegeteld: {', '.join(total.missing_categories)}."
            )
        blocks.append(Paragraph(text))
    else:
        note = (total.note or "Geen cijfers beschikbaar.").replace(" in ivp", "")
        blocks.append(Paragraph(f"{prefix}{note}", "note"))
    table = figures_table(picture, theme, sources, name)
    if table is not None:
        blocks.append(table)
    if total.has_data:
        figure = theme_chart(picture, total, sources, name)
        if figure is not None:
            blocks.append(figure)
        blocks += [Paragraph(s) for s in comparison_sentences(picture, total, name)]
        blocks.append(Paragraph(" ".join(change_sentences(total) + trend_sentences(total))))
        blocks += _candidate_blocks(picture, theme, area)
        notes = [n for n in total.rate_notes if not n.startswith("grens")]
        blocks += [Paragraph(f"{n[:1].upper()}{n[1:]}.", "note") for n in notes]
    indicators = indicators_table(picture, theme, sources, name)
    if indicators is not None:
        blocks.append(indicators)
    return blocks


def _candidate_blocks(picture: vb.Veiligheidsbeeld, theme: vb.ThemePicture, area: _Area) -> list:
    total = theme.total
    blocks: list = []
    candidate = total.candidate
    if candidate is not None:
        if total.proposed:
            text = (
                f"Mogelijke prioriteit (score {candidate.score}): {candidate.summary}. "
                f"Besluit werkgroep: "
                f"{_decision_text(area.decisions.get(total.key), in_sentence=True)}."
            )
        elif candidate.reasons:
            text = (
                f"Geen mogelijke prioriteit volgens de rekenregels (score {candidate.score}); "
                f"wel: {candidate.summary}."
            )
        else:
            text = f"Geen mogelijke prioriteit volgens de rekenregels (score {candidate.score})."
        blocks.append(Paragraph(text))
        if candidate.caveats:
            blocks.append(Paragraph("Kanttekeningen bij deze cijfers:"))
            blocks.append(BulletList(tuple(_sentence(c) for c in candidate.caveats)))
    proposed = [c for c in theme.categories if c.proposed and c.code in total.categories]
    if proposed and len(total.categories) > 1:
        blocks.append(Paragraph("Mogelijke prioriteiten binnen dit thema (per soort misdrijf):"))
        blocks.append(
            BulletList(
                tuple(
                    f"{c.code} {c.title}: score {c.candidate.score}; {c.candidate.summary}. "
                    "Besluit werkgroep: "
                    f"{_decision_text(area.decisions.get(c.key), in_sentence=True)}."
                    for c in proposed
                )
            )
        )
    return blocks


def _sentence(text: str) -> str:
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}" if text else text


def _aspects_section(
    field_code: str,
    subjects: Mapping[str, services.Onderwerp],
    texts: Mapping[str, AnalyseTekst],
) -> Section | None:
    aspects = [s for s in subjects.values() if s.soort == "aspect" and s.veld == field_code]
    if not aspects:
        return None
    section = Section(
        "Aanpak per aspect",
        [
            Paragraph(
                "In dit veld beantwoordt de werkgroep de vragen naar de huidige aanpak en de "
                "gewenste extra inzet per aspect van de aanpak, voor alle thema's van het veld "
                "samen."
            )
        ],
    )
    for aspect in aspects:
        given = answers(aspect, texts.get(aspect.code))
        if given is not None:
            section.subsections.append(Section(f"{aspect.code} {aspect.titel}", [given]))
    if not section.subsections:
        return None
    return section


def _priorities_section(
    field_code: str,
    areas: Sequence[_Area],
    texts: Mapping[str, AnalyseTekst],
) -> Section:
    tekst = texts.get(f"V{field_code}")
    conclusion = (tekst.conclusie if tekst else "").strip()
    section = Section("Plausibele prioriteiten")
    if conclusion:
        section.blocks += [Paragraph(p.strip()) for p in conclusion.split("\n\n") if p.strip()]
    for area in areas:
        picture = area.picture
        themes_by_key = _theme_of_key(picture) if picture else {}
        accepted = [
            d
            for key, d in sorted(area.decisions.items())
            if d.besluit == Besluit.AANVAARD and _field_of_key(key, themes_by_key) == field_code
        ]
        open_ = []
        if picture is not None:
            open_ = [
                s
                for s in picture.candidates()
                if s.key not in area.decisions and _field_of_key(s.key, themes_by_key) == field_code
            ]
        label = f" ({area.name})" if len(areas) > 1 else ""
        if accepted:
            section.blocks.append(
                Paragraph(f"Door de werkgroep aanvaarde mogelijke prioriteiten{label}:")
            )
            section.blocks.append(
                BulletList(
                    tuple(
                        f"{_series_label(d.sleutel, d.titel)} (score {d.score})"
                        + (f": {d.toelichting.strip()}" if d.toelichting.strip() else "")
                        for d in accepted
                    )
                )
            )
        else:
            section.blocks.append(
                Paragraph(
                    f"De werkgroep heeft in dit veld nog geen mogelijke prioriteit "
                    f"aanvaard{label}.",
                    "note",
                )
            )
        if open_:
            section.blocks.append(
                Paragraph(
                    f"Uit de cijfers, nog zonder besluit van de werkgroep{label}: "
                    + "; ".join(
                        f"{_series_label(s.key, s.title)} (score {s.candidate.score})"
                        for s in open_
                    )
                    + "."
                )
            )
    return section


def _field_chapter(
    field_code: str,
    field_title: str,
    subjects: Mapping[str, services.Onderwerp],
    areas: Sequence[_Area],
    texts: Mapping[str, AnalyseTekst],
) -> Section:
    themes = [s for s in subjects.values() if s.soort == "thema" and s.veld == field_code]
    by_aspect = any(s.soort == "aspect" and s.veld == field_code for s in subjects.values())
    chapter = Section(field_title)
    chapter.blocks.append(
        Paragraph(
            f"Veiligheidsveld {field_code} omvat de thema's "
            + ", ".join(f"{t.code} {t.titel}" for t in themes)
            + "."
        )
    )
    for area in areas:
        picture = area.picture
        field = next((f for f in picture.fields if f.code == field_code), None) if picture else None
        if field is None or not field.total.has_data or field.total.evidence is None:
            continue
        ev = field.total.evidence
        previous = ev.change.vs_previous
        chapter.blocks.append(
            Paragraph(
                f"{area.name}, alle soorten misdrijven in dit veld samen "
                f"({len(field.total.categories)} categorieën): {number(ev.count)} in "
                f"{picture.year}, {rate(ev.rate)} per 1.000 inwoners; "
                f"{percent(previous.percent)} ten opzichte van {picture.year - 1} "
                f"({previous.verdict})."
            )
        )
    for theme in themes:
        chapter.subsections.append(_theme_section(theme.code, theme, areas, texts, by_aspect))
    aspects = _aspects_section(field_code, subjects, texts)
    if aspects is not None:
        chapter.subsections.append(aspects)
    chapter.subsections.append(_priorities_section(field_code, areas, texts))
    return chapter


def _sources_chapter(areas: Sequence[_Area]) -> Section:
    from ivp.datasets.models import Dataset
    from ivp.documents.sources import consulted, publisher

    rows: dict[str, tuple[str, ...]] = {}
    for area in areas:
        if area.picture is None:
            continue
        for info in area.picture.sources.values():
            table = info["table"]
            rows.setdefault(
                table,
                (table, info["title"], consulted(info.get("retrieved")) or "–", publisher(info)),
            )
    licences = dict(Dataset.objects.filter(key__in=list(rows)).values_list("key", "licence"))
    section = Section(
        "Bronnen",
        [
            Paragraph(
                "Alle cijfers in deze rapportage komen uit de volgende tabellen. De cijfers per "
                "1.000 inwoners, de toetsen, de trends, de vergelijking met andere gemeenten en de "
                "mogelijke prioriteiten zijn daaruit berekend volgens de leeswijzer."
            )
        ],
    )
    if rows:
        section.blocks.append(
            Table(
                columns=("Tabel", "Titel", "Geraadpleegd", "Bron", "Licentie"),
                rows=tuple((*rows[t], licences.get(t) or DEFAULT_LICENCE) for t in sorted(rows)),
                caption="Gebruikte tabellen",
                source="Bron: CBS StatLine, open data van CBS en de politie.",
                widths=(2.2, 6.0, 2.6, 2.6, 2.6),
            )
        )
    else:
        section.blocks.append(Paragraph("Er zijn geen cijfers beschikbaar.", "note"))
    section.blocks.append(
        BulletList(
            (
                "VNG, Kernbeleid Veiligheid, handreiking voor gemeenten (2021), stap 2 "
                "Veiligheidsanalyse.",
                "Politiecijfers zijn open data van de politie via CBS StatLine; bronvermelding "
                "‘Bron: CBS/Politie’. CBS-cijfers: CBS open data, CC BY 4.0, bronvermelding "
                "‘Bron: CBS’.",
            )
        )
    )
    return section


def _annex(areas: Sequence[_Area]) -> Section:
    """The numbers behind the words: dispersion and p-values per series (analysis.explain)."""
    section = Section("Technische bijlage: de toetsen", [Paragraph(explain.ANNEX_INTRO)])
    for area in areas:
        if area.picture is not None:
            series = [*area.picture.categories, *(t.total for t in area.picture.themes)]
            section.blocks.append(
                Table(
                    columns=explain.ANNEX_COLUMNS,
                    rows=tuple(explain.annex_rows(series)),
                    caption=f"Toetsen{_of(area, areas)}, peiljaar {area.picture.year}",
                    source=sources_line(area.picture, [k for s in series for k in s.sources]),
                )
            )
    return section


def build_analyserapport(plan: Plan) -> Document:
    areas = _areas(plan)
    subjects = services.onderwerpen()
    texts = services.teksten(plan)
    fields = [s for s in subjects.values() if s.soort == "veld"]
    names = ", ".join(a.name for a in areas)
    year = next((a.picture.year for a in areas if a.picture), None) or services.peiljaar(plan)

    sections = [_intro(plan, areas), _summary(areas, texts)]
    sections += [_field_chapter(f.veld, f.titel, subjects, areas, texts) for f in fields]
    sections.append(_annex(areas))
    sections.append(_sources_chapter(areas))
    return Document(
        title="Veiligheidsanalyse",
        subtitle=f"{names}" + (f" · peiljaar {year}" if year else ""),
        organisation=f"Gemeente {names}" if len(areas) == 1 else f"Gemeenten {names}",
        kind="Veiligheidsanalyserapportage",
        status="Concept",
        sections=sections,
        period=plan.periode,
    )
