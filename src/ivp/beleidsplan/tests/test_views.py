"""Steps 3 and 4 as a user meets them: the prioritering page with the signals of the
analysis, adding priorities (more than four only with a reason), the ongoing themes and the
table of contents; the IVP composer with its chapters, a stale save, indicators with a
baseline from the data and a proposed target, and freezing a version. The bundled real
figures are loaded once for this module."""

import html
import re

import pytest
from django.urls import reverse

from ivp.beleidsplan import services
from ivp.beleidsplan.models import Effectindicator, Hoofdstuk, OverigThema, PlanVersie
from ivp.plans.factories import GemeenteFactory, PlanFactory
from ivp.plans.models import Rol, Wijziging
from ivp.veiligheidsanalyse import services as analyse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundle")]

FIELDS = (
    "Veilige woon- en leefomgeving",
    "Bedrijvigheid en veiligheid",
    "Jeugd en veiligheid",
    "Fysieke veiligheid",
    "Integriteit en veiligheid",
)


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Each test computes its figures from the store (the cache lives per process)."""
    analyse._CACHE.clear()
    yield
    analyse._CACHE.clear()


def prioritering_url(plan):
    return reverse("beleidsplan:prioritering", args=[plan.pk])


def ivp_url(plan):
    return reverse("beleidsplan:ivp", args=[plan.pk])


def text_of(page: str) -> str:
    """The page as a user reads it: tags removed, white space collapsed."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", plain)


