"""The mapping of 'soort misdrijf' codes and police incident codes to the themes of
Kernbeleid Veiligheid (ivp's own VNG-INP model), and the standard aggregates.

Plain Python. The default lives in ``default.yaml`` next to this file (versioned; documented
in ``docs/mapping.md``). A plan's own choices are applied with :meth:`Indeling.with_overrides`,
which returns a new object: the default and other plans never change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

import yaml

from ivp.datasets import offences

DEFAULT_YAML = Path(__file__).resolve().parent / "default.yaml"

# The 22 themes of the catalogue (handbook part 2). Titles only for display where the
# catalogue is not at hand; the catalogue (``ivp.catalogue``) is the source of truth.
THEMA_TITELS: Mapping[str, str] = MappingProxyType(
    {
        "1.1": "Sociale kwaliteit",
        "1.2": "Fysieke kwaliteit",
        "1.3": "Objectieve veiligheid/veelvoorkomende en high impact crime",
        "1.4": "Subjectieve veiligheid",
        "2.1": "Veilig winkelgebied",
        "2.2": "Veilige bedrijventerreinen",
        "2.3": "Veilig uitgaan",
        "2.4": "Veilige evenementen",
        "2.5": "Veilig toerisme",
        "3.1": "Jeugdoverlast",
        "3.2": "Jeugdcriminaliteit/individuele probleemjongeren",
        "3.3": "Jeugd, alcohol en drugs",
        "3.4": "Veilig in en om de school",
        "4.1": "Verkeersveiligheid",
        "4.2": "Brandveiligheid",
        "4.3": "Externe veiligheid/omgevingsveiligheid",
        "4.4": "Rampenbestrijding en crisisbeheersing",
        "5.1": "Polarisatie en radicalisering",
        "5.2": "Georganiseerde/ondermijnende criminaliteit",
        "5.3": "Weerbare overheid/weerbaar bestuur",
        "5.4": "Informatieveiligheid",
        "5.5": "Ambtelijke en bestuurlijke integriteit",
    }
)
THEMA_CODES: tuple[str, ...] = tuple(THEMA_TITELS)

STANDAARD = "standaard"
PLAN = "plan"


class MappingError(ValueError):
    """The mapping file or an override is not valid; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Toewijzing:
    """The themes of one code. ``themas[0]`` is the main theme."""

    code: str
    themas: tuple[str, ...]
    waarom: str = ""
    herkomst: str = STANDAARD  # "standaard" or "plan"

    @property
    def hoofdthema(self) -> str | None:
        return self.themas[0] if self.themas else None


@dataclass(frozen=True)
class Aggregaat:
    key: str
    naam: str
    codes: tuple[str, ...] = ()
    roll_up: str = ""  # a published total row (0.0.0), never a sum
    waarom: str = ""


@dataclass(frozen=True)
class AggregaatWaarde:
    """An aggregate for one region and period: the value, or None with what is missing."""

    key: str
    waarde: float | None
    ontbrekend: tuple[str, ...] = ()  # codes without a value
    delen: Mapping[str, float] = field(default_factory=dict)

    @property
    def compleet(self) -> bool:
        return self.waarde is not None


