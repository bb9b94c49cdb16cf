"""A gemeente's other series: its own imported figures (Veiligheidsmonitor results, incident
counts, meldingen, GIR, Zorg- en Veiligheidshuis) and the official non-police series of it
(the Veiligheidsmonitor table 81928NED), each with its values, 95 % margins and the theme it
belongs to.

Owns the **rule table** that places a series at a theme and a plan's own choice of theme
(``OwnSeriesTheme``). The order of the rules (first one that gives a theme wins; see
docs/data.md "Own sources"):

1. the plan's own choice for this series (``OwnSeriesTheme``);
2. a 'soort misdrijf' or police incident code in the series (E33, 1.2.1 …): the main theme
   of the offence→theme mapping (the plan's mapping when a plan is given);
3. the catalogue's effect indicators: the series' name has every content word of an effect
   indicator of a theme (``rapportcijfer veiligheid in de buurt`` ⊇ ``rapportcijfer
   veiligheid van de buurt`` → 1.4);
4. :data:`KEYWORD_THEMES`: a short list of words (``onveilig`` → 1.4, ``verkeer`` → 4.1 …);
5. otherwise no theme: the series is listed as *niet ingedeeld* on the gemeente's
   information page and a plan can give it one.

Who sees what follows ``datasets.access``: official series for everyone, a gemeente's own
for its users and those who see a plan of it; with ``user=None`` (the command line, the
analysis of a plan) the caller has already checked that.

May import ``areas``, ``catalogue`` and the rest of ``datasets``; nothing above it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.db.models import Q

from ivp.datasets.models import Observation, Series

MARGIN_SUFFIX = "|marge"
# The link key of an other series in an effect indicator: "eigen:<dataset key>|<code>".
LINK_PREFIX = "eigen:"

# Words in a series name → theme, after the catalogue's effect indicators (rule 4). Every
# word of an entry must occur (as part of a word) in the lower-case name; first match wins.
KEYWORD_THEMES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("onveilig",), "1.4"),
    (("veiligheidsgevoel",), "1.4"),
    (("veiligheid", "buurt"), "1.4"),
    (("slachtoffer", "vermogen"), "1.3"),
    (("slachtoffer", "geweld"), "1.3"),
    (("winkel",), "2.1"),
    (("bedrijventerrein",), "2.2"),
    (("uitgaan",), "2.3"),
    (("horeca",), "2.3"),
    (("evenement",), "2.4"),
    (("toeris",), "2.5"),
    (("jeugd", "overlast"), "3.1"),
    (("jongeren", "overlast"), "3.1"),
    (("jeugdgroep",), "3.1"),
    (("jeugd", "crimin"), "3.2"),
    (("alcohol",), "3.3"),
    (("school",), "3.4"),
    (("verkeer",), "4.1"),
    (("ongeval",), "4.1"),
    (("brand",), "4.2"),
    (("externe veiligheid",), "4.3"),
    (("crisis",), "4.4"),
    (("ramp",), "4.4"),
    (("discrimin",), "5.1"),
    (("radicali",), "5.1"),
    (("polaris",), "5.1"),
    (("ondermijn",), "5.2"),
    (("bibob",), "5.2"),
    (("drugs",), "5.2"),
    (("agressie",), "5.3"),
    (("gir",), "5.3"),
    (("informatiebeveiliging",), "5.4"),
    (("ensia",), "5.4"),
    (("integriteit",), "5.5"),
    (("verward",), "1.1"),
    (("zorg- en veiligheidshuis",), "1.1"),
    (("casu",), "1.1"),
    (("overlast",), "1.1"),
    (("cohesie",), "1.1"),
    (("leefbaarheid",), "1.1"),
    (("verloedering",), "1.2"),
    (("vernieling",), "1.2"),
    (("openbare ruimte",), "1.2"),
    (("zwerfvuil",), "1.2"),
    (("slachtoffer",), "1.3"),
)

# Words that carry no meaning when comparing a name with an effect indicator.
STOPWORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "van",
        "in",
        "op",
        "om",
        "en",
        "of",
        "te",
        "bij",
        "per",
        "met",
        "voor",
        "naar",
        "over",
        "uit",
        "aan",
        "door",
        "eigen",
        "totaal",
        "aantal",
        "percentage",
        "procent",
    ]
)


@dataclass(frozen=True)
class ThemeChoice:
    """The theme of a series and why: ``rule`` is plan | categorie | incidentcode |
    effectindicator | trefwoord | '' (none)."""

    theme: str | None
    rule: str
    why: str


@dataclass(frozen=True)
class OtherSeries:
    """One other series of a gemeente, values per year (int) up to the asked year."""

    key: str  # "<dataset key>|<code>"
    dataset: str
    code: str
    indicator: str  # the series' name
    source: str  # the source as a plan names it (the dataset's title or attribution)
    unit: str
    own: bool  # the gemeente's own data (else an official series)
    values: dict[int, float | None]
    status: dict[int, str] = field(default_factory=dict)
    margins: dict[int, float] | None = None  # 95 % margin (±) per year, where published
    theme: ThemeChoice = ThemeChoice(None, "", "")
    import_run: int | None = None
    retrieved: str = ""

    @property
    def link(self) -> str:
        """The value of ``Effectindicator.reeks`` that links an indicator to this series."""
        return LINK_PREFIX + self.key

    @property
    def is_count(self) -> bool:
        return self.unit in ("aantal", "")

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values.values())


# -- the theme of a series ----------------------------------------------------------------


def _words(text: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return {w for w in re.findall(r"[a-z0-9]+", plain) if w not in STOPWORDS and len(w) > 1}


@cache
def _effect_indicators() -> tuple[tuple[frozenset[str], str, str, str], ...]:
    """(content words, theme, indicator id, text) of the catalogue's effect indicators."""
    from pathlib import Path

    import ivp.catalogue
    from ivp.filecache import cached_json

    def compute() -> list[list[str]]:
        from ivp.catalogue.content_loader import shipped_catalogue

        return [
            [thema.code, indicator.id, indicator.tekst]
            for thema in shipped_catalogue().themas
            for indicator in thema.effectindicatoren
        ]

    found = []
    # the shipped YAML (content_loader.CONTENT_DIR), without importing the loader
    sources = sorted((Path(ivp.catalogue.__file__).parent / "content").glob("*.yaml"))
    for code, ident, text in cached_json("effect-indicators", sources, compute):
        words = frozenset(_words(text))
        if words:
            found.append((words, code, ident, text))
    return tuple(found)