def get(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def block(page: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (up to the next section or list item
    of the same kind is enough for these pages: the element's own closing tag)."""
    start = page.index(f'id="{element_id}"')
    tag = page.rfind("<", 0, start)
    name = re.match(r"<(\w+)", page[tag:]).group(1)
    depth, pos = 0, tag
    pattern = re.compile(rf"<(/?){name}\b[^>]*>")
    for match in pattern.finditer(page, tag):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            pos = match.end()
            break
    return text_of(page[tag:pos])


def add_priority(plan, user, titel, themas, **extra):
    return services.add_prioriteit(plan, by=user, titel=titel, themas=themas, **extra)


# -- step 3: prioritering ------------------------------------------------------------------


def test_the_prioritering_page_lists_the_five_fields_with_their_themes_and_signals(
    client, plan, coordinator
):
    analyse.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    client.force_login(coordinator)
    page = get(client, prioritering_url(plan))
    words = text_of(page)
    assert "Stap 3: prioritering" in words
    for index, title in enumerate(FIELDS, start=1):
        assert f"{index} {title}" in words
    for theme in ("1.3 Objectieve veiligheid", "2.2 Veilige bedrijventerreinen", "5.5 Ambtelijke"):
        assert theme in words
    assert "Cijfers van 's-Hertogenbosch in 2017" in words
    # nothing in 's-Hertogenbosch's 2017 figures stands out beyond the usual variation
    assert "Mogelijke prioriteit · score" not in words
    # all 22 themes still need a place
    assert "22 thema's hebben nog geen plaats in het IVP" in words
    # the council handout and the slides
    for document, fmt in (("prioritering", "docx"), ("prioritering", "pdf")):
        assert reverse("documents:download", args=[plan.pk, document, fmt]) in page
    assert reverse("documents:download", args=[plan.pk, "prioritering-slides", "pdf"]) in page


def test_an_accepted_candidate_of_step_2_is_shown_at_its_theme(client, plan, coordinator):
    analyse.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    picture = analyse.veiligheidsbeeld(plan)
    series = analyse.series_by_key(picture, "1.2.1")
    analyse.decide_candidate(
        plan,
        by=coordinator,
        series=series,
        gemeente="GM0796",
        year=2017,
        besluit="aanvaard",
        toelichting="Autokraak rond het station",
    )
    client.force_login(coordinator)
    words = text_of(get(client, prioritering_url(plan)))
    row = words[words.index("1.3 Objectieve veiligheid") :][:1500]
    assert "Aanvaard Diefstal uit/vanaf motorvoertuigen: Autokraak rond het station" in row


def test_a_priority_with_two_themes_is_listed_and_leaves_the_unplaced_themes(
    client, plan, coordinator
):
    client.force_login(coordinator)
    response = client.post(
        prioritering_url(plan),
        {
            "titel": "Woninginbraak en autokraak",
            "themas": ["1.2", "1.3"],
            "accenten": "Binnenstad\nDonkere maanden",
        },
    )
    assert response.status_code == 302
    page = get(client, prioritering_url(plan))
    priorities = block(page, "prioriteiten")
    assert "4.1 Woninginbraak en autokraak" in priorities
    assert "1.2 Fysieke kwaliteit" in priorities
    assert "Accenten: Binnenstad; Donkere maanden" in priorities
    unplaced = block(page, "niet-ingedeeld")
    assert "20 thema's hebben nog geen plaats" in unplaced
    assert "1.2 Fysieke kwaliteit" not in unplaced
    assert "1.3 Objectieve" not in unplaced
    assert "1.1 Sociale kwaliteit" in unplaced
    # and in the table of contents of the IVP under chapter 4
    toc = block(page, "inhoud-ivp")
    assert "4 Prioriteiten 4.1 Woninginbraak en autokraak" in toc
    # the themes taken cannot be chosen again
    assert re.search(r'value="1\.3" id="[^"]+" disabled', page)
    assert Wijziging.objects.filter(plan=plan, onderdeel__startswith="Prioriteit").exists()


def test_a_fifth_priority_needs_a_reason(client, plan, coordinator):
    for titel, code in (("A", "1.1"), ("B", "1.2"), ("C", "1.3"), ("D", "1.4")):
        add_priority(plan, coordinator, titel, [code])
    client.force_login(coordinator)
    # before the user tries, the explanation stands next to the reason field
    words = text_of(get(client, prioritering_url(plan)))
    assert "Dit wordt prioriteit 5. De methode adviseert hoogstens drie à vier prioriteiten" in (
        words
    )
    assert "Reden voor meer dan vier prioriteiten" in words

    response = client.post(prioritering_url(plan), {"titel": "Ondermijning", "themas": ["5.2"]})
    assert response.status_code == 200
    words = text_of(response.content.decode())
    assert "Dit wordt prioriteit 5." in words
    assert "leg dan vast waarom" in words
    assert "Geef een reden, of kies minder prioriteiten." in words
    assert 'value="Ondermijning"' in response.content.decode()  # the input is kept
    assert plan.prioriteiten.count() == 4

    response = client.post(
        prioritering_url(plan),
        {
            "titel": "Ondermijning",
            "themas": ["5.2"],
            "reden_boven_maximum": "De raad wil ondermijning apart zichtbaar houden.",
        },
    )
    assert response.status_code == 302
    fifth = plan.prioriteiten.get(titel="Ondermijning")
    assert fifth.reden_boven_maximum == "De raad wil ondermijning apart zichtbaar houden."
    words = text_of(get(client, prioritering_url(plan)))
    assert "4.5 Ondermijning" in words
    assert "De raad wil ondermijning apart zichtbaar houden." in words


def test_a_priority_is_edited_moved_and_deleted(client, plan, coordinator):
    first = add_priority(plan, coordinator, "Woninginbraak", ["1.3"])
    second = add_priority(plan, coordinator, "Ondermijning", ["5.2"])
    client.force_login(coordinator)
    edit = reverse("beleidsplan:prioriteit", args=[plan.pk, first.pk])
    assert 'value="Woninginbraak"' in get(client, edit)
    response = client.post(
        edit,
        {"titel": "Inbraak en autokraak", "themas": ["1.2", "1.3"], "version": first.version},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.titel, first.themas) == ("Inbraak en autokraak", ["1.2", "1.3"])

    move = reverse("beleidsplan:verplaatsen", args=[plan.pk, "prioriteit", second.pk])
    assert client.post(move, {"richting": "op"}).status_code == 302
    toc = block(get(client, prioritering_url(plan)), "inhoud-ivp")
    assert "4.1 Ondermijning" in toc
    assert "4.2 Inbraak en autokraak" in toc

    delete = reverse("beleidsplan:verwijderen", args=[plan.pk, "prioriteit", second.pk])
    assert "Wilt u de prioriteit ‘Ondermijning’ verwijderen?" in text_of(get(client, delete))
    second.refresh_from_db()
    assert client.post(delete, {"version": second.version}).status_code == 302
    assert list(plan.prioriteiten.values_list("titel", flat=True)) == ["Inbraak en autokraak"]


def test_a_stale_edit_of_a_priority_keeps_the_input_and_shows_the_other(
    client, plan, coordinator, make_member
):
    prioriteit = add_priority(plan, coordinator, "Woninginbraak", ["1.3"])
    editor = make_member("redacteur")
    services.update_part(
        prioriteit, by=editor, expected_version=prioriteit.version, titel="Inbraak"
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("beleidsplan:prioriteit", args=[plan.pk, prioriteit.pk]),
        {"titel": "Woninginbraak en autokraak", "themas": ["1.3"], "version": prioriteit.version},
    )
    assert response.status_code == 200
    page = response.content.decode()
    words = text_of(page)
    assert "heeft dit onderdeel intussen opgeslagen" in words
    assert 'value="Woninginbraak en autokraak"' in page
    assert "Titel Inbraak" in words
    prioriteit.refresh_from_db()
    assert prioriteit.titel == "Inbraak"


def test_the_ongoing_themes_are_clustered_per_field_then_renamed(client, plan, coordinator):
    add_priority(plan, coordinator, "Woninginbraak", ["1.3"])
    client.force_login(coordinator)
    page = get(client, prioritering_url(plan))
    assert (
        "Overige thema&#x27;s per veld indelen" in page
        or "Overige thema's per veld indelen" in (text_of(page))
    )
    response = client.post(reverse("beleidsplan:indelen", args=[plan.pk]))
    assert response.status_code == 302
    assert OverigThema.objects.filter(plan=plan).count() == 5
    page = get(client, prioritering_url(plan))
    words = text_of(page)
    assert "Alle thema's hebben een plaats in het IVP." in words
    assert "nog geen plaats" not in words
    toc = block(page, "inhoud-ivp")
    assert "5 Overige strategische thema's 5.1 Veilige woon- en leefomgeving" in toc

    cluster = OverigThema.objects.get(plan=plan, titel="Veilige woon- en leefomgeving")
    response = client.post(
        reverse("beleidsplan:cluster", args=[plan.pk, cluster.pk]),
        {
            f"c{cluster.pk}-titel": "Leefbaarheid",
            f"c{cluster.pk}-themas": ["1.1"],
            f"c{cluster.pk}-version": cluster.version,
        },
    )
    assert response.status_code == 302
    words = text_of(get(client, prioritering_url(plan)))
    assert "5.1 Leefbaarheid" in words
    assert (
        "2 thema's hebben nog geen plaats in het IVP: 1.2 Fysieke kwaliteit "
        "1.4 Subjectieve veiligheid"
    ) in words


def test_a_stale_save_of_a_cluster_keeps_the_input_and_shows_the_other(
    client, plan, coordinator, make_member
):
    cluster = services.add_overig_thema(plan, by=coordinator, titel="Jeugd", themas=["3.1"])
    editor = make_member("redacteur")
    services.update_part(cluster, by=editor, expected_version=cluster.version, titel="Jongeren")
    client.force_login(coordinator)
    response = client.post(
        reverse("beleidsplan:cluster", args=[plan.pk, cluster.pk]),
        {
            f"c{cluster.pk}-titel": "Jeugd en school",
            f"c{cluster.pk}-themas": ["3.1", "3.4"],
            f"c{cluster.pk}-version": cluster.version,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "heeft dit onderdeel intussen opgeslagen" in text_of(page)
    assert 'value="Jeugd en school"' in page
    assert "Jongeren" in text_of(page)
    cluster.refresh_from_db()
    assert cluster.titel == "Jongeren"


def test_a_reader_sees_no_forms_and_cannot_change_anything(client, plan, coordinator, make_member):
    add_priority(plan, coordinator, "Woninginbraak", ["1.3"])
    reader = make_member("lezer")
    client.force_login(reader)
    page = get(client, prioritering_url(plan))
    assert "4.1 Woninginbraak" in text_of(page)
    for control in (
        "Prioriteit toevoegen",
        "Overige thema's per veld indelen",
        "Bewerken",
        "Verwijderen",
    ):
        assert control not in text_of(page)
    assert 'name="titel"' not in page
    composer = get(client, ivp_url(plan))
    assert "<textarea" not in composer
    assert "Versie vastleggen" not in text_of(composer)

    prioriteit = plan.prioriteiten.get()
    before = Wijziging.objects.filter(plan=plan).count()
    refused = [
        client.post(prioritering_url(plan), {"titel": "X", "themas": ["2.1"]}),
        client.post(reverse("beleidsplan:indelen", args=[plan.pk])),
        client.post(reverse("beleidsplan:cluster_nieuw", args=[plan.pk]), {"nieuw-titel": "X"}),
        client.post(
            reverse("beleidsplan:verplaatsen", args=[plan.pk, "prioriteit", prioriteit.pk]),
            {"richting": "neer"},
        ),
        client.post(
            reverse("beleidsplan:verwijderen", args=[plan.pk, "prioriteit", prioriteit.pk]),
            {"version": prioriteit.version},
        ),
        client.post(
            reverse("beleidsplan:hoofdstuk", args=[plan.pk, 6]),
            {"h6-tekst": "Nee", "h6-version": 0},
        ),
        client.post(
            reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, "plan"]),
            {"iplan-naam": "X", "iplan-bron": "politie", "iplan-eenheid": "aantal"},
        ),
        client.post(reverse("beleidsplan:standaardindicatoren", args=[plan.pk])),
        client.post(
            reverse("beleidsplan:vastleggen", args=[plan.pk]),
            {"status": "concept"},
        ),
    ]
    # nor may a reader open the form that adds an indicator, nor see its box
    refused.append(client.get(reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, "plan"])))
    assert "Indicator toevoegen" not in text_of(composer)
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert list(plan.prioriteiten.values_list("titel", flat=True)) == ["Woninginbraak"]
    assert not OverigThema.objects.filter(plan=plan).exists()
    assert not Hoofdstuk.objects.filter(plan=plan).exists()
    assert not Effectindicator.objects.filter(plan=plan).exists()
    assert not PlanVersie.objects.filter(plan=plan).exists()
    assert Wijziging.objects.filter(plan=plan).count() == before


def test_the_add_indicator_form_opens_on_a_page_of_its_own_without_javascript(
    client, plan, coordinator
):
    prioriteit = add_priority(plan, coordinator, "Woninginbraak", ["1.3"])
    client.force_login(coordinator)
    url = reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, f"p{prioriteit.pk}"])
    assert "Het formulier openen" in block(
        get(client, ivp_url(plan)), f"prioriteit-{prioriteit.pk}"
    )
    assert f'<a href="{url}">Het formulier openen</a>' in get(client, ivp_url(plan))
    page = get(client, url)
    assert "Indicator toevoegen aan ‘Woninginbraak’" in text_of(page)
    assert f'action="{url}"' in page and 'name="ip' in page
    assert f"{ivp_url(plan)}#prioriteit-{prioriteit.pk}" in page  # back to the part
    other = reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, "p999999"])
    assert client.get(other).status_code == 404


