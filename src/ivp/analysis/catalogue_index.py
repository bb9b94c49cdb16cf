"""The parts of the shipped catalogue and of the default offence→theme mapping that the
analysis needs, cached parsed on disk.

Reading and checking the whole catalogue (seven YAML files, every measure and indicator)
takes 0.3 s, the mapping 0.1 s; the analysis needs a few hundred titles and codes of them.
The first process to need them reads the YAML and writes this index as JSON to
``IVP_VAR_DIR/cache/``, named by a hash of the source files, so an edited file gets a new
index and a stale one is never read; later processes read the JSON (a millisecond). Without
a writable folder the index is simply computed each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ivp.filecache import cached_json

CACHE_VERSION = 1


@dataclass(frozen=True)
class Thema:
    code: str
    titel: str
    effectinformatie: tuple[str, ...]


@dataclass(frozen=True)
class Aspect:
    code: str
    titel: str


@dataclass(frozen=True)
class Veld:
    code: str
    titel: str
    themas: tuple[Thema, ...]
    aanpakaspecten: tuple[Aspect, ...]


# The source files, located without importing their (YAML-reading) modules;
# tests/test_catalogue_index.py checks them against content_loader.CONTENT_DIR and
# mapping.DEFAULT_YAML.
SRC = Path(__file__).resolve().parents[1]
CATALOGUE_DIR = SRC / "catalogue" / "content"
MAPPING_YAML = SRC / "datasets" / "mapping" / "default.yaml"


def _content_dir() -> Path:
    return CATALOGUE_DIR


def _from_catalogue() -> list[dict]:
    from ivp.catalogue.content_loader import shipped_catalogue

    return [
        {
            "code": v.code,
            "titel": v.titel,
            "themas": [
                {"code": t.code, "titel": t.titel, "effectinformatie": list(t.effectinformatie)}
                for t in v.themas
            ],
            "aanpakaspecten": [{"code": a.code, "titel": a.titel} for a in v.aanpakaspecten],
        }
        for v in shipped_catalogue().velden
    ]


def _cached(name: str, sources: list[Path], compute):
    return cached_json(name, sources, compute, version=str(CACHE_VERSION))


def catalogue_index() -> tuple[dict[str, Veld], dict[str, Thema], dict[str, Aspect]]:
    """(field code → field, theme code → theme, aspect code → aspect)."""
    sources = sorted(_content_dir().glob("*.yaml"))
    velden = [
        Veld(
            v["code"],
            v["titel"],
            tuple(Thema(t["code"], t["titel"], tuple(t["effectinformatie"])) for t in v["themas"]),
            tuple(Aspect(a["code"], a["titel"]) for a in v["aanpakaspecten"]),
        )
        for v in _cached("catalogue-index", sources, _from_catalogue)
    ]
    fields = {v.code: v for v in velden}
    themes = {t.code: t for v in velden for t in v.themas}
    aspects = {a.code: a for v in velden for a in v.aanpakaspecten}
    return fields, themes, aspects


class DefaultMapping:
    """The lookups the analysis makes in the shipped offence→theme mapping
    (:func:`ivp.datasets.mapping.default_indeling`), from the cached index: the same answers
    as the :class:`~ivp.datasets.mapping.Indeling` for ``per_thema`` and ``themas_voor``."""

    def __init__(self, data: dict) -> None:
        self._main = data["main"]
        self._shown = data["shown"]
        self._sm = {k: tuple(v) for k, v in data["soort_misdrijf"].items()}
        self._inc = {k: tuple(v) for k, v in data["incidentcodes"].items()}

    def per_thema(self, *, alleen_hoofdthema: bool = False) -> dict[str, list[str]]:
        source = self._main if alleen_hoofdthema else self._shown
        return {k: list(v) for k, v in source.items()}

    def themas_voor(self, soort_misdrijf: str = "", incident_code: str = "") -> tuple[str, ...]:
        from ivp.datasets import offences

        if soort_misdrijf and soort_misdrijf in self._sm:
            return self._sm[soort_misdrijf]
        if incident_code:
            if incident_code in self._inc:
                return self._inc[incident_code]
            category = offences.category_of_incident().get(incident_code)
            if category and category in self._sm:
                return self._sm[category]
        return ()


def _mapping_data() -> dict:
    from ivp.datasets.mapping import default_indeling

    indeling = default_indeling()
    return {
        "main": indeling.per_thema(alleen_hoofdthema=True),
        "shown": indeling.per_thema(),
        "soort_misdrijf": {k: list(v.themas) for k, v in indeling.soort_misdrijf.items()},
        "incidentcodes": {k: list(v.themas) for k, v in indeling.incidentcodes.items()},
    }


def default_mapping() -> DefaultMapping:
    """The shipped mapping's lookups, from the cache."""
    return DefaultMapping(_cached("mapping-index", [MAPPING_YAML], _mapping_data))