def suggest_theme(
    name: str, soort_misdrijf: str = "", incident_code: str = "", indeling=None
) -> ThemeChoice:
    """The theme ivp suggests for a series (rules 2–5 of the module docstring)."""
    if indeling is None:
        from ivp.datasets.mapping import default_indeling

        indeling = default_indeling()
    mapping = indeling
    if soort_misdrijf or incident_code:
        by_category = mapping.themas_voor(soort_misdrijf, "") if soort_misdrijf else ()
        themes = by_category or mapping.themas_voor("", incident_code)
        if themes:
            rule = "categorie" if by_category else "incidentcode"
            code = soort_misdrijf if by_category else incident_code
            return ThemeChoice(themes[0], rule, f"{code}: hoofdthema in de indeling")
    return _theme_by_name(name)


@lru_cache(maxsize=4096)
def _theme_by_name(name: str) -> ThemeChoice:
    """Rules 3–5 of the module docstring: they depend on the name and the shipped
    catalogue only, so a name is matched once per process (a veiligheidsbeeld places
    dozens of series at each build)."""
    words = _words(name)
    best = None
    for needed, theme, indicator_id, text in _effect_indicators():
        if needed <= words and (best is None or len(needed) > len(best[0])):
            best = (needed, theme, indicator_id, text)
    if best is not None:
        return ThemeChoice(
            best[1], "effectindicator", f"lijkt op effectindicator {best[2]} ‘{best[3]}’"
        )
    lowered = " ".join(name.lower().split())
    plain = set(re.findall(r"[a-z0-9]+", lowered))
    for needed, theme in KEYWORD_THEMES:
        # a short word (gir) must be a whole word; longer ones may be part of a word
        if all((w in plain) if len(w) <= 3 else (w in lowered) for w in needed):
            return ThemeChoice(theme, "trefwoord", f"trefwoord ‘{' '.join(needed)}’")
    return ThemeChoice(None, "", "geen regel past: kies zelf een thema")