def test_an_editor_may_write_but_only_the_coordinator_freezes(client, plan, make_member):
    editor = make_member("redacteur")
    client.force_login(editor)
    page = get(client, ivp_url(plan))
    assert "Hoofdstuk 6 opslaan" in text_of(page)
    assert "Versie vastleggen" not in text_of(page)
    response = client.post(reverse("beleidsplan:vastleggen", args=[plan.pk]), {"status": "concept"})
    assert response.status_code == 403


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login(client, plan, outsider):
    urls = [prioritering_url(plan), ivp_url(plan)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(prioritering_url(plan), {"titel": "X", "themas": ["1.1"]}).status_code == (
        404
    )
    assert not plan.prioriteiten.exists()


def test_a_plan_without_figures_still_shows_both_pages(client):
    plan = PlanFactory(gemeente=GemeenteFactory(code="GM9999", naam="Nergenshuizen"))
    client.force_login(plan.rollen.get(rol=Rol.COORDINATOR).user)
    words = text_of(get(client, prioritering_url(plan)))
    assert "Nog geen cijfers" in words
    assert "1.3 Objectieve veiligheid" in words
    assert "Nog geen cijfers" in text_of(get(client, ivp_url(plan)))


def test_the_plan_page_links_steps_3_and_4(client, plan, coordinator):
    client.force_login(coordinator)
    page = get(client, reverse("plans:detail", args=[plan.pk]))
    assert prioritering_url(plan) in page
    assert ivp_url(plan) in page


# -- step 4: the IVP -----------------------------------------------------------------------


def test_the_composer_shows_the_seven_chapters_and_the_downloads(client, plan, coordinator):
    add_priority(plan, coordinator, "Woninginbraak", ["1.3"])
    client.force_login(coordinator)
    page = get(client, ivp_url(plan))
    words = text_of(page)
    for nummer, label in Hoofdstuk.Nummer.choices:
        assert f"{nummer} {label}" in words
    assert "4.1 Woninginbraak" in words
    for fmt in ("docx", "pdf", "html"):
        assert reverse("documents:download", args=[plan.pk, "ivp", fmt]) in page
    # the cross-cutting strategic themes can be ticked per chapter
    assert page.count('name="h2-strategische_themas"') == 3
    assert "Zorg en Veiligheid" in words


def test_chapter_6_is_saved_and_shown_after_a_reload(client, plan, coordinator):
    client.force_login(coordinator)
    text = "De stuurgroep Veiligheid komt elk kwartaal bijeen."
    response = client.post(
        reverse("beleidsplan:hoofdstuk", args=[plan.pk, 6]),
        {"h6-tekst": text, "h6-version": "0", "h6-vertrouwelijk": "on"},
    )
    assert response.status_code == 302
    page = get(client, ivp_url(plan))
    assert text in page
    assert "Laatst opgeslagen door" in text_of(block(page, "hoofdstuk-6"))
    chapter = Hoofdstuk.objects.get(plan=plan, nummer=6)
    assert chapter.vertrouwelijk
    assert chapter.version == 1


def test_a_stale_save_of_a_chapter_keeps_both_texts_visible(client, plan, coordinator, make_member):
    editor = make_member("redacteur")
    services.save_hoofdstuk(
        plan, by=editor, nummer=6, expected_version=0, tekst="Tekst van de redacteur."
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("beleidsplan:hoofdstuk", args=[plan.pk, 6]),
        {"h6-tekst": "Tekst van de coördinator.", "h6-version": "0"},
    )
    assert response.status_code == 200
    chapter = block(response.content.decode(), "hoofdstuk-6")
    assert "heeft dit onderdeel intussen opgeslagen. Uw wijziging is niet opgeslagen" in chapter
    assert "Uw tekst (niet opgeslagen)" in chapter
    assert "Tekst van de coördinator." in chapter
    assert "Tekst van de redacteur." in chapter
    assert Hoofdstuk.objects.get(plan=plan, nummer=6).tekst == "Tekst van de redacteur."
    # the next save builds on the stored version
    assert 'name="h6-version" value="1"' in response.content.decode()


def test_chapter_1_is_filled_from_the_analysis_without_saving(client, plan, coordinator):
    analyse.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    client.force_login(coordinator)
    response = client.post(
        reverse("beleidsplan:hoofdstuk", args=[plan.pk, 1]),
        {"h1-tekst": "", "h1-version": "0", "vullen": "1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    textarea = re.search(r'<textarea name="h1-tekst"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "peiljaar 2017" in html.unescape(textarea)
    assert "de kerncijfers per veld staan erbij" in html.unescape(textarea)
    assert "nog niet opgeslagen" in text_of(page)
    assert not Hoofdstuk.objects.filter(plan=plan, nummer=1).exists()


def test_chapter_3_takes_red_threads_from_the_suggestions_and_own_rows(client, plan, coordinator):
    client.force_login(coordinator)
    page = get(client, ivp_url(plan))
    assert "Burgerparticipatie" in text_of(block(page, "hoofdstuk-3"))
    response = client.post(
        reverse("beleidsplan:hoofdstuk", args=[plan.pk, 3]),
        {
            "h3-tekst": "Inleiding.",
            "h3-version": "0",
            "h3-draad_0_titel": "Eén gemeente, één aanpak",
            "h3-draad_0_tekst": "Alle afdelingen werken mee.",
            "h3-suggesties": ["Preventie"],
            "h3-strategische_themas": ["zorg-en-veiligheid"],
        },
    )
    assert response.status_code == 302
    chapter = Hoofdstuk.objects.get(plan=plan, nummer=3)
    assert [d["titel"] for d in chapter.rode_draden] == ["Eén gemeente, één aanpak", "Preventie"]
    assert chapter.strategische_themas == ["zorg-en-veiligheid"]
    page = get(client, ivp_url(plan))
    assert 'value="Eén gemeente, één aanpak"' in page
    assert 'value="Preventie"' in page  # now an own row, no longer a suggestion


def test_the_parts_of_a_priority_are_saved_in_chapter_4(client, plan, coordinator):
    prioriteit = add_priority(plan, coordinator, "Woninginbraak", ["1.3"])
    client.force_login(coordinator)
    response = client.post(
        reverse("beleidsplan:onderdeel", args=[plan.pk, "prioriteit", prioriteit.pk]),
        {
            f"p{prioriteit.pk}-waarom": "Meer inbraken dan vergelijkbare gemeenten.",
            f"p{prioriteit.pk}-hoofdlijnen": "Preventie en heterdaadkracht.",
            f"p{prioriteit.pk}-vertrouwelijk": "on",
            f"p{prioriteit.pk}-version": prioriteit.version,
        },
    )
    assert response.status_code == 302
    prioriteit.refresh_from_db()
    assert prioriteit.waarom == "Meer inbraken dan vergelijkbare gemeenten."
    assert prioriteit.vertrouwelijk
    part = block(get(client, ivp_url(plan)), f"prioriteit-{prioriteit.pk}")
    assert "Meer inbraken dan vergelijkbare gemeenten." in part
    assert "vertrouwelijk" in part


def test_an_indicator_linked_to_car_break_ins_gets_its_baseline_and_a_proposed_target(
    client, plan, coordinator
):
    analyse.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    prioriteit = add_priority(plan, coordinator, "Woninginbraak en autokraak", ["1.3"])
    client.force_login(coordinator)
    add_url = reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, f"p{prioriteit.pk}"])
    # the IVP page holds the box; its form is fetched when the box is opened
    assert f'hx-get="{add_url}" hx-trigger="toggle once"' in get(client, ivp_url(plan))
    page = get(client, add_url, HTTP_HX_REQUEST="true")
    assert "<html" not in page and "autofocus" in page
    # the catalogue's suggestions for the priority's theme and the plan's series
    assert 'value="1.3-i03"' in page
    assert '<option value="47018NED|1.2.1">1.2.1 Diefstal uit/vanaf motorvoertuigen' in page
    assert '<option value="thema:1.3">' in page
    prefix = f"ip{prioriteit.pk}"
    response = client.post(
        reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, f"p{prioriteit.pk}"]),
        {
            f"{prefix}-naam": "Diefstal uit/vanaf motorvoertuigen per 1.000 inwoners",
            f"{prefix}-bron": "politie",
            f"{prefix}-eenheid": "per_1000_inwoners",
            f"{prefix}-reeks": "47018NED|1.2.1",
            f"{prefix}-richting": "<=",
            f"{prefix}-streefwaarde": "8,0",
            f"{prefix}-streefjaar": "2030",
        },
    )
    assert response.status_code == 302
    indicator = Effectindicator.objects.get(plan=plan, prioriteit=prioriteit)
    assert indicator.uitgangswaarde == pytest.approx(8.23)
    assert indicator.uitgangsjaar == 2017
    words = block(get(client, ivp_url(plan)), f"indicator-{indicator.pk}")
    assert "Diefstal uit/vanaf motorvoertuigen per 1.000 inwoners" in words
    assert re.search(r"8,23? per 1\.000 inwoners \(2017\)", words)
    assert "≤ 8 per 1.000 inwoners in 2030" in words
    proposal = services.target_proposal(plan, indicator)
    expected = f"{proposal.value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    assert f"Voorstel van ivp: ≤ {expected} per 1.000 inwoners in 2030" in words
    assert proposal.reasons[0] in words
    # a realisation at the proposal would differ demonstrably from the baseline; one at
    # the chosen 8,0 would not (the band of the difference, with the series' dispersion)
    assert (
        "De voorgestelde waarde ligt buiten de gewone schommeling rond de uitgangswaarde" in words
    )
    assert "Uw streefwaarde (≤ 8 per 1.000 inwoners) ligt binnen de gewone schommeling" in words
    assert "kies een streefwaarde onder" in words


