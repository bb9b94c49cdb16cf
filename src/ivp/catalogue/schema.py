"""The shape of the catalogue: frozen dataclasses for its parts and the rules the content
files must follow (attribute names, codes, identifiers, markers for "the handbook gives
nothing here"). Plain Python; ``content_loader`` reads the YAML files into these classes.

Names follow the handbook (see ``docs/glossary.md`` and ``docs/catalogue.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# ---------------------------------------------------------------------------------------
# Codes and identifiers
# ---------------------------------------------------------------------------------------

#: A safety field: "1" … "5".
VELD_CODE = re.compile(r"^[1-9]$")
#: A theme: "<field>.<n>", e.g. "3.1".
THEMA_CODE = re.compile(r"^[1-9]\.[1-9]$")
#: An aspect of approach of a field: "A<field>.<n>", e.g. "A1.4" (the handbook's "aspect 1.4").
ASPECT_CODE = re.compile(r"^A[1-9]\.[1-9]$")
#: A cross-cutting strategic theme: a lowercase slug, e.g. "zorg-en-veiligheid".
STRATEGISCH_CODE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
#: Measure and indicator identifiers: "<owner code>-m<NN>" and "<owner code>-i<NN>".
ITEM_ID = re.compile(r"^(?P<owner>A?[1-9]\.[1-9])-(?P<kind>[mi])(?P<number>\d{2,3})$")


def measure_id_pattern(owner: str) -> re.Pattern[str]:
    """The pattern of a measure id of a theme or aspect, e.g. ``3.1-m07``."""
    return re.compile(rf"^{re.escape(owner)}-m\d{{2,3}}$")


def indicator_id_pattern(owner: str) -> re.Pattern[str]:
    """The pattern of an indicator id of a theme, e.g. ``3.1-i02``."""
    return re.compile(rf"^{re.escape(owner)}-i\d{{2,3}}$")


# ---------------------------------------------------------------------------------------
# "The handbook gives nothing here"
# ---------------------------------------------------------------------------------------

MARKER_KEY = "niet_in_handreiking"

#: Why an attribute has no content. Written in a file as ``{niet_in_handreiking: <reason>}``.
REASONS: Mapping[str, str] = MappingProxyType(
    {
        "leeg": "the handbook has the row for this attribute but leaves it empty",
        "ontbreekt": "the handbook has no row for this attribute for this theme",
        "per_aspect": "field 1: the handbook gives this per aspect of approach, not per theme",
    }
)

# ---------------------------------------------------------------------------------------
# Attributes, in the handbook's order (a … j)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    kind: str  # text | texts | partners | maatregelen | indicatoren | instrumenten | codes
    handbook: bool = True  # a handbook attribute: content or an explicit marker
    letter: str = ""  # the handbook's letter (a … j) for theme attributes


THEMA_ATTRIBUTES: tuple[AttributeSpec, ...] = (
    AttributeSpec("code", "code", handbook=False),
    AttributeSpec("titel", "text", handbook=False),
    AttributeSpec("alternatieve_titels", "texts_or_empty", handbook=False),
    AttributeSpec("uitleg", "text", letter="a"),
    AttributeSpec("rol_gemeente", "texts", letter="b"),
    AttributeSpec("partners", "partners", letter="c"),
    AttributeSpec("wet_en_regelgeving", "texts", letter="d"),
    AttributeSpec("maatregelen", "maatregelen", letter="e"),
    AttributeSpec("effectinformatie", "texts", letter="f"),
    AttributeSpec("effectindicatoren", "indicatoren", letter="g"),
    AttributeSpec("instrumenten", "instrumenten", letter="h"),
    AttributeSpec("raakvlakken", "codes", letter="i"),
    AttributeSpec("ontwikkelingen", "texts", letter="j"),
    AttributeSpec("bronopmerkingen", "texts_or_empty", handbook=False),
)

#: The theme attributes that field 1 gives per aspect of approach instead of per theme
#: (the handbook's b … e, h and j).
PER_ASPECT_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "rol_gemeente",
        "partners",
        "wet_en_regelgeving",
        "maatregelen",
        "instrumenten",
        "ontwikkelingen",
    }
)

ASPECT_ATTRIBUTES: tuple[AttributeSpec, ...] = (
    AttributeSpec("code", "code", handbook=False),
    AttributeSpec("titel", "text", handbook=False),
    AttributeSpec("uitleg", "text"),
    AttributeSpec("rol_gemeente", "texts"),
    AttributeSpec("partners", "partners"),
    AttributeSpec("wet_en_regelgeving", "texts"),
    AttributeSpec("maatregelen", "maatregelen"),
    AttributeSpec("instrumenten", "instrumenten"),
    AttributeSpec("ontwikkelingen", "texts"),
    AttributeSpec("bronopmerkingen", "texts_or_empty", handbook=False),
)

STRATEGISCH_ATTRIBUTES: tuple[AttributeSpec, ...] = (
    AttributeSpec("code", "code", handbook=False),
    AttributeSpec("titel", "text", handbook=False),
    AttributeSpec("uitleg", "text"),
    AttributeSpec("vormen_titel", "text"),
    AttributeSpec("vormen", "vormen"),
    AttributeSpec("doelen", "texts"),
    AttributeSpec("rol_gemeente", "texts"),
    AttributeSpec("themas", "verwijzingen"),
    AttributeSpec("plek_in_ivp", "ivp_plekken"),
    AttributeSpec("meer_informatie", "instrumenten"),
    AttributeSpec("bronopmerkingen", "texts_or_empty", handbook=False),
)

VELD_ATTRIBUTES: tuple[str, ...] = ("code", "titel", "uitleg")

#: Keys allowed in the items of list attributes; the first ones are required.
MAATREGEL_KEYS = {"required": ("id", "tekst"), "optional": ("groep", "toelichting", "url")}
INDICATOR_KEYS = {"required": ("id", "tekst"), "optional": ("bron",)}
INSTRUMENT_KEYS = {"required": ("naam",), "optional": ("url",)}
VORM_KEYS = {"required": ("naam", "toelichting"), "optional": ()}
VERWIJZING_KEYS = {"required": ("omschrijving", "codes"), "optional": ()}
IVP_PLEK_KEYS = {"required": ("hoofdstukken", "toelichting"), "optional": ()}
PARTNER_KEYS = ("intern", "extern")

#: The chapters of the IVP (handbook, step 4); ``plek_in_ivp`` refers to them by number.
IVP_HOOFDSTUKKEN: Mapping[int, str] = MappingProxyType(
    {
        1: "Uitgangssituatie",
        2: "Strategische doelstelling",
        3: "Strategische uitgangspunten",
        4: "Prioriteiten",
        5: "Overige strategische thema's",
        6: "Coördinatie, beleidscyclus",
        7: "Begroting",
    }
)

# ---------------------------------------------------------------------------------------
# The catalogue as frozen dataclasses
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Herkomst:
    """Where a part of the catalogue is written: file (relative to the content folder)
    and line."""

    bestand: str
    regel: int

    def __str__(self) -> str:
        return f"{self.bestand}:{self.regel}"


@dataclass(frozen=True)
class Maatregel:
    """A measure the handbook suggests for a theme or an aspect; ``id`` is stable."""

    id: str
    tekst: str
    groep: str | None = None
    toelichting: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Indicator:
    """A suggested effect indicator of a theme; ``id`` is stable. ``bron`` is the source
    the handbook names (Veiligheidsmonitor, Politieregistratie, …) or None."""

    id: str
    tekst: str
    bron: str | None = None


@dataclass(frozen=True)
class Instrument:
    """An instrument, format, website or background document."""

    naam: str
    url: str | None = None


@dataclass(frozen=True)
class Partners:
    intern: tuple[str, ...] = ()
    extern: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vorm:
    """A form (modality, connection, component) of a cross-cutting strategic theme."""

    naam: str
    toelichting: str


@dataclass(frozen=True)
class ThemaVerwijzing:
    """A subject named by a strategic theme and the theme codes ivp links it to."""

    omschrijving: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class IvpPlek:
    """Where in the IVP (chapter numbers, see ``IVP_HOOFDSTUKKEN``) a strategic theme
    belongs, and what to write there."""

    hoofdstukken: tuple[int, ...]
    toelichting: str


def _frozen_map(values: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, eq=False)
class Thema:
    code: str
    titel: str
    veld_code: str
    alternatieve_titels: tuple[str, ...]
    uitleg: str
    rol_gemeente: tuple[str, ...]
    partners: Partners
    wet_en_regelgeving: tuple[str, ...]
    maatregelen: tuple[Maatregel, ...]
    effectinformatie: tuple[str, ...]
    effectindicatoren: tuple[Indicator, ...]
    instrumenten: tuple[Instrument, ...]
    raakvlakken: tuple[str, ...]
    ontwikkelingen: tuple[str, ...]
    bronopmerkingen: tuple[str, ...]
    #: attribute name → reason (see ``REASONS``) for each attribute without content.
    niet_in_handreiking: Mapping[str, str] = field(default_factory=_frozen_map)
    herkomst: Herkomst | None = None


@dataclass(frozen=True, eq=False)
class Aanpakaspect:
    code: str
    titel: str
    veld_code: str
    uitleg: str
    rol_gemeente: tuple[str, ...]
    partners: Partners
    wet_en_regelgeving: tuple[str, ...]
    maatregelen: tuple[Maatregel, ...]
    instrumenten: tuple[Instrument, ...]
    ontwikkelingen: tuple[str, ...]
    bronopmerkingen: tuple[str, ...]
    niet_in_handreiking: Mapping[str, str] = field(default_factory=_frozen_map)
    herkomst: Herkomst | None = None

    @property
    def nummer(self) -> str:
        """The handbook's number of the aspect, e.g. ``1.4`` for ``A1.4``."""
        return self.code[1:]


