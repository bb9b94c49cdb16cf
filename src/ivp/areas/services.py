"""Fill and read the regions. ``load_areas()`` is idempotent and is called by
``datasets.services.load_bundled_data()`` (so by ``ivp demo``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from ivp import readcache
from ivp.areas import sources
from ivp.areas.codes import LANDSDELEN, SPECIAL_NAMES, RegioSoort, region_kind
from ivp.areas.comparison import SIZE_CLASSES, size_class
from ivp.areas.models import (
    Buurt,
    Gemeente,
    PolitieEenheid,
    Provincie,
    Veiligheidsregio,
    Vergelijkingsgroep,
    Wijk,
)


@dataclass
class LoadReport:
    created: dict[str, int]
    updated: dict[str, int]

    def __str__(self) -> str:
        parts = [f"{k}: {v} nieuw" for k, v in self.created.items() if v]
        parts += [f"{k}: {v} bijgewerkt" for k, v in self.updated.items() if v]
        return "gebieden " + (", ".join(parts) if parts else "ongewijzigd")


def _upsert(model, rows: Mapping[str, dict], report: LoadReport, label: str) -> dict[str, int]:
    """Create or update ``model`` rows by ``code``; return code → pk."""
    existing = {obj.code: obj for obj in model.objects.all()}
    new, changed = [], []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            new.append(model(code=code, **values))
            continue
        if any(getattr(obj, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(obj, field, value)
            changed.append(obj)
    if new:
        model.objects.bulk_create(new, batch_size=2000)
    if changed:
        model.objects.bulk_update(
            changed, fields=list(next(iter(rows.values())).keys()), batch_size=1000
        )
    report.created[label] = len(new)
    report.updated[label] = len(changed)
    return dict(model.objects.values_list("code", "pk"))


@transaction.atomic
def load_areas() -> LoadReport:
    """Politie-eenheden, veiligheidsregio's, provincies, gemeenten (342 of 2024 plus the
    older codes in the bundled data, named where ivp's table of the 83648NED regions names
    them), wijken and buurten (division 2024)."""
    report = LoadReport({}, {})
    eenheden = _upsert(
        PolitieEenheid,
        {
            code: {"naam": name, "bron": sources.POLITIE_EENHEDEN_BRON}
            for code, (name, _vrs) in sources.POLITIE_EENHEDEN.items()
        },
        report,
        "politie-eenheden",
    )
    vrs = _upsert(
        Veiligheidsregio,
        {
            code: {
                "naam": name,
                "politie_eenheid_id": eenheden[sources.eenheid_of_veiligheidsregio(code)],
            }
            for code, name in sources.VEILIGHEIDSREGIOS.items()
        },
        report,
        "veiligheidsregio's",
    )
    regios = sources.read_regios_47025()
    provincies = _upsert(
        Provincie,
        {
            code: {"naam": name.removesuffix(" (PV)")}
            for code, name in regios.items()
            if code.startswith("PV") and code != "PV99"
        },
        report,
        "provincies",
    )
    provincie_by_name = {
        name: provincies[code] for code, name in Provincie.objects.values_list("code", "naam")
    }

    current = sources.read_geojson_names()
    province_of = sources.read_provinces()
    vr_2020 = sources.read_vr_list()
    meta_2025 = sources.read_regios_47013()
    vr_of: dict[str, str] = {code: vr for code, (_name, vr) in vr_2020.items()}
    for new_code, (_date, predecessors) in sources.MERGERS.items():
        regions = {vr_of[p] for p in predecessors if p in vr_of}
        if len(regions) == 1:
            vr_of[new_code] = regions.pop()
    for old_code in sources.ABSORBED:
        vr_of.pop(old_code, None)  # a former gemeente keeps no veiligheidsregio
    former_names = sources.read_former_names()
    gemeente_rows: dict[str, dict] = {}
    for code in sorted(
        current.keys() | sources.read_former_codes() | set(vr_2020) | set(former_names)
    ):
        if region_kind(code) is not RegioSoort.GEMEENTE or code in SPECIAL_NAMES:
            continue
        actief = code in current
        name = (
            current.get(code)
            or (vr_2020.get(code) or (None,))[0]
            or meta_2025.get(code, ("",))[0]
            or former_names.get(code)
        )
        gemeente_rows[code] = {
            "naam": name or f"Voormalige gemeente {code}",
            "actief": actief,
            "provincie_id": provincie_by_name.get(province_of.get(code, "")),
            "veiligheidsregio_id": vrs.get(vr_of.get(code, "")) if actief else None,
            "herindelingen": meta_2025.get(code, ("", []))[1],
        }
    gemeenten = _upsert(Gemeente, gemeente_rows, report, "gemeenten")
    absorbed = {old: into for old, (_d, into) in sources.ABSORBED.items()}
    absorbed |= {p: new for new, (_d, preds) in sources.MERGERS.items() for p in preds}
    for old, into in absorbed.items():
        if old in gemeenten and into in gemeenten:
            Gemeente.objects.filter(code=old, opgegaan_in__isnull=True).update(
                opgegaan_in_id=gemeenten[into]
            )

    rows = sources.read_wijken_buurten()
    wijken = _upsert(
        Wijk,
        {
            r.code: {"naam": r.naam, "gemeente_id": gemeenten[r.gemeente]}
            for r in rows
            if r.code.startswith("WK") and r.gemeente in gemeenten
        },
        report,
        "wijken",
    )
    _upsert(
        Buurt,
        {
            r.code: {
                "naam": r.naam,
                "gemeente_id": gemeenten[r.gemeente],
                "wijk_id": wijken.get(r.wijk),
            }
            for r in rows
            if r.code.startswith("BU") and r.gemeente in gemeenten
        },
        report,
        "buurten",
    )
    readcache.bump()  # bulk writes send no signal
    return report


@transaction.atomic
def update_size_classes(inhabitants: Mapping[str, float], year: int) -> int:
    """(Re)build the comparison groups by CBS size class from the inhabitants of the
    current gemeenten in ``year``. Returns the number of gemeenten placed."""
    gemeenten = {g.code: g for g in Gemeente.objects.filter(actief=True)}
    members: dict[int, list[Gemeente]] = {}
    for code, value in inhabitants.items():
        if code in gemeenten and value is not None:
            low, _high, _label = size_class(value)
            members.setdefault(low, []).append(gemeenten[code])
    placed = 0
    for low, high, label in SIZE_CLASSES:
        group, _ = Vergelijkingsgroep.objects.update_or_create(
            code=f"grootteklasse-{low}",
            defaults={
                "naam": f"Gemeenten met {label}",
                "soort": Vergelijkingsgroep.Soort.GROOTTEKLASSE,
                "peiljaar": year,
                "ondergrens": low,
                "bovengrens": high,
                "toelichting": (
                    f"CBS-gemeentegrootteklasse naar het gemiddeld aantal inwoners in {year} "
                    "(70072ned)."
                ),
            },
        )
        group.gemeenten.set(members.get(low, []))
        placed += len(members.get(low, []))
    readcache.bump()
    return placed


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """Code → name for any mix of region codes; unknown codes are left out."""
    codes = set(codes)
    names: dict[str, str] = {c: SPECIAL_NAMES[c] for c in codes if c in SPECIAL_NAMES}
    names |= {c: f"{LANDSDELEN[c]} (LD)" for c in codes if c in LANDSDELEN}
    by_kind: dict[RegioSoort, set[str]] = {}
    for code in codes - names.keys():
        kind = region_kind(code)
        if kind:
            by_kind.setdefault(kind, set()).add(code)
    models = {
        RegioSoort.GEMEENTE: Gemeente,
        RegioSoort.WIJK: Wijk,
        RegioSoort.BUURT: Buurt,
        RegioSoort.PROVINCIE: Provincie,
        RegioSoort.VEILIGHEIDSREGIO: Veiligheidsregio,
        RegioSoort.POLITIE_EENHEID: PolitieEenheid,
    }
    for kind, wanted in by_kind.items():
        model = models.get(kind)
        if model is None:
            continue
        for chunk in _chunks(sorted(wanted), 900):
            names |= dict(model.objects.filter(code__in=chunk).values_list("code", "naam"))
    return names


def region_entries() -> list[tuple[str, str, str | None]]:
    """``(code, name, gemeente)`` of every region in the database, for a resolver."""
    entries: list[tuple[str, str, str | None]] = [(c, n, None) for c, n in SPECIAL_NAMES.items()]
    entries += [(c, f"{n} (LD)", None) for c, n in LANDSDELEN.items()]
    entries += [(c, f"{n} (PV)", None) for c, n in Provincie.objects.values_list("code", "naam")]
    entries += [
        (c, f"{n} (RE)", None) for c, n in PolitieEenheid.objects.values_list("code", "naam")
    ]
    entries += [
        (c, f"{n} (VR)", None) for c, n in Veiligheidsregio.objects.values_list("code", "naam")
    ]
    entries += [(c, n, None) for c, n in Gemeente.objects.values_list("code", "naam")]
    entries += [(c, n, g) for c, n, g in Wijk.objects.values_list("code", "naam", "gemeente__code")]
    entries += [
        (c, n, g) for c, n, g in Buurt.objects.values_list("code", "naam", "gemeente__code")
    ]
    return entries


@dataclass(frozen=True)
class GemeenteContext:
    """The larger units and comparison groups of a gemeente, as codes and names."""

    code: str
    naam: str
    provincie: tuple[str, str] | None
    veiligheidsregio: tuple[str, str] | None
    politie_eenheid: tuple[str, str] | None
    basisteam: str | None
    vergelijkingsgroepen: tuple[tuple[str, str, tuple[str, ...]], ...]  # (code, naam, members)


def gemeente_context(code: str) -> GemeenteContext | None:
    gemeente = (
        Gemeente.objects.select_related(
            "provincie", "veiligheidsregio__politie_eenheid", "basisteam"
        )
        .filter(code=code)
        .first()
    )
    if gemeente is None:
        return None
    vr = gemeente.veiligheidsregio
    if vr is None and gemeente.opgegaan_in_id:
        # a former gemeente lay in the region of the gemeente it merged into
        vr = (
            Gemeente.objects.select_related("veiligheidsregio__politie_eenheid")
            .get(pk=gemeente.opgegaan_in_id)
            .veiligheidsregio
        )
    eenheid = vr.politie_eenheid if vr else None
    groups = tuple(
        (g.code, g.naam, tuple(sorted(g.gemeenten.values_list("code", flat=True))))
        for g in gemeente.vergelijkingsgroepen.all()
    )
    return GemeenteContext(
        code=gemeente.code,
        naam=gemeente.naam,
        provincie=(gemeente.provincie.code, gemeente.provincie.naam)
        if gemeente.provincie
        else None,
        veiligheidsregio=(vr.code, vr.naam) if vr else None,
        politie_eenheid=(eenheid.code, eenheid.naam) if eenheid else None,
        basisteam=gemeente.basisteam.naam if gemeente.basisteam else None,
        vergelijkingsgroepen=groups,
    )


def gemeente_contexts(codes: Iterable[str] | None = None) -> dict[str, GemeenteContext]:
    """The contexts of many gemeenten in three queries (current gemeenten when ``codes``
    is None), without their stored comparison groups (``vergelijkingsgroepen`` empty: the
    analysis computes its groups, see ``areas.comparison``)."""
    queryset = Gemeente.objects.select_related(
        "provincie", "veiligheidsregio__politie_eenheid", "basisteam"
    )
    queryset = (
        queryset.filter(actief=True).exclude(code="GM0000")
        if codes is None
        else queryset.filter(code__in=list(codes))
    )
    result = {}
    for gemeente in queryset:
        vr = gemeente.veiligheidsregio
        eenheid = vr.politie_eenheid if vr else None
        result[gemeente.code] = GemeenteContext(
            code=gemeente.code,
            naam=gemeente.naam,
            provincie=(gemeente.provincie.code, gemeente.provincie.naam)
            if gemeente.provincie
            else None,
            veiligheidsregio=(vr.code, vr.naam) if vr else None,
            politie_eenheid=(eenheid.code, eenheid.naam) if eenheid else None,
            basisteam=gemeente.basisteam.naam if gemeente.basisteam else None,
            vergelijkingsgroepen=(),
        )
    return result


def current_gemeenten() -> list[str]:
    """The codes of the current gemeenten (division 2024)."""
    return sorted(
        Gemeente.objects.filter(actief=True).exclude(code="GM0000").values_list("code", flat=True)
    )


def eenheid_members() -> dict[str, list[str]]:
    """Politie-eenheid code → its current gemeenten, in one query."""
    result: dict[str, list[str]] = {}
    for code, eenheid in Gemeente.objects.filter(
        actief=True, veiligheidsregio__politie_eenheid__isnull=False
    ).values_list("code", "veiligheidsregio__politie_eenheid__code"):
        result.setdefault(eenheid, []).append(code)
    return {k: sorted(v) for k, v in result.items()}


def gemeenten_of_eenheid(eenheid_code: str) -> list[str]:
    """The current gemeenten of a politie-eenheid (via their veiligheidsregio)."""
    return sorted(
        Gemeente.objects.filter(
            actief=True, veiligheidsregio__politie_eenheid__code=eenheid_code
        ).values_list("code", flat=True)
    )


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