# -- reading the series -------------------------------------------------------------------


def _year(period: str) -> int | None:
    if len(period) == 8 and period.endswith("JJ00") and period[:4].isdecimal():
        return int(period[:4])
    return None


def _candidates(gemeente: str):
    """Series with figures of ``gemeente``: its own (every kind but population and
    dwellings) and the official non-police ones (survey indicators without an offence
    code); never another gemeente's own. Whoever reads them: see :func:`other_series`."""
    own = Q(dataset__owner__code=gemeente) & ~Q(
        kind__in=[Series.Kind.POPULATION, Series.Kind.DWELLINGS]
    )
    official = (
        Q(dataset__owner__isnull=True)
        & Q(kind=Series.Kind.INDICATOR)
        & Q(soort_misdrijf="")
        & Q(incident_code="")
        # the police tables' other measures (83648NED "0.0.0|Ophelderingspercentage…")
        & ~Q(code__regex=r"^[0-9]+\.[0-9]+\.[0-9]+")
    )
    series = Series.objects.filter(own | official).filter(
        pk__in=Observation.objects.filter(region=gemeente).values("series_id")
    )
    return series.select_related("dataset", "dataset__owner")


def plan_choices(plan) -> dict[str, str]:
    """A plan's own theme per series key ('' = no theme)."""
    from ivp.datasets.models import OwnSeriesTheme

    if plan is None:
        return {}
    return {
        f"{dataset}|{code}": theme
        for dataset, code, theme in OwnSeriesTheme.objects.filter(plan=plan).values_list(
            "series__dataset__key", "series__code", "theme"
        )
    }


@dataclass(frozen=True)
class _Stored:
    """What the store holds of one candidate series (for :func:`other_series`)."""

    pk: int
    dataset: str
    code: str
    name: str
    soort_misdrijf: str
    incident_code: str
    unit: str
    own: bool
    source: str


def _stored(gemeente: str) -> tuple[tuple[_Stored, ...], tuple[tuple, ...], dict[int, str]]:
    """Every candidate series of ``gemeente`` whoever reads them (:func:`other_series`
    filters per user), its observations of the gemeente (series, year, value, status, run)
    and the retrieval date per import run: plain values, kept by ``readcache`` in a
    veiligheidsbeeld's reading block."""
    found = tuple(
        _Stored(
            s.pk,
            s.dataset.key,
            s.code,
            s.name,
            s.soort_misdrijf,
            s.incident_code,
            s.unit,
            s.dataset.owner_id is not None,
            source_label(s.dataset),
        )
        for s in _candidates(gemeente)
    )
    observations = tuple(
        (sid, year, value, status, run)
        for sid, period, value, status, run in Observation.objects.filter(
            series_id__in=[s.pk for s in found], region=gemeente
        ).values_list("series_id", "period", "value", "status", "import_run_id")
        if (year := _year(period)) is not None
    )
    runs = _runs({row[4] for row in observations})
    retrieved = {
        pk: run.retrieved_at.date().isoformat() if run.retrieved_at else ""
        for pk, run in runs.items()
    }
    return found, observations, retrieved


