"""The plan's own document shape (step 4): own chapter titles and order, chapters added and
left out, numbered sections, annexes, cover and part headings, references that follow the
numbering, the JSON round trip of all of it, and what a version for the council still lacks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ivp.beleidsplan import services
from ivp.beleidsplan.content import comparable, import_plan, plan_content
from ivp.beleidsplan.models import Hoofdstuk, Paragraaf, PlanVersie
from ivp.beleidsplan.outline import outline
from ivp.uitvoering import services as uitvoering

pytestmark = pytest.mark.django_db


def _numbers(plan) -> dict[str, str]:
    return {key: entry.reference for key, entry in outline(plan_content(plan)).items()}


def test_references_follow_the_numbering_when_chapters_are_added_moved_or_left_out(
    plan, coordinator
):
    prio = services.add_prioriteit(plan, by=coordinator, titel="Ondermijning", themas=["5.2"])
    assert prio.sleutel == "ondermijning"
    assert _numbers(plan)["prioriteiten"] == "hoofdstuk 4"
    assert _numbers(plan)["ondermijning"] == "paragraaf 4.1"
    inleiding = services.add_hoofdstuk(plan, by=coordinator, titel="Inleiding", vooraan=True)
    numbers = _numbers(plan)
    assert numbers["inleiding"] == "hoofdstuk 1" and numbers["prioriteiten"] == "hoofdstuk 5"
    assert numbers["ondermijning"] == "paragraaf 5.1"
    services.save_hoofdstuk(plan, by=coordinator, nummer=3, expected_version=0, weggelaten=True)
    assert _numbers(plan)["prioriteiten"] == "hoofdstuk 4"
    assert "strategische-uitgangspunten" not in _numbers(plan)
    services.move_hoofdstuk(inleiding, by=coordinator, direction=1)
    assert _numbers(plan)["inleiding"] == "hoofdstuk 2"
    # the chapters that hold the priorities and the ongoing themes stay in the document
    with pytest.raises(ValidationError):
        services.save_hoofdstuk(plan, by=coordinator, nummer=4, expected_version=0, weggelaten=True)
    # a method chapter is left out, not deleted (its text is kept); an own chapter is deleted
    with pytest.raises(ValidationError):
        services.delete_hoofdstuk(
            Hoofdstuk.objects.get(plan=plan, nummer=1), by=coordinator, expected_version=1
        )
    services.delete_hoofdstuk(inleiding, by=coordinator, expected_version=inleiding.version)
    assert not Hoofdstuk.objects.filter(plan=plan, titel="Inleiding").exists()


def test_a_reference_key_is_unique_and_written_as_a_slug(plan, coordinator):
    services.add_hoofdstuk(plan, by=coordinator, titel="Leeswijzer")
    chapter = services.add_hoofdstuk(plan, by=coordinator, titel="Voorwoord")
    with pytest.raises(ValidationError, match="al in gebruik"):
        services.update_part(
            chapter, by=coordinator, expected_version=chapter.version, sleutel="leeswijzer"
        )
    chapter = services.update_part(
        chapter, by=coordinator, expected_version=chapter.version, sleutel="Woord Vooraf"
    )
    assert chapter.sleutel == "woord-vooraf"


@pytest.fixture
def shaped(plan, coordinator):
    """A plan in its own shape: an Inleiding first, own titles, sections, chapter 7 left out,
    two annexes, a subtitle and own part headings, and an implementation plan with one
    partners list, a sub-group and a planning in own words."""
    prio = services.add_prioriteit(
        plan,
        by=coordinator,
        titel="Veilige wijken",
        themas=["1.3"],
        waarom="Omdat [[overige-themas]] dat niet dekt.",
        hoofdlijnen="- **Regie** op de keten\n  - per wijk\n- preventie",
        doel="*Minder inbraken.*",
    )
    services.add_indicator(
        plan,
        by=coordinator,
        prioriteit=prio,
        naam="Woninginbraken",
        bron="politie",
        eenheid="per_1000_woningen",
        uitgangswaarde=6.2,
        uitgangsjaar=2017,
        uitgangswaarde_voorlopig=True,
        streefwaarde=6.0,
        streefjaar=2022,
    )
    services.cluster_remaining_by_field(plan, by=coordinator)
    inleiding = services.add_hoofdstuk(
        plan, by=coordinator, titel="Inleiding", vooraan=True, tekst="Zie [[ondermijning]]."
    )
    services.save_hoofdstuk(
        plan, by=coordinator, nummer=1, expected_version=0, titel="Waar staan we nu?", tekst="Nu."
    )
    services.save_hoofdstuk(plan, by=coordinator, nummer=7, expected_version=0, weggelaten=True)
    chapter_3 = services.hoofdstuk(plan, 3)
    services.add_paragraaf(plan, by=coordinator, hoofdstuk=chapter_3, titel="Partners", tekst="P.")
    services.add_paragraaf(
        plan, by=coordinator, hoofdstuk=inleiding, titel="Leeswijzer", tekst="L."
    )
    services.add_hoofdstuk(plan, by=coordinator, titel="", soort="bijlage_themas")
    services.add_hoofdstuk(plan, by=coordinator, titel="Begrippen", soort="bijlage", tekst="B.")
    services.save_opmaak(
        plan,
        by=coordinator,
        expected_version=0,
        ondertitel="de basis verstevigd",
        kop_waarom="",
        kop_hoofdlijnen="Hoofdlijnen 2019-2022",
        kop_flankerend="Flankerend beleid",
        kop_doel="Doelstelling 2022",
    )
    up = uitvoering.create_uitvoeringsplan(plan, by=coordinator, jaar=plan.periode_start)
    item = uitvoering.add_onderdeel(up, by=coordinator, titel="Brandveiligheid", prioriteit=prio)
    uitvoering.add_maatregel(
        item,
        by=coordinator,
        titel="Brandveilig leven",
        subgroep="Risicobeheersing",
        partners="OOV, VTH, politie, OM",
        planning="vrij",
        planning_vrij="doorlopend/2019 e.v.",
    )
    uitvoering.mark_partner(plan, by=coordinator, naam="OM", soort="extern")
    return plan


def test_the_shape_travels_with_the_plan_as_json(shaped, coordinator):
    first = plan_content(shaped)
    titles = [(c["kind"], c["title"], c["omitted"]) for c in first["chapters"]]
    assert ("eigen", "Inleiding", False) in titles
    assert ("methode", "Waar staan we nu?", False) in titles
    assert ("methode", "Begroting", True) in titles
    assert ("bijlage_themas", "Veiligheidsthema's", False) in titles
    chapter_3 = next(c for c in first["chapters"] if c["number"] == 3)
    assert chapter_3["sections"][0]["title"] == "Partners"
    assert first["document"]["subtitle"] == "de basis verstevigd"
    assert first["document"]["part_titles"]["why"] == ""
    measure = first["implementation_plans"][0]["items"][0]["measures"][0]
    assert measure["partners"] == ["OOV", "VTH", "politie", "OM"]
    assert measure["subgroup"] == "Risicobeheersing"
    assert measure["planning"] == {
        "kind": "vrij",
        "year": None,
        "onwards": False,
        "quarter": None,
        "start": None,
        "end": None,
        "text": "doorlopend/2019 e.v.",
    }
    assert first["partner_kinds"] == {"OM": "extern"}
    assert first["priorities"][0]["indicators"][0]["baseline_provisional"] is True

    coordinator.is_superuser = True
    coordinator.save()
    copy = import_plan(first, by=coordinator, as_new=True)
    again = plan_content(copy)
    assert comparable(again) == comparable(first)
    assert outline(again) == outline(first)


def test_an_older_export_without_the_shape_imports_with_the_methods_chapters(plan, coordinator):
    old = plan_content(plan)
    old["chapters"] = [
        {
            "number": 6,
            "title": "Coördinatie en beleidscyclus",
            "text": "Cyclus",
            "red_threads": [],
            "strategic_themes": [],
            "confidential": False,
        }
    ]
    del old["document"]
    coordinator.is_superuser = True
    coordinator.save()
    copy = import_plan(old, by=coordinator, as_new=True)
    chapter = Hoofdstuk.objects.get(plan=copy, nummer=6)
    assert (chapter.titel, chapter.sleutel, chapter.volgorde) == ("", "coordinatie", 60)
    assert outline(plan_content(copy))["coordinatie"].reference == "hoofdstuk 6"


def test_a_version_for_the_council_lists_what_is_missing_and_a_concept_can_always_be_frozen(
    shaped, coordinator
):
    with pytest.raises(services.NotReadyForCouncil) as refused:
        services.freeze(shaped, by=coordinator, status=PlanVersie.Status.TER_VASTSTELLING)
    missing = refused.value.missing
    assert "Hoofdstuk 3 ‘Strategische doelstelling’: de tekst ontbreekt." in missing
    assert any("Paragraaf 6.1" in m and "toelichting of de hoofdlijnen" in m for m in missing)
    assert not PlanVersie.objects.filter(plan=shaped).exists()
    concept = services.freeze(shaped, by=coordinator)
    assert concept.inhoud["plan"]["frozen"] is True
    # a broken reference is listed too
    inleiding = Hoofdstuk.objects.get(plan=shaped, titel="Inleiding")
    services.update_part(
        inleiding, by=coordinator, expected_version=inleiding.version, tekst="Zie [[weg]]."
    )
    assert any("[[weg]]" in m for m in services.missing_for_council(shaped))


def test_a_complete_plan_goes_to_the_council(plan, coordinator):
    prio = services.add_prioriteit(
        plan, by=coordinator, titel="Jeugd", themas=["3.1"], waarom="W", hoofdlijnen="H", doel="D"
    )
    assert prio
    for cluster in services.cluster_remaining_by_field(plan, by=coordinator):
        services.update_part(cluster, by=coordinator, expected_version=cluster.version, waarom="T")
    for nummer in (1, 2, 3, 6, 7):
        services.save_hoofdstuk(plan, by=coordinator, nummer=nummer, expected_version=0, tekst="X")
    assert services.missing_for_council(plan) == []
    versie = services.freeze(plan, by=coordinator, status=PlanVersie.Status.TER_VASTSTELLING)
    assert versie.get_status_display() == "Ter vaststelling aan de raad"


def test_the_council_readiness_box_is_fetched_when_seen_and_only_by_the_coordinator(
    client, shaped, coordinator, make_member
):
    client.force_login(coordinator)
    page = client.get(reverse("beleidsplan:ivp", args=[shaped.pk])).content.decode()
    url = reverse("beleidsplan:gereedheid", args=[shaped.pk])
    # the page does not compute the list: the box fetches it when it comes into view
    assert f'hx-get="{url}"' in page and "ontbreken nog" not in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "ontbreken nog" in fragment
    assert "Hoofdstuk 3 ‘Strategische doelstelling’: de tekst ontbreekt." in fragment
    assert "<html" not in fragment
    # without JavaScript the link opens a page of its own
    full = client.get(url).content.decode()
    assert "<html" in full and "ontbreken nog" in full
    # an editor may not freeze versions, so neither sees the box nor may fetch it
    client.force_login(make_member("redacteur"))
    assert (
        "gereedheid"
        not in client.get(reverse("beleidsplan:ivp", args=[shaped.pk])).content.decode()
    )
    assert client.get(url).status_code == 403


# -- the pages ------------------------------------------------------------------------------


def test_the_ivp_page_adds_chapters_and_sections_and_keeps_input_on_a_stale_save(
    client, plan, coordinator, make_member
):
    client.force_login(coordinator)
    response = client.post(
        reverse("beleidsplan:hoofdstuk_toevoegen", args=[plan.pk]),
        {"titel": "Voorwoord", "soort": "eigen", "vooraan": "on"},
    )
    assert response.status_code == 302
    voorwoord = Hoofdstuk.objects.get(plan=plan, titel="Voorwoord")
    response = client.post(
        reverse("beleidsplan:paragraaf_toevoegen", args=[plan.pk]),
        {"deel": voorwoord.pk, "titel": "Dank"},
    )
    assert response.status_code == 302
    section = Paragraaf.objects.get(hoofdstuk=voorwoord)
    page = client.get(reverse("beleidsplan:ivp", args=[plan.pk])).content.decode()
    assert "[[voorwoord]]" in page and "1.1" in page and "Dank" in page
    # someone else saves the section first: the user's text stays in the form
    services.update_part(section, by=make_member("redacteur"), expected_version=1, tekst="Eerst.")
    response = client.post(
        reverse("beleidsplan:paragraaf", args=[plan.pk, section.pk]),
        {
            f"par{section.pk}-titel": "Dank",
            f"par{section.pk}-tekst": "Mijn tekst.",
            f"par{section.pk}-version": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mijn tekst." in page and "Eerst." in page
    assert Paragraaf.objects.get(pk=section.pk).tekst == "Eerst."
    # a version for the council: refused with the list, shown on the page
    response = client.post(
        reverse("beleidsplan:vastleggen", args=[plan.pk]), {"status": "ter_vaststelling"}
    )
    page = response.content.decode()
    assert "nog niet klaar voor de raad" in page
    assert "ontbreken nog" in page
    assert not PlanVersie.objects.filter(plan=plan).exists()


def test_the_priority_motivation_is_written_in_step_3(client, plan, coordinator):
    prio = services.add_prioriteit(plan, by=coordinator, titel="Jeugd", themas=["3.1"])
    client.force_login(coordinator)
    response = client.post(
        reverse("beleidsplan:prioriteit", args=[plan.pk, prio.pk]),
        {"titel": "Jeugd", "themas": ["3.1"], "waarom": "Veel overlast.", "version": prio.version},
    )
    assert response.status_code == 302
    prio.refresh_from_db()
    assert prio.waarom == "Veel overlast."
