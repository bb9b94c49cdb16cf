"""Pages of the Themabibliotheek: the handbook's table of themes, a page per theme, per
aspect of approach and per strategic theme, and search. Read-only; the rows come from
``services.sync_catalogue()``."""

from __future__ import annotations

from itertools import zip_longest

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ivp.catalogue import search as catalogue_search
from ivp.catalogue.models import (
    Aanpakaspect,
    CatalogueSync,
    Indicator,
    Maatregel,
    StrategischThema,
    Thema,
    Veiligheidsveld,
)
from ivp.catalogue.schema import IVP_HOOFDSTUKKEN


def _gap_texts(obj) -> dict[str, str]:
    """Attribute → the sentence shown where the handbook gives nothing."""
    texts = {
        "leeg": _("De handreiking laat dit onderdeel leeg."),
        "ontbreekt": _("De handreiking geeft dit onderdeel niet voor dit thema."),
        "per_aspect": _(
            "In veld 1 werkt de handreiking dit onderdeel niet per thema uit, maar per "
            "aanpakaspect voor het hele veld (zie de aanpakaspecten hierboven)."
        ),
    }
    return {attr: texts[reason] for attr, reason in obj.niet_in_handreiking.items()}


def _grouped(maatregelen) -> list[tuple[str, list[Maatregel]]]:
    """Measures in order, grouped by ``groep`` as the handbook groups them."""
    groups: list[tuple[str, list[Maatregel]]] = []
    for m in maatregelen:
        if groups and groups[-1][0] == m.groep:
            groups[-1][1].append(m)
        else:
            groups.append((m.groep, [m]))
    return groups


def _last_sync() -> CatalogueSync | None:
    return CatalogueSync.objects.first()


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    velden = list(Veiligheidsveld.objects.prefetch_related("themas", "aanpakaspecten"))
    columns = [list(v.themas.all()) for v in velden]
    rows = [list(row) for row in zip_longest(*columns)] if columns else []
    aspecten = [a for v in velden for a in v.aanpakaspecten.all()]
    return render(
        request,
        "catalogue/overview.html",
        {
            "velden": velden,
            "rows": rows,
            "aspecten": aspecten,
            "strategisch": StrategischThema.objects.all(),
            "n_themas": sum(len(c) for c in columns),
            "n_maatregelen": Maatregel.objects.filter(actief=True).count(),
            "n_indicatoren": Indicator.objects.filter(actief=True).count(),
            "last_sync": _last_sync(),
        },
    )


@login_required
def theme(request: HttpRequest, code: str) -> HttpResponse:
    thema = get_object_or_404(
        Thema.objects.select_related("veld").prefetch_related(
            "raakvlakken", "genoemd_bij", "strategische_themas"
        ),
        code=code,
    )
    uitgaand = list(thema.raakvlakken.order_by("volgorde"))
    inkomend = list(thema.genoemd_bij.order_by("volgorde"))
    inkomend_codes = {t.code for t in inkomend}
    uitgaand_codes = {t.code for t in uitgaand}
    return render(
        request,
        "catalogue/theme.html",
        {
            "thema": thema,
            "veld": thema.veld,
            "gaps": _gap_texts(thema),
            "groups": _grouped(thema.maatregelen.filter(actief=True)),
            "indicatoren": thema.effectindicatoren.filter(actief=True),
            "uitgaand": [(t, t.code in inkomend_codes) for t in uitgaand],
            "inkomend": [(t, t.code in uitgaand_codes) for t in inkomend],
            "strategisch": thema.strategische_themas.all(),
            "aspecten": thema.veld.aanpakaspecten.all(),
            "vorige": Thema.objects.filter(volgorde__lt=thema.volgorde)
            .order_by("-volgorde")
            .first(),
            "volgende": Thema.objects.filter(volgorde__gt=thema.volgorde)
            .order_by("volgorde")
            .first(),
        },
    )


@login_required
def aspect(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_object_or_404(Aanpakaspect.objects.select_related("veld"), code=code.upper())
    return render(
        request,
        "catalogue/aspect.html",
        {
            "aspect": obj,
            "veld": obj.veld,
            "gaps": _gap_texts(obj),
            "groups": _grouped(obj.maatregelen.filter(actief=True)),
            "themas": obj.veld.themas.all(),
            "aspecten": obj.veld.aanpakaspecten.all(),
        },
    )


@login_required
def strategic(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_object_or_404(StrategischThema, code=code)
    themas = {t.code: t for t in obj.themas.all()}
    verwijzingen = [
        (r["omschrijving"], [themas[c] for c in r["codes"] if c in themas])
        for r in obj.thema_verwijzingen
    ]
    plekken = [
        ([(h, IVP_HOOFDSTUKKEN.get(h, "")) for h in p["hoofdstukken"]], p["toelichting"])
        for p in obj.plek_in_ivp
    ]
    return render(
        request,
        "catalogue/strategic.html",
        {
            "st": obj,
            "gaps": _gap_texts(obj),
            "verwijzingen": verwijzingen,
            "plekken": plekken,
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    words, hits = catalogue_search.search(query) if query else ([], [])
    return render(
        request,
        "catalogue/search.html",
        {"query": query, "words": words, "hits": hits, "searched": bool(query)},
    )