@dataclass(frozen=True, eq=False)
class Veiligheidsveld:
    code: str
    titel: str
    uitleg: str
    themas: tuple[Thema, ...]
    aanpakaspecten: tuple[Aanpakaspect, ...]
    herkomst: Herkomst | None = None


@dataclass(frozen=True, eq=False)
class StrategischThema:
    code: str
    titel: str
    uitleg: str
    vormen_titel: str
    vormen: tuple[Vorm, ...]
    doelen: tuple[str, ...]
    rol_gemeente: tuple[str, ...]
    themas: tuple[ThemaVerwijzing, ...]
    plek_in_ivp: tuple[IvpPlek, ...]
    meer_informatie: tuple[Instrument, ...]
    bronopmerkingen: tuple[str, ...]
    niet_in_handreiking: Mapping[str, str] = field(default_factory=_frozen_map)
    herkomst: Herkomst | None = None

    @property
    def thema_codes(self) -> tuple[str, ...]:
        """All theme codes this strategic theme links to, in order, without repeats."""
        seen: dict[str, None] = {}
        for verwijzing in self.themas:
            for code in verwijzing.codes:
                seen.setdefault(code, None)
        return tuple(seen)


@dataclass(frozen=True)
class Bron:
    """The source document of the content."""

    titel: str
    uitgever: str
    datum: str
    url: str | None = None


