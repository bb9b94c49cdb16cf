"""The information position of a gemeente ("borging informatiepositie", handbook step 2):
per theme of the catalogue which sources have figures of it in ivp — police categories
(main theme in the mapping), the gemeente's own and the official survey series — and which
themes are empty, with the sources the handbook names there and the Excel templates that
fit them (``datasets.xlsx_templates``).

Plain reads; who may see the own series follows ``datasets.access`` (``user``). May import
``areas``, ``catalogue`` and the rest of ``datasets``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ivp.datasets import own_series, queries
from ivp.datasets.models import Observation, Series


@dataclass(frozen=True)
class ThemeCoverage:
    code: str
    title: str
    veld: str
    police: tuple[tuple[str, str], ...]  # (code, title) of categories with figures
    police_missing: tuple[str, ...]  # categories mapped here without figures (fetchable)
    other: tuple[own_series.OtherSeries, ...]  # own and survey series placed here
    handbook_sources: tuple[str, ...]  # what the handbook names for this theme
    templates: tuple[str, ...] = ()  # keys of datasets.xlsx_templates.TEMPLATES that fit

    @property
    def has_figures(self) -> bool:
        return bool(self.police) or any(o.has_data for o in self.other)


@dataclass(frozen=True)
class Coverage:
    gemeente: str
    themes: tuple[ThemeCoverage, ...]
    total_years: tuple[dict, ...]  # the total 0.0.0 per source (queries.total_source_years)
    unplaced: tuple[own_series.OtherSeries, ...] = ()  # own series without a theme
    # official survey series of the gemeente at no theme (81928NED: contact with the police)
    official_unplaced: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)  # veld code → title

    @property
    def themes_with_figures(self) -> int:
        return sum(t.has_figures for t in self.themes)


def coverage(gemeente: str, *, user=None, plan=None, indeling=None) -> Coverage:
    """What ivp holds for ``gemeente`` per theme. ``plan``: with the plan's mapping of
    categories and its own themes of series; ``user``: own series only if visible."""
    from ivp.catalogue.content_loader import shipped_catalogue
    from ivp.datasets import offences, xlsx_templates
    from ivp.datasets.mapping import default_indeling

    if indeling is None:
        if plan is not None:
            from ivp.datasets.services import mapping_for_plan

            indeling = mapping_for_plan(plan)
        else:
            indeling = default_indeling()
    crime = Series.objects.filter(dataset__key=queries.CRIME_TABLE)
    present = set(
        Observation.objects.filter(series__in=crime, region=gemeente, value__isnull=False)
        .values_list("series__soort_misdrijf", flat=True)
        .distinct()
    )
    categories = offences.soort_misdrijf()
    main = indeling.per_thema(alleen_hoofdthema=True)
    others = own_series.other_series(gemeente, user=user, plan=plan, indeling=indeling)
    placed = own_series.by_theme(others)
    catalogue = shipped_catalogue()
    themes = []
    for veld in catalogue.velden:
        for thema in veld.themas:
            codes = [c for c in main.get(thema.code, []) if c in categories and c != "0.0.0"]
            themes.append(
                ThemeCoverage(
                    code=thema.code,
                    title=thema.titel,
                    veld=veld.code,
                    police=tuple((c, categories[c].label) for c in codes if c in present),
                    police_missing=tuple(c for c in codes if c not in present),
                    other=tuple(placed.get(thema.code, ())),
                    handbook_sources=tuple(thema.effectinformatie),
                    templates=xlsx_templates.for_sources(thema.effectinformatie),
                )
            )
    return Coverage(
        gemeente=gemeente,
        themes=tuple(themes),
        total_years=tuple(queries.total_source_years(gemeente)),
        unplaced=tuple(o for o in others if not o.theme.theme and o.own),
        official_unplaced=tuple(
            sorted({o.source for o in others if not o.theme.theme and not o.own})
        ),
        fields={v.code: v.titel for v in catalogue.velden},
    )