def test_an_indicator_from_the_catalogue_takes_its_name_and_source(client, plan, coordinator):
    prioriteit = add_priority(plan, coordinator, "Woninginbraak", ["1.3"])
    client.force_login(coordinator)
    prefix = f"ip{prioriteit.pk}"
    response = client.post(
        reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, f"p{prioriteit.pk}"]),
        {
            f"{prefix}-suggestie": "1.3-i01",
            f"{prefix}-eenheid": "procent",
            f"{prefix}-richting": "<=",
            f"{prefix}-uitgangswaarde": "12,5",
            f"{prefix}-uitgangsjaar": "2023",
        },
    )
    assert response.status_code == 302
    indicator = Effectindicator.objects.get(plan=plan)
    assert indicator.naam == "slachtofferschap vermogensdelicten"
    assert indicator.catalogus_id == "1.3-i01"
    assert indicator.bron == Effectindicator.Bron.VEILIGHEIDSMONITOR
    assert indicator.uitgangswaarde == 12.5
    words = block(get(client, ivp_url(plan)), f"prioriteit-{prioriteit.pk}")
    assert "slachtofferschap vermogensdelicten Veiligheidsmonitor 12,5% (2023)" in words
    assert "nog geen streefwaarde" in words


def test_an_indicator_without_name_or_source_is_refused_with_the_input_kept(
    client, plan, coordinator
):
    client.force_login(coordinator)
    response = client.post(
        reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, "plan"]),
        {"iplan-eenheid": "aantal", "iplan-richting": "<=", "iplan-streefjaar": "2030"},
    )
    assert response.status_code == 200
    words = text_of(block(response.content.decode(), "hoofdstuk-2"))
    assert "Geef de indicator een naam." in words
    assert "Kies een bron." in words
    assert not Effectindicator.objects.filter(plan=plan).exists()