@dataclass(frozen=True, eq=False)
class Catalogus:
    """The whole catalogue: the five safety fields (with their themes and aspects) and the
    cross-cutting strategic themes, as read from one content folder."""

    versie: str
    bron: Bron
    velden: tuple[Veiligheidsveld, ...]
    strategische_themas: tuple[StrategischThema, ...]
    ingetrokken_ids: frozenset[str] = frozenset()

    @property
    def themas(self) -> tuple[Thema, ...]:
        return tuple(t for veld in self.velden for t in veld.themas)

    @property
    def aanpakaspecten(self) -> tuple[Aanpakaspect, ...]:
        return tuple(a for veld in self.velden for a in veld.aanpakaspecten)

    def veld(self, code: str) -> Veiligheidsveld:
        for veld in self.velden:
            if veld.code == code:
                return veld
        raise KeyError(code)

    def thema(self, code: str) -> Thema:
        for thema in self.themas:
            if thema.code == code:
                return thema
        raise KeyError(code)

    def aanpakaspect(self, code: str) -> Aanpakaspect:
        for aspect in self.aanpakaspecten:
            if aspect.code == code:
                return aspect
        raise KeyError(code)

    def strategisch_thema(self, code: str) -> StrategischThema:
        for st in self.strategische_themas:
            if st.code == code:
                return st
        raise KeyError(code)

    def genoemd_bij(self, code: str) -> tuple[str, ...]:
        """The codes of the themes that name ``code`` among their raakvlakken (the links
        pointing *to* the theme), in catalogue order."""
        return tuple(t.code for t in self.themas if code in t.raakvlakken)

    def maatregelen(self) -> Iterator[tuple[str, Maatregel]]:
        """Every measure with the code of its theme or aspect."""
        for thema in self.themas:
            for m in thema.maatregelen:
                yield thema.code, m
        for aspect in self.aanpakaspecten:
            for m in aspect.maatregelen:
                yield aspect.code, m

    def indicatoren(self) -> Iterator[tuple[str, Indicator]]:
        """Every suggested effect indicator with the code of its theme."""
        for thema in self.themas:
            for i in thema.effectindicatoren:
                yield thema.code, i
