"""One door for changing the catalogue in the database: ``sync_catalogue()`` makes the rows
mirror the content files. Idempotent: a second run with the same files changes nothing.
Every run that changes something is recorded in ``CatalogueSync``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model, ProtectedError, Q

from ivp.catalogue import schema as s
from ivp.catalogue import search
from ivp.catalogue.content_loader import shipped_catalogue
from ivp.catalogue.models import (
    Aanpakaspect,
    CatalogueSync,
    Indicator,
    Maatregel,
    StrategischThema,
    Thema,
    Veiligheidsveld,
)

KINDS = ("velden", "themas", "aanpakaspecten", "strategische_themas", "maatregelen", "indicatoren")


class CatalogueSyncError(Exception):
    """The database could not be brought in line with the content files; nothing was
    changed."""


@dataclass
class SyncResult:
    """What a sync did, per kind of row (see ``KINDS``)."""

    version: str
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    deactivated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    deleted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def changed(self) -> bool:
        return any(
            sum(d.values()) for d in (self.created, self.updated, self.deactivated, self.deleted)
        )

    def total(self, kind: str) -> int:
        return self.created[kind] + self.updated[kind] + self.unchanged[kind]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "deleted": self.deleted,
        }

    def __str__(self) -> str:
        counts = ", ".join(
            f"{self.total(kind)} {label}"
            for kind, label in zip(
                KINDS,
                (
                    "velden",
                    "thema's",
                    "aanpakaspecten",
                    "strategische thema's",
                    "maatregelen",
                    "indicatoren",
                ),
                strict=True,
            )
        )
        changes = (
            f"nieuw {sum(self.created.values())}, gewijzigd {sum(self.updated.values())}, "
            f"ongewijzigd {sum(self.unchanged.values())}, "
            f"ingetrokken {sum(self.deactivated.values())}, "
            f"verwijderd {sum(self.deleted.values())}"
        )
        return f"themabibliotheek {self.version}: {counts} ({changes})"


class _Upserter:
    def __init__(self, result: SyncResult):
        self.result = result
        self.status: dict[tuple[str, int], str] = {}  # (kind, pk) → created/updated/unchanged

    def upsert(self, kind: str, model: type[Model], code: str, values: dict[str, Any]) -> Model:
        """Create the row with ``code`` or bring its fields in line with ``values``."""
        obj = model.objects.filter(code=code).first()
        if obj is None:
            obj = model.objects.create(code=code, **values)
            self.result.created[kind] += 1
            self.status[(kind, obj.pk)] = "created"
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            self.result.updated[kind] += 1
            self.status[(kind, obj.pk)] = "updated"
        else:
            self.result.unchanged[kind] += 1
            self.status[(kind, obj.pk)] = "unchanged"
        return obj

    def set_m2m(self, kind: str, obj: Model, name: str, targets: list[Model]) -> None:
        manager = getattr(obj, name)
        if {t.pk for t in manager.all()} != {t.pk for t in targets}:
            manager.set(targets)
            self._mark_updated(kind, obj)

    def set_search_text(self, kind: str, obj: Model, text: str) -> None:
        if obj.zoektekst != text:
            type(obj).objects.filter(pk=obj.pk).update(zoektekst=text)
            obj.zoektekst = text
            self._mark_updated(kind, obj)

    def _mark_updated(self, kind: str, obj: Model) -> None:
        """Count each row once: a row whose fields were unchanged moves to updated; a row
        created or already updated in this run stays where it is."""
        key = (kind, obj.pk)
        if self.status.get(key) == "unchanged":
            self.status[key] = "updated"
            self.result.unchanged[kind] -= 1
            self.result.updated[kind] += 1


def _same(obj: Model, name: str, value: Any) -> bool:
    field_obj = obj._meta.get_field(name)
    if field_obj.is_relation:
        return getattr(obj, field_obj.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


def _instruments(items: tuple[s.Instrument, ...]) -> list[dict[str, str]]:
    return [{"naam": i.naam, "url": i.url or ""} for i in items]


def _common(item, volgorde: int) -> dict[str, Any]:
    return {
        "titel": item.titel,
        "uitleg": item.uitleg,
        "rol_gemeente": list(item.rol_gemeente),
        "niet_in_handreiking": dict(item.niet_in_handreiking),
        "bronopmerkingen": list(item.bronopmerkingen),
        "herkomst": str(item.herkomst) if item.herkomst else "",
        "volgorde": volgorde,
    }


@transaction.atomic
def sync_catalogue(catalogue: s.Catalogus | None = None) -> SyncResult:
    """Bring the catalogue tables in line with the content files (default: the shipped
    content) and return what changed. Measures and indicators that left the content are
    kept with ``actief=False``; themes, aspects, fields and strategic themes that left it
    are deleted. Raises ``CatalogueError`` for invalid content and ``CatalogueSyncError``
    when a row that must go is still referenced; in both cases nothing changes."""
    cat = catalogue if catalogue is not None else shipped_catalogue()
    result = SyncResult(version=cat.versie)
    up = _Upserter(result)

    velden: dict[str, Veiligheidsveld] = {}
    for n, veld in enumerate(cat.velden, start=1):
        velden[veld.code] = up.upsert(
            "velden",
            Veiligheidsveld,
            veld.code,
            {"titel": veld.titel, "uitleg": veld.uitleg, "volgorde": n},
        )

    themas: dict[str, Thema] = {}
    for n, thema in enumerate(cat.themas, start=1):
        themas[thema.code] = up.upsert(
            "themas",
            Thema,
            thema.code,
            {
                **_common(thema, n),
                "veld": velden[thema.veld_code],
                "alternatieve_titels": list(thema.alternatieve_titels),
                "partners_intern": list(thema.partners.intern),
                "partners_extern": list(thema.partners.extern),
                "wet_en_regelgeving": list(thema.wet_en_regelgeving),
                "effectinformatie": list(thema.effectinformatie),
                "instrumenten": _instruments(thema.instrumenten),
                "ontwikkelingen": list(thema.ontwikkelingen),
            },
        )
    for thema in cat.themas:
        up.set_m2m(
            "themas", themas[thema.code], "raakvlakken", [themas[c] for c in thema.raakvlakken]
        )

    aspecten: dict[str, Aanpakaspect] = {}
    for n, aspect in enumerate(cat.aanpakaspecten, start=1):
        aspecten[aspect.code] = up.upsert(
            "aanpakaspecten",
            Aanpakaspect,
            aspect.code,
            {
                **_common(aspect, n),
                "veld": velden[aspect.veld_code],
                "partners_intern": list(aspect.partners.intern),
                "partners_extern": list(aspect.partners.extern),
                "wet_en_regelgeving": list(aspect.wet_en_regelgeving),
                "instrumenten": _instruments(aspect.instrumenten),
                "ontwikkelingen": list(aspect.ontwikkelingen),
            },
        )

    strategisch: dict[str, StrategischThema] = {}
    for n, st in enumerate(cat.strategische_themas, start=1):
        obj = up.upsert(
            "strategische_themas",
            StrategischThema,
            st.code,
            {
                **_common(st, n),
                "vormen_titel": st.vormen_titel,
                "vormen": [{"naam": v.naam, "toelichting": v.toelichting} for v in st.vormen],
                "doelen": list(st.doelen),
                "thema_verwijzingen": [
                    {"omschrijving": r.omschrijving, "codes": list(r.codes)} for r in st.themas
                ],
                "plek_in_ivp": [
                    {"hoofdstukken": list(p.hoofdstukken), "toelichting": p.toelichting}
                    for p in st.plek_in_ivp
                ],
                "meer_informatie": _instruments(st.meer_informatie),
            },
        )
        up.set_m2m("strategische_themas", obj, "themas", [themas[c] for c in st.thema_codes])
        strategisch[st.code] = obj

    measure_codes: list[str] = []
    position: dict[str, int] = {}  # order within the theme or aspect
    for owner, m in cat.maatregelen():
        measure_codes.append(m.id)
        n = position[owner] = position.get(owner, 0) + 1
        up.upsert(
            "maatregelen",
            Maatregel,
            m.id,
            {
                "thema": themas.get(owner),
                "aanpakaspect": aspecten.get(owner),
                "tekst": m.tekst,
                "groep": m.groep or "",
                "toelichting": m.toelichting or "",
                "url": m.url or "",
                "volgorde": n,
                "actief": True,
            },
        )
    indicator_codes: list[str] = []
    position = {}
    for owner, i in cat.indicatoren():
        indicator_codes.append(i.id)
        n = position[owner] = position.get(owner, 0) + 1
        up.upsert(
            "indicatoren",
            Indicator,
            i.id,
            {
                "thema": themas[owner],
                "bron": i.bron or "",
                "tekst": i.tekst,
                "volgorde": n,
                "actief": True,
            },
        )
    result.deactivated["maatregelen"] = (
        Maatregel.objects.exclude(code__in=measure_codes).filter(actief=True).update(actief=False)
    )
    result.deactivated["indicatoren"] = (
        Indicator.objects.exclude(code__in=indicator_codes).filter(actief=True).update(actief=False)
    )

    _delete_stale(result, themas, aspecten, strategisch, velden)

    for obj in Thema.objects.prefetch_related("maatregelen", "effectindicatoren"):
        up.set_search_text("themas", obj, search.search_text(search.thema_parts(obj)))
    for obj in Aanpakaspect.objects.prefetch_related("maatregelen"):
        up.set_search_text("aanpakaspecten", obj, search.search_text(search.aspect_parts(obj)))
    for obj in StrategischThema.objects.all():
        up.set_search_text(
            "strategische_themas", obj, search.search_text(search.strategic_parts(obj))
        )

    if result.changed:
        CatalogueSync.objects.create(version=cat.versie, summary=result.as_dict())
    return result


def _delete_stale(
    result: SyncResult,
    themas: dict[str, Thema],
    aspecten: dict[str, Aanpakaspect],
    strategisch: dict[str, StrategischThema],
    velden: dict[str, Veiligheidsveld],
) -> None:
    """Delete the structural rows that left the content (with their retired measures and
    indicators); refuse when something else still points at them."""
    stale_themas = Thema.objects.exclude(code__in=themas)
    stale_aspecten = Aanpakaspect.objects.exclude(code__in=aspecten)
    try:
        result.deleted["maatregelen"] += Maatregel.objects.filter(
            Q(thema__in=stale_themas) | Q(aanpakaspect__in=stale_aspecten)
        ).delete()[0]
        result.deleted["indicatoren"] += Indicator.objects.filter(thema__in=stale_themas).delete()[
            0
        ]
        for kind, qs in (
            ("strategische_themas", StrategischThema.objects.exclude(code__in=strategisch)),
            ("aanpakaspecten", stale_aspecten),
            ("themas", stale_themas),
            ("velden", Veiligheidsveld.objects.exclude(code__in=velden)),
        ):
            result.deleted[kind] += qs.count()
            qs.delete()
    except ProtectedError as error:
        names = ", ".join(sorted(str(o) for o in error.protected_objects)[:5])
        raise CatalogueSyncError(
            f"cannot remove catalogue rows that are no longer in the content; still used by: "
            f"{names}"
        ) from error