def test_the_default_indicators_of_chapter_2_with_warnings(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("beleidsplan:standaardindicatoren", args=[plan.pk]))
    assert response.status_code == 302
    chapter = block(get(client, ivp_url(plan)), "hoofdstuk-2")
    assert "Totaal geregistreerde misdrijven per 1.000 inwoners" in chapter
    assert "Rapportcijfer veiligheid in de buurt" in chapter
    assert "‘Rapportcijfer veiligheid in de buurt’ heeft nog geen uitgangswaarde." in chapter
    # a second click adds nothing
    client.post(reverse("beleidsplan:standaardindicatoren", args=[plan.pk]))
    assert Effectindicator.objects.filter(plan=plan).count() == 2


def test_an_indicator_is_edited_and_deleted(client, plan, coordinator):
    indicator = services.add_indicator(
        plan, by=coordinator, naam="Meldingen overlast", bron="gemeente", eenheid="aantal"
    )
    client.force_login(coordinator)
    url = reverse("beleidsplan:indicator", args=[plan.pk, indicator.pk])
    assert 'value="Meldingen overlast"' in get(client, url)
    response = client.post(
        url,
        {
            "naam": "Meldingen jeugdoverlast",
            "bron": "gemeente",
            "eenheid": "aantal",
            "richting": "<=",
            "uitgangswaarde": "140",
            "uitgangsjaar": "2024",
            "streefwaarde": "100",
            "streefjaar": "2030",
            "version": indicator.version,
        },
    )
    assert response.status_code == 302
    words = block(get(client, ivp_url(plan)), f"indicator-{indicator.pk}")
    assert "Meldingen jeugdoverlast Gemeente (eigen registratie) 140 (2024) ≤ 100 in 2030" in words
    delete = reverse("beleidsplan:indicator_verwijderen", args=[plan.pk, indicator.pk])
    indicator.refresh_from_db()
    assert client.post(delete, {"version": indicator.version}).status_code == 302
    assert not Effectindicator.objects.filter(plan=plan).exists()


def test_freezing_as_adopted_by_the_council_shows_the_version_with_its_date(
    client, plan, coordinator
):
    client.force_login(coordinator)
    url = reverse("beleidsplan:vastleggen", args=[plan.pk])
    response = client.post(url, {"status": "vastgesteld"})
    assert response.status_code == 200
    assert "Geef de datum waarop de raad het plan heeft vastgesteld." in text_of(
        response.content.decode()
    )
    assert not PlanVersie.objects.filter(plan=plan).exists()

    response = client.post(
        url,
        {"status": "vastgesteld", "vastgesteld_op": "2027-03-14", "toelichting": "Raad 14 maart"},
    )
    assert response.status_code == 302
    versions = block(get(client, ivp_url(plan)), "versies")
    assert "Versie 1 Vastgesteld 14 maart 2027 Raad 14 maart" in versions
    assert "De volgende versie wordt versie 2." in versions
    assert client.post(url, {"status": "concept"}).status_code == 302
    versions = block(get(client, ivp_url(plan)), "versies")
    assert versions.index("Versie 2 Concept") < versions.index("Versie 1 Vastgesteld")
