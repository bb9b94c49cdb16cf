"""The figures behind an effect indicator: the one function that answers "which value per
year does this indicator's linked series have, from which source, how final?" for every
kind of link (``Effectindicator.reeks``):

============================  =============================================================
``47018NED|1.1.1``            a police category (counts, rates per 1,000 inhabitants or
                              dwellings, as the indicator's unit asks)
``47018NED|0.0.0``            the total of registered crime (merged from 47018NED, 47013NED
                              and 83648NED; the source of every year is given)
``thema:1.3``                 a theme's sum of categories
``som:1.2.1+1.2.2``           a combined series: the sum of several categories, only in
                              years where every part has a figure, labelled with its parts
``eigen:<dataset>|<code>``    a gemeente's own (or a survey) series: the values as imported,
                              with their 95 % margins and the series' own source label
============================  =============================================================

Police and combined series come from the plan's veiligheidsbeeld (so they carry the same
numbers and statistics as step 2); own series from ``datasets.own_series``. May import
``veiligheidsanalyse``, ``analysis`` and ``datasets``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ivp.datasets.own_series import LINK_PREFIX

POLICE = "politie"
THEME = "thema"
COMBINED = "som"
TOTAL = "totaal"
OWN = "eigen"

FINAL = "definitief"
PROVISIONAL = "voorlopig"


@dataclass(frozen=True)
class IndicatorValues:
    """The per-year values of an indicator's linked series (years as int)."""

    kind: str  # politie | totaal | thema | som | eigen | "" (not linked)
    link: str  # the indicator's ``reeks``
    label: str  # what the series is ("Som van 1.2.1 … + 1.2.2 …", an own series' name)
    unit: str  # the unit of ``values`` (the indicator's unit; an own series: its own)
    values: dict[int, float | None] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)  # year → definitief | voorlopig | ""
    source: str = ""  # as a plan names it ("CBS/Politie, … (47018NED)", "Veiligheidsmonitor")
    source_per_year: dict[int, str] = field(default_factory=dict)  # a merged series (0.0.0)
    margins: dict[int, float] | None = None  # 95 % margins of a survey series
    parts: tuple[str, ...] = ()  # the categories summed (theme, combined series)
    gemeente: str = ""
    reason: str = ""  # why there are no values

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values.values())


def kind_of(link: str) -> str:
    if not link:
        return ""
    if link.startswith(LINK_PREFIX):
        return OWN
    if link.startswith("som:"):
        return COMBINED
    if link.startswith("thema:"):
        return THEME
    if link.endswith("|0.0.0"):
        return TOTAL
    return POLICE


def values_for_indicator(indicator, *, year: int | None = None) -> IndicatorValues:
    """The values per year (up to ``year``, default the plan's reference year) of the series
    ``indicator`` (an ``Effectindicator``) is linked to, in the indicator's unit, with
    source and status per year; an unlinked indicator gives an empty answer with a reason.
    The caller has checked that the user may see the indicator's plan."""
    return values_for_link(
        indicator.plan,
        indicator.reeks,
        indicator.eenheid,
        gemeente=indicator.gemeente or None,
        year=year,
    )


def values_for_link(
    plan, link: str, unit: str, *, gemeente: str | None = None, year: int | None = None
) -> IndicatorValues:
    """As :func:`values_for_indicator`, for a link that is not stored yet (a form)."""
    from django.utils.translation import gettext as _

    from ivp.veiligheidsanalyse import services as analyse

    kind = kind_of(link)
    codes = [c for c, _n in analyse.plan_gemeenten(plan)]
    code = gemeente if gemeente in codes else (codes[0] if codes else "")
    if not kind:
        return IndicatorValues("", link, "", unit, reason=_("Geen gekoppelde reeks."))
    if not code:
        return IndicatorValues(kind, link, "", unit, reason=_("Dit plan heeft geen gemeente."))
    if kind == OWN:
        return _own(plan, link, code, year)
    return _police(plan, link, kind, unit, code, year)


def _own(plan, link: str, gemeente: str, year: int | None) -> IndicatorValues:
    from django.utils.translation import gettext as _

    from ivp.datasets import own_series
    from ivp.veiligheidsanalyse import services as analyse

    found = own_series.find(gemeente, link, plan=plan)
    if found is None:
        return IndicatorValues(
            OWN,
            link,
            "",
            "",
            gemeente=gemeente,
            reason=_("Deze eigen reeks staat niet (meer) in de cijfers van de gemeente."),
        )
    until = year if year is not None else analyse.peiljaar(plan)
    values = {y: v for y, v in found.values.items() if until is None or y <= until}
    status = {
        y: PROVISIONAL
        if found.status.get(y) in ("v", "nv")
        else FINAL
        if found.status.get(y)
        else ""
        for y in values
    }
    margins = {y: m for y, m in (found.margins or {}).items() if y in values} or None
    return IndicatorValues(
        OWN,
        link,
        found.indicator,
        found.unit,
        values=values,
        status=status,
        source=found.source,
        margins=margins,
        gemeente=gemeente,
    )


def _police(plan, link: str, kind: str, unit: str, gemeente: str, year: int | None):
    from django.utils.translation import gettext as _

    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.beleidsplan.models import Effectindicator
    from ivp.beleidsplan.services import _series_key, _source_note, _source_per_year
    from ivp.veiligheidsanalyse import services as analyse

    extra = ()
    if kind == COMBINED:
        codes = vb.parse_combined(link)
        if codes is None:
            return IndicatorValues(
                kind, link, "", unit, reason=_("Geen geldige som van categorieën.")
            )
        extra = (codes,)
    try:
        picture = analyse.veiligheidsbeeld(plan, gemeente, year=year, extra_sums=extra)
    except vb.NoData as error:
        return IndicatorValues(kind, link, "", unit, gemeente=gemeente, reason=str(error))
    series = analyse.series_by_key(picture, _series_key(link))
    if series is None or not series.has_data:
        missing = ", ".join(series.missing_categories) if series is not None else ""
        reason = (
            _("Niet elke categorie van de som heeft cijfers (ontbreekt: %(m)s).") % {"m": missing}
            if kind == COMBINED and missing
            else _("Geen cijfers voor %(r)s in de database.") % {"r": link}
        )
        return IndicatorValues(
            kind,
            link,
            series.title if series else "",
            unit,
            gemeente=gemeente,
            reason=reason,
            parts=tuple(series.categories or series.missing_categories) if series else (),
        )
    if unit == Effectindicator.Eenheid.AANTAL:
        per_year = series.counts
    elif unit == Effectindicator.Eenheid.PER_1000_WONINGEN:
        per_year = series.rates_dwellings
    else:
        per_year = series.rates
    values = {int(y): v for y, v in per_year.items()}
    provisional = set(picture.provisional_years)
    status = {y: PROVISIONAL if y in provisional else FINAL for y in values}
    merged = _source_per_year(picture, series)
    per_source = {int(y): s.split("|")[0] for y, s in merged.items() if int(y) in values}
    used = [s for s in series.sources if s in picture.sources]
    return IndicatorValues(
        kind,
        link,
        series.title,
        unit,
        values=values,
        status=status,
        source=_source_note(picture, used),
        source_per_year=per_source,
        parts=tuple(series.categories),
        gemeente=gemeente,
    )