@dataclass(frozen=True)
class Indeling:
    versie: str
    naam: str
    soort_misdrijf: Mapping[str, Toewijzing]
    incidentcodes: Mapping[str, Toewijzing]
    aggregaten: Mapping[str, Aggregaat]
    bron: str = ""

    # -- lookups ---------------------------------------------------------------------

    def themas_voor(self, soort_misdrijf: str = "", incident_code: str = "") -> tuple[str, ...]:
        """Themes of a series: by its 'soort misdrijf' code, else by its incident code
        (a nuisance code from the list, or a crime incident code via its category)."""
        if soort_misdrijf and soort_misdrijf in self.soort_misdrijf:
            return self.soort_misdrijf[soort_misdrijf].themas
        if incident_code:
            if incident_code in self.incidentcodes:
                return self.incidentcodes[incident_code].themas
            category = offences.category_of_incident().get(incident_code)
            if category and category in self.soort_misdrijf:
                return self.soort_misdrijf[category].themas
        return ()

    def per_thema(self, *, alleen_hoofdthema: bool = False) -> dict[str, list[str]]:
        """Theme code → the codes shown there (main theme first when not ``alleen_…``)."""
        result: dict[str, list[str]] = {code: [] for code in THEMA_CODES}
        for entries in (self.soort_misdrijf, self.incidentcodes):
            for entry in entries.values():
                themes = entry.themas[:1] if alleen_hoofdthema else entry.themas
                for theme in themes:
                    result.setdefault(theme, []).append(entry.code)
        return result

    def rows(self) -> list[Toewijzing]:
        return [*self.soort_misdrijf.values(), *self.incidentcodes.values()]

    # -- plan overrides --------------------------------------------------------------

    def with_overrides(self, overrides: Mapping[str, Iterable[str]]) -> Indeling:
        """A new mapping where each code in ``overrides`` has the given themes (an empty
        list: no theme). Raises :class:`MappingError` for unknown codes or themes."""
        errors = []
        sm = dict(self.soort_misdrijf)
        inc = dict(self.incidentcodes)
        for code, themes in overrides.items():
            themes = tuple(themes)
            bad = [t for t in themes if t not in THEMA_CODES]
            if bad:
                errors.append(f"{code}: onbekend thema {', '.join(bad)}")
                continue
            if len(set(themes)) != len(themes):
                errors.append(f"{code}: een thema staat er twee keer in")
                continue
            if code in sm:
                sm[code] = Toewijzing(code, themes, sm[code].waarom, PLAN)
            elif code in inc:
                inc[code] = Toewijzing(code, themes, inc[code].waarom, PLAN)
            else:
                errors.append(f"{code}: geen soort misdrijf of incidentcode van de indeling")
        if errors:
            raise MappingError(errors)
        return Indeling(
            self.versie,
            self.naam,
            MappingProxyType(sm),
            MappingProxyType(inc),
            self.aggregaten,
            self.bron,
        )

    # -- aggregates ------------------------------------------------------------------

    def aggregaat(self, key: str, values: Mapping[str, float | None]) -> AggregaatWaarde:
        """Compute aggregate ``key`` from ``values`` (soort misdrijf code → count or None).

        ``totaal`` is the published 0.0.0 row or nothing. A sum with any part missing
        (absent or withheld) is None; ``ontbrekend`` names those parts.
        """
        definition = self.aggregaten[key]
        if definition.roll_up:
            value = values.get(definition.roll_up)
            missing = () if value is not None else (definition.roll_up,)
            return AggregaatWaarde(key, value, missing)
        missing = tuple(c for c in definition.codes if values.get(c) is None)
        parts = {c: values[c] for c in definition.codes if values.get(c) is not None}
        if missing:
            return AggregaatWaarde(key, None, missing, MappingProxyType(parts))
        return AggregaatWaarde(key, float(sum(parts.values())), (), MappingProxyType(parts))


def _entries(raw: Mapping, kind: str, errors: list[str]) -> dict[str, Toewijzing]:
    result = {}
    for code, entry in (raw or {}).items():
        code = str(code)
        if not isinstance(entry, Mapping) or "themas" not in entry:
            errors.append(f"{kind} {code}: ‘themas’ ontbreekt")
            continue
        themes = tuple(str(t) for t in entry["themas"] or ())
        bad = [t for t in themes if t not in THEMA_CODES]
        if bad:
            errors.append(f"{kind} {code}: onbekend thema {', '.join(bad)}")
        result[code] = Toewijzing(code, themes, str(entry.get("waarom", "")).strip())
    return result


def parse_indeling(document: Mapping) -> Indeling:
    """Validate a mapping document (as read from YAML) and build an :class:`Indeling`."""
    errors: list[str] = []
    sm = _entries(document.get("soort_misdrijf", {}), "soort misdrijf", errors)
    inc = _entries(document.get("incidentcodes", {}), "incidentcode", errors)
    known = set(offences.soort_misdrijf())
    for code in sorted(known - set(sm)):
        errors.append(f"soort misdrijf {code} ontbreekt in de indeling")
    for code in sorted(set(sm) - known):
        errors.append(f"soort misdrijf {code} bestaat niet in 47018NED")
    aggregates = {}
    for key, raw in (document.get("aggregaten") or {}).items():
        codes = tuple(str(c) for c in raw.get("codes", ()))
        unknown = [c for c in codes if c not in known]
        if unknown:
            errors.append(f"aggregaat {key}: onbekende soort misdrijf {', '.join(unknown)}")
        if "0.0.0" in codes:
            errors.append(f"aggregaat {key}: 0.0.0 is een totaalregel en mag niet worden opgeteld")
        aggregates[key] = Aggregaat(
            str(key),
            str(raw.get("naam", key)),
            codes,
            str(raw.get("roll_up", "")),
            " ".join(str(raw.get("waarom", "")).split()),
        )
    for required in ("totaal", "hic", "vermogen", "geweld"):
        if required not in aggregates:
            errors.append(f"aggregaat {required} ontbreekt")
    if errors:
        raise MappingError(errors)
    return Indeling(
        versie=str(document.get("versie", "")),
        naam=str(document.get("naam", "")),
        soort_misdrijf=MappingProxyType(sm),
        incidentcodes=MappingProxyType(inc),
        aggregaten=MappingProxyType(aggregates),
        bron=" ".join(str(document.get("bron", "")).split()),
    )


@cache
def default_indeling() -> Indeling:
    """The shipped default (``default.yaml``)."""
    with DEFAULT_YAML.open(encoding="utf-8") as handle:
        return parse_indeling(yaml.safe_load(handle))
