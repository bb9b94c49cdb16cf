"""``sync_catalogue`` mirrors the content files in the database, idempotently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivp.catalogue import document
from ivp.catalogue.content_loader import CONTENT_DIR, CatalogueError, load_catalogue
from ivp.catalogue.models import (
    Aanpakaspect,
    CatalogueSync,
    Indicator,
    Maatregel,
    StrategischThema,
    Thema,
    Veiligheidsveld,
)
from ivp.catalogue.services import sync_catalogue

pytestmark = pytest.mark.django_db

TOTALS = {
    "velden": 5,
    "themas": 22,
    "aanpakaspecten": 6,
    "strategische_themas": 3,
    "maatregelen": 243,
    "indicatoren": 87,
}


def _counts() -> dict[str, int]:
    return {
        "velden": Veiligheidsveld.objects.count(),
        "themas": Thema.objects.count(),
        "aanpakaspecten": Aanpakaspect.objects.count(),
        "strategische_themas": StrategischThema.objects.count(),
        "maatregelen": Maatregel.objects.count(),
        "indicatoren": Indicator.objects.count(),
    }


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def test_first_sync_creates_everything():
    result = sync_catalogue()
    assert result.created == TOTALS
    assert _counts() == TOTALS
    assert CatalogueSync.objects.count() == 1
    assert CatalogueSync.objects.get().version == "2021.1"
    assert "22 thema's" in str(result)


def test_second_sync_changes_nothing():
    sync_catalogue()
    before = {
        "themas": dict(Thema.objects.values_list("code", "pk")),
        "maatregelen": dict(Maatregel.objects.values_list("code", "pk")),
    }
    again = sync_catalogue()
    assert not again.changed
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert again.unchanged == TOTALS
    assert _counts() == TOTALS
    assert dict(Thema.objects.values_list("code", "pk")) == before["themas"]
    assert dict(Maatregel.objects.values_list("code", "pk")) == before["maatregelen"]
    assert CatalogueSync.objects.count() == 1  # only runs that change something are recorded


def test_the_database_mirrors_the_content_files():
    sync_catalogue()
    cat = load_catalogue()
    for t in cat.themas:
        row = Thema.objects.get(code=t.code)
        doc = document.theme_document(cat, t)
        assert row.titel == doc["title"]
        assert row.veld.code == t.veld_code
        assert row.rol_gemeente == doc["municipal_role"]
        assert row.partners_extern == doc["partners"]["external"]
        assert row.niet_in_handreiking == dict(t.niet_in_handreiking)
        assert [r.code for r in row.raakvlakken.order_by("volgorde")] == doc["links"]
        assert [r.code for r in row.genoemd_bij.order_by("volgorde")] == doc["linked_from"]
        assert [m.code for m in row.maatregelen.all()] == [m["id"] for m in doc["measures"]]
        assert [i.code for i in row.effectindicatoren.all()] == [
            i["id"] for i in doc["effect_indicators"]
        ]
    assert Maatregel.objects.get(code="A1.4-m07").aanpakaspect.code == "A1.4"
    assert Maatregel.objects.get(code="3.1-m02").tekst == "Groepsscan"
    zorg = StrategischThema.objects.get(code="zorg-en-veiligheid")
    assert sorted(zorg.themas.values_list("code", flat=True)) == [
        "1.1",
        "1.3",
        "3.1",
        "3.2",
        "3.3",
        "4.2",
        "5.1",
        "5.2",
    ]


def test_a_changed_file_updates_and_a_removed_measure_is_kept_inactive(content):
    sync_catalogue(load_catalogue(content))
    path = content / "veld-3.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("      - {id: 3.1-m08, tekst: Benutting van sociale media}\n", "")
    text = text.replace("tekst: Hotspotoverleg/jeugdgroepenoverleg", "tekst: Hotspotoverleg")
    path.write_text(text, encoding="utf-8")

    result = sync_catalogue(load_catalogue(content))
    assert result.deactivated["maatregelen"] == 1
    assert result.updated["maatregelen"] == 1 + 2  # the edited one, and 2 that moved up
    retired = Maatregel.objects.get(code="3.1-m08")
    assert not retired.actief and retired.thema.code == "3.1"
    assert Maatregel.objects.get(code="3.1-m01").tekst == "Hotspotoverleg"
    assert "benutting van sociale media" not in Thema.objects.get(code="3.1").zoektekst
    assert CatalogueSync.objects.count() == 2

    # Back to the shipped content: the measure is active again under the same id.
    sync_catalogue()
    assert Maatregel.objects.get(code="3.1-m08").actief


def test_invalid_content_changes_nothing(content):
    sync_catalogue()
    (content / "veld-2.yaml").write_text("veld: [", encoding="utf-8")
    with pytest.raises(CatalogueError):
        sync_catalogue(load_catalogue(content))
    assert _counts() == TOTALS


def test_search_text_is_folded_and_complete():
    sync_catalogue()
    zoektekst = Thema.objects.get(code="3.4").zoektekst
    assert "kluisjescontroles" in zoektekst  # a measure
    assert zoektekst == zoektekst.lower()
    assert "casuistiek" in Thema.objects.get(code="1.1").zoektekst  # "casuïstiek", folded