def other_series(
    gemeente: str,
    *,
    user=None,
    plan=None,
    indeling=None,
    until_year: int | None = None,
    choices: Mapping[str, str] | None = None,
) -> list[OtherSeries]:
    """The other series of ``gemeente`` with their values (years up to ``until_year``),
    margins, status and theme, own series first, then by name. ``user``: only what that
    user may see (None: the caller checked); ``plan``: with the plan's own theme choices."""
    from ivp.readcache import cached

    # the read is the same for every user (cached within a veiligheidsbeeld's reading
    # block); what this user may see is filtered here, on every call
    stored, rows, retrieved = cached(("other-series", gemeente), lambda: _stored(gemeente))
    found = list(stored)
    if user is not None and found:
        from ivp.datasets.access import series_for_user

        visible = set(
            series_for_user(user).filter(pk__in=[s.pk for s in found]).values_list("pk", flat=True)
        )
        found = [s for s in found if s.pk in visible]
    by_key = {(s.dataset, s.code): s for s in found}
    choices = dict(choices) if choices is not None else plan_choices(plan)
    observations: dict[int, dict[int, tuple[float | None, str, int]]] = defaultdict(dict)
    for sid, year, value, status, run in rows:
        if until_year is None or year <= until_year:
            observations[sid][year] = (value, status, run)
    result = []
    for s in found:
        if s.code.endswith(MARGIN_SUFFIX):
            continue
        per_year = observations.get(s.pk, {})
        if not per_year:
            continue
        margin_series = by_key.get((s.dataset, s.code + MARGIN_SUFFIX))
        margins = None
        if margin_series is not None:
            margins = {
                y: v for y, (v, _st, _r) in observations.get(margin_series.pk, {}).items() if v
            } or None
        key = f"{s.dataset}|{s.code}"
        if key in choices:
            chosen = choices[key] or None
            theme = ThemeChoice(chosen, "plan", "gekozen in het plan")
        else:
            theme = suggest_theme(s.name, s.soort_misdrijf, s.incident_code, indeling)
        last_run = per_year[max(per_year)][2]
        result.append(
            OtherSeries(
                key=key,
                dataset=s.dataset,
                code=s.code,
                indicator=s.name,
                source=s.source,
                unit=s.unit or "aantal",
                own=s.own,
                values={y: per_year[y][0] for y in sorted(per_year)},
                status={y: per_year[y][1] for y in sorted(per_year) if per_year[y][1]},
                margins=margins,
                theme=theme,
                import_run=last_run,
                retrieved=retrieved.get(last_run, ""),
            )
        )
    result.sort(key=lambda o: (not o.own, o.indicator.lower(), o.key))
    return result


def _runs(ids: Iterable[int]) -> dict:
    from ivp.datasets.models import ImportRun

    return {r.pk: r for r in ImportRun.objects.filter(pk__in=list(ids))}


def source_label(dataset) -> str:
    """How a plan names the source of a series: the dataset's title (an own upload: the
    ``bron`` of the file, e.g. "Veiligheidsmonitor 2019"), with the CBS table id."""
    title = (dataset.title or dataset.key).strip()
    if dataset.table_id and dataset.table_id not in title:
        return f"{title} ({dataset.table_id})"
    return title


def by_theme(series: Iterable[OtherSeries]) -> dict[str, list[OtherSeries]]:
    """Theme code → its series (a series without a theme is left out)."""
    result: dict[str, list[OtherSeries]] = defaultdict(list)
    for s in series:
        if s.theme.theme:
            result[s.theme.theme].append(s)
    return dict(result)


def find(gemeente: str, key: str, *, user=None, plan=None) -> OtherSeries | None:
    """One other series of ``gemeente`` by key ("<dataset>|<code>", or with ``eigen:``)."""
    key = key.removeprefix(LINK_PREFIX)
    return next((s for s in other_series(gemeente, user=user, plan=plan) if s.key == key), None)
