"""The method in plain Dutch, and the numbers behind it, for the documents. Plain Python.

Documents print what the analysis says in words ("binnen de gewone schommeling"), never a
p-value in the running text; the numbers a reader can check (dispersion, p-values before
and after the correction for the number of tests) go to a technical annex
(:func:`annex_rows`). The texts live here, next to the calculations they describe, so a
change of method changes them in every document at once.
"""

from __future__ import annotations

from ivp.analysis.candidates import FDR, MAX_PROPOSED, SPARSE_MIN, format_nl
from ivp.analysis.change import SMALL_COUNT, usual_change

CHANGE = (
    "Verandering: het peiljaar tegenover het jaar ervoor en tegenover het gemiddelde van de "
    "drie jaren ervoor. Geregistreerde misdrijven schommelen van jaar tot jaar meer dan "
    "toeval alleen verklaart; per reeks is gemeten hoe onrustig die is (uit de eigen jaren en "
    "die van vergelijkbare gemeenten) en noemt een verandering ‘aantoonbaar’ als die groter "
    "is dan die gewone schommeling (toets op 5%)."
)
NO_CHANGE = (
    "‘Binnen de gewone schommeling’ betekent dat de cijfers geen verandering laten zien die "
    "groter is dan wat deze reeks gewoonlijk van jaar tot jaar doet; het betekent niet dat er "
    f"niets veranderd is. Bij kleine aantallen (minder dan {SMALL_COUNT}) zijn alleen grote "
    "veranderingen aantoonbaar."
)
TREND = (
    "Trend: de gemiddelde verandering per jaar over de laatste vijf jaar, met het "
    "95%-interval, getoetst tegen de gewone schommeling van de reeks."
)
CANDIDATES = (
    "Mogelijke prioriteiten: een reeks wordt voorgesteld als de cijfers aantoonbaar iets laten "
    "zien (een niveau boven de gewone spreiding tussen vergelijkbare gemeenten, een "
    "stijgende trend, jaren op rij erger, of een toename boven de gewone schommeling), ook "
    "na correctie voor het aantal toetsen per gemeente; hoogstens "
    f"{MAX_PROPOSED}, de sterkste eerst. Reeksen met minder dan {SPARSE_MIN} misdrijven en "
    "haalcriminaliteit (zoals drugs- en wapenhandel, waarvan de registratie vooral de inzet "
    "van politie volgt) worden niet voorgesteld. De cijfers doen een voorstel, de werkgroep "
    "beslist."
)


def comparison(size: str, unit: str) -> str:
    """The comparison, with the descriptions of the groups used."""
    return (
        f"Vergelijking: met de vergelijkbare gemeenten ({size[:1].lower()}{size[1:]}) en met "
        f"de gemeenten van de {unit}: de mediaan van de andere gemeenten, de plaats in de "
        "rangorde (1 = hoogste cijfer) en de verhouding tot de mediaan. Of een gemeente "
        "buiten de gewone spreiding valt, zegt de trechtermethode: gemeenten verschillen "
        "altijd, en hoe ver een gemeente van haar omvang van de mediaan kan liggen zonder "
        "uitzonderlijk te zijn, hangt af van die gewone verschillen en van het aantal "
        "misdrijven. De politie-eenheid als één gebied en Nederland zijn referentielijnen."
    )


ANNEX_INTRO = (
    "De toetsen achter de woorden in deze rapportage. Spreiding: hoeveel meer de reeks van "
    "jaar tot jaar schommelt dan toeval alleen (1 = niet meer). p: de kans op een minstens "
    "zo grote afwijking als er niets veranderd was (tweezijdig); onder 0,05 heet een "
    "verandering aantoonbaar. Na correctie: de kleinste p van de reeks na correctie voor "
    f"alle toetsen van de gemeente (Benjamini–Hochberg; voorstel bij {format_nl(FDR, 2)} of "
    "lager)."
)
ANNEX_COLUMNS = (
    "Reeks",
    "Spreiding",
    "Gewone schommeling per jaar",
    "p t.o.v. vorig jaar",
    "p t.o.v. gemiddelde",
    "p trend",
    "p niveau",
    "p na correctie",
)


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 0.001:
        return "< 0,001"
    return format_nl(value, 3)


def _band(low: float, high: float) -> str:
    def signed(v: float) -> str:
        rounded = round(v)
        sign = "+" if rounded > 0 else "\N{MINUS SIGN}" if rounded < 0 else ""
        return f"{sign}{format_nl(abs(rounded))}%"

    return f"{signed(low)} tot {signed(high)}"


def annex_rows(series_list) -> list[tuple[str, ...]]:
    """One row per series with figures (a :class:`~ivp.analysis.veiligheidsbeeld.SeriesPicture`
    sequence): its dispersion, usual variation and p-values."""
    rows = []
    for series in series_list:
        ev = series.evidence
        if ev is None or not ev.is_count:
            continue
        band = usual_change(ev.change.vs_previous.earlier_count or ev.count, ev.dispersion)
        group = next(
            (g for g in (ev.benchmark.groups if ev.benchmark else ()) if g.has_funnel), None
        )
        candidate = series.candidate
        rows.append(
            (
                f"{series.code} {series.title}",
                format_nl(ev.dispersion, 1),
                _band(*band) if band else "–",
                _p(ev.change.vs_previous.test.p_value),
                _p(ev.change.vs_mean.test.p_value),
                _p(ev.trend.p_value),
                _p(group.p_value if group else None),
                _p(candidate.adjusted_p if candidate else None),
            )
        )
    return rows
