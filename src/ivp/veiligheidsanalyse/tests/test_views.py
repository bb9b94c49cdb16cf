"""Step 2 as a user meets it: the overview of the five fields, a field's page with its
figures and texts, saving (also when someone else saved first) and deciding on the
priority candidates. The bundled real figures are loaded once for this module."""

import html
import re

import pytest
from django.urls import reverse

from ivp.plans.factories import PlanFactory
from ivp.plans.models import Rol, Wijziging
from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.models import AnalyseTekst, KandidaatBesluit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundle")]


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Each test computes its figures from the store (the cache lives per process)."""
    services._CACHE.clear()
    yield
    services._CACHE.clear()


@pytest.fixture
def proposing_plan(db):
    """A plan of Ouder-Amstel: its figures show demonstrable signals (bicycle and car
    theft around the stadium, several times the median of comparable gemeenten)."""
    from ivp.plans.factories import GemeenteFactory

    return PlanFactory(
        in_analysis=True, gemeente=GemeenteFactory(code="GM0437", naam="Ouder-Amstel")
    )


@pytest.fixture
def proposing_coordinator(proposing_plan):
    return proposing_plan.rollen.get(rol=Rol.COORDINATOR).user


def overview_url(plan):
    return reverse("veiligheidsanalyse:overview", args=[plan.pk])


def field_url(plan, code):
    return reverse("veiligheidsanalyse:veld", args=[plan.pk, code])


def tekst_url(plan, onderwerp):
    return reverse("veiligheidsanalyse:tekst", args=[plan.pk, onderwerp])


def text_of(page: str) -> str:
    """The page as a user reads it: tags removed, white space collapsed."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", plain).replace("\u200b", "")


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# -- the overview ------------------------------------------------------------------------


def test_the_overview_maps_the_five_fields_with_the_figures_of_the_reference_year(
    client, plan, coordinator
):
    services.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    client.force_login(coordinator)
    page = get(client, overview_url(plan))
    words = text_of(page)
    for title in (
        "Veilige woon- en leefomgeving",
        "Bedrijvigheid en veiligheid",
        "Jeugd en veiligheid",
        "Fysieke veiligheid",
        "Integriteit en veiligheid",
    ):
        assert title in words
    assert "Het veiligheidsbeeld van 's-Hertogenbosch in 2017" in words
    # 's-Hertogenbosch, car break-ins 2017: 1,259 offences, 8.23 per 1,000 inhabitants
    assert re.search(
        r"1\.2\.1 Diefstal uit/vanaf motorvoertuigen (voorgesteld )?1\.259 8,23", words
    )
    # the link from the card to its theme on the field page
    assert f'href="{field_url(plan, "1")}#thema-1_3"' in page


def test_the_overview_shows_change_verdicts_candidates_and_the_report(
    client, proposing_plan, proposing_coordinator
):
    plan = proposing_plan
    client.force_login(proposing_coordinator)
    picture = services.veiligheidsbeeld(plan)
    best = picture.candidates()[0]
    words = text_of(get(client, overview_url(plan)))
    assert "Mogelijke prioriteiten" in words
    assert f"{best.code} {best.title} (thema) score {best.candidate.score}" in words or (
        f"{best.code} {best.title} score {best.candidate.score}" in words
    )
    assert best.candidate.reasons[0] in words
    assert "meer dan de gewone spreiding tussen gemeenten" in words
    assert "t.o.v. 2024:" in words
    assert "binnen de gewone schommeling" in words
    assert "Mogelijke prioriteit · score" in words
    page = get(client, overview_url(plan))
    for fmt in ("docx", "pdf", "html"):
        assert reverse("documents:download", args=[plan.pk, "veiligheidsanalyse", fmt]) in page
    # the note on missing categories points to the data fetch page
    assert "Van Ouder-Amstel ontbreken 46 van de 58 categorieën" in words
    assert reverse("datasets:fetch") + "?gemeente=GM0437" in page


def test_without_demonstrable_signals_the_overview_names_the_strongest(client, plan, coordinator):
    # 's-Hertogenbosch 2025: nothing stands out beyond the usual variation
    client.force_login(coordinator)
    assert services.veiligheidsbeeld(plan).candidates() == []
    words = text_of(get(client, overview_url(plan)))
    assert "Geen reeks wijkt aantoonbaar af" in words
    strongest = words[words.index("Sterkste signalen, niet aantoonbaar") :]
    assert "binnen de gewone" in strongest[:600]
    # strongest first (murders and attempts, nominally notable), and only signals that lean
    # towards worse: burglary at 1,0× the median is no signal at all
    assert strongest.index("Moord, doodslag") < strongest.index("Diefstal van motorvoertuigen")
    assert "Diefstal/inbraak woning" not in strongest[:600]


def test_the_coordinator_chooses_the_comparison_group(client, plan, coordinator):
    client.force_login(coordinator)
    page = get(client, overview_url(plan))
    assert "De 30 gemeenten die in 2025 het meest op 's-Hertogenbosch lijken" in text_of(page)
    url = reverse("veiligheidsanalyse:vergelijking", args=[plan.pk])
    # the form (every gemeente in a list) is fetched when its box is opened, with the focus
    # in it; without JavaScript the link in the box opens it on a page of its own
    assert f'hx-get="{url}" hx-trigger="toggle once"' in page and 'name="gemeenten"' not in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "autofocus" in fragment
    assert '<option value="GM0855">Tilburg</option>' in fragment
    assert re.search(r'value="standaard"[^>]*checked', fragment)  # the current choice
    own_page = text_of(get(client, url))
    assert (
        "Vergelijkingsgroep kiezen" in own_page and "Terug naar de veiligheidsanalyse" in own_page
    )
    # an own selection of fewer than five others changes nothing and says why
    response = client.post(url, {"soort": "eigen", "gemeenten": ["GM0855", "GM0758"]}, follow=True)
    assert "Kies ten minste 5 andere gemeenten" in text_of(response.content.decode())
    assert services.vergelijking(plan).kind == "standaard"
    assert client.post(url, {"soort": "grootteklasse"}).status_code == 302
    assert services.vergelijking(plan).kind == "grootteklasse"
    words = text_of(get(client, overview_url(plan)))
    assert "Gemeenten met 150.000 tot 250.000 inwoners in 2025" in words
    chosen = ["GM0855", "GM0758", "GM0772", "GM0153", "GM0200", "GM0344"]
    assert client.post(url, {"soort": "eigen", "gemeenten": chosen}).status_code == 302
    assert services.vergelijking(plan).codes == tuple(sorted(chosen))
    assert "Eigen selectie van 6 gemeenten" in text_of(get(client, overview_url(plan)))
    history = Wijziging.objects.filter(
        plan=plan, onderdeel="Veiligheidsanalyse: vergelijkingsgroep"
    )
    assert history.count() == 2


def test_the_field_page_shows_the_funnel_with_its_result_in_words(client, plan, coordinator):
    client.force_login(coordinator)
    page = get(client, field_url(plan, "1"))
    assert page.count('class="ivp-va-chart ivp-va-funnel"') >= 2
    assert "<desc>'s-Hertogenbosch: " in page  # the text alternative of the image
    words = text_of(page)
    assert "Vergeleken met vergelijkbare gemeenten: 's-Hertogenbosch: " in words
    assert (
        "binnen de gewone spreiding tussen gemeenten (voor een gemeente van deze grootte" in words
    )
    assert "Gewone schommeling per jaar" in words


def test_a_theme_without_police_figures_says_so_and_names_its_sources(client, plan, coordinator):
    client.force_login(coordinator)
    overview = text_of(get(client, overview_url(plan)))
    card = overview[overview.index("5.4 Informatieveiligheid") :][:300]
    assert "Nog geen enkel cijfer" in card
    assert "ENSIA" in card
    field = text_of(get(client, field_url(plan, "5")))
    section = field[field.index("5.4 Informatieveiligheid Thema in de themabibliotheek") :][:600]
    # no police figures and no other source: the page says so and how to add figures
    assert "Voor dit thema heeft ivp nog geen enkel cijfer van deze gemeente." in section
    assert "ENSIA: Eenduidige Normatiek Single Information Audit" in section
    assert "Informatiepositie en sjablonen" in section


def test_the_coordinator_chooses_the_reference_year(client, plan, coordinator):
    client.force_login(coordinator)
    page = get(client, overview_url(plan))
    assert 'name="peiljaar"' in page
    assert '<option value="2012">2012</option>' in page
    response = client.post(
        reverse("veiligheidsanalyse:peiljaar", args=[plan.pk]), {"peiljaar": "2019"}
    )
    assert response.status_code == 302
    assert services.peiljaar(plan) == 2019
    assert "De cijfers gaan over 2019" in text_of(get(client, overview_url(plan)))
    assert Wijziging.objects.filter(plan=plan, onderdeel="Veiligheidsanalyse: peiljaar").exists()


def test_a_joint_plan_switches_between_its_gemeenten(client):
    plan = PlanFactory(joint=True, in_analysis=True)
    client.force_login(plan.rollen.get(rol=Rol.COORDINATOR).user)
    page = get(client, overview_url(plan))
    assert "?gemeente=GM0797" in page
    words = text_of(get(client, overview_url(plan) + "?gemeente=GM0797"))
    assert "Het veiligheidsbeeld van Heusden" in words
    assert "Het veiligheidsbeeld van Heusden" not in text_of(page)


def test_step_2_on_the_plan_page_links_to_the_analysis(client, plan, coordinator):
    client.force_login(coordinator)
    page = get(client, reverse("plans:detail", args=[plan.pk]))
    assert overview_url(plan) in page


# -- a field -------------------------------------------------------------------------------


def test_a_field_shows_per_theme_figures_chart_comparison_trend_and_sources(
    client, plan, coordinator
):
    services.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    client.force_login(coordinator)
    page = get(client, field_url(plan, "1"))
    words = text_of(page)
    start = words.index("1.3 Objectieve veiligheid")
    theme = words[start : words.index("Analyse van de werkgroep (1.3)")]
    # the table: one row per series and measure, one column per year
    assert re.search(
        r"1\.2\.1 Diefstal uit/vanaf motorvoertuigen aantal 1\.519 1\.604 1\.446 1\.852", theme
    )
    assert "1.682 1.259 per 1.000 inwoners — — — 12,24 11,07 8,23" in theme
    assert page.count("<svg") >= 2  # a chart for 1.2 and 1.3
    assert "47018NED" in theme and "70072NED" in theme and "47025NED" in theme
    assert "opgehaald op 22 januari 2024" in theme  # the national figures' retrieval date
    assert "Vergelijkbare gemeenten" in theme
    assert "De 30 gemeenten die in 2017 het meest op 's-Hertogenbosch lijken" in theme
    assert re.search(r"\d+ van \d+", theme)  # rank
    assert "per jaar (95%-interval" in theme
    assert reverse("catalogue:theme", args=["1.3"]) in page


def test_field_1_asks_problems_per_theme_and_the_approach_per_aspect(client, plan, coordinator):
    client.force_login(coordinator)
    page = get(client, field_url(plan, "1"))
    assert 'name="o1_3-probleem"' in page
    assert 'name="o1_3-oordeel"' in page
    assert 'name="o1_3-huidige_aanpak"' not in page
    assert "Aanpak per aspect" in page
    for code in ("a1_1", "a1_6"):
        assert f'name="o{code}-huidige_aanpak"' in page
        assert f'name="o{code}-extra"' in page
    assert 'name="ov1-conclusie"' in page
    page5 = get(client, field_url(plan, "5"))
    for name in ("probleem", "huidige_aanpak", "extra", "oordeel"):
        assert f'name="o5_2-{name}"' in page5
    assert "Aanpak per aspect" not in page5


def test_an_unknown_field_is_404(client, plan, coordinator):
    client.force_login(coordinator)
    assert client.get(field_url(plan, "7")).status_code == 404
    assert client.post(tekst_url(plan, "9.9"), {}).status_code == 404


# -- saving texts ------------------------------------------------------------------------


def test_a_saved_text_is_in_the_history_and_on_the_next_page(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.post(
        tekst_url(plan, "1.3"),
        {
            "o1_3-version": 0,
            "o1_3-probleem": "Veel autokraak rond het centrum.",
            "o1_3-oordeel": "aandacht",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == field_url(plan, "1") + "#onderwerp-1_3"
    entry = Wijziging.objects.get(plan=plan, onderdeel__startswith="Veiligheidsanalyse 1.3")
    assert entry.user == coordinator
    assert entry.velden["problematiek"] == ["", "Veel autokraak rond het centrum."]
    page = get(client, field_url(plan, "1"))
    assert "Veel autokraak rond het centrum." in page
    assert "De tekst over Objectieve veiligheid" in text_of(page)  # the success message
    assert "Werkgroep: Aandacht nodig" in text_of(get(client, overview_url(plan)))
    assert "Veiligheidsanalyse 1.3" in get(client, reverse("plans:geschiedenis", args=[plan.pk]))


def test_a_save_with_htmx_answers_only_the_subject(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.post(
        tekst_url(plan, "A1.2"),
        {"oa1_2-version": 0, "oa1_2-huidige_aanpak": "Buurtschouw", "oa1_2-extra": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.startswith('<div class="ivp-va-tekst" id="onderwerp-a1_2">')
    assert "De tekst is opgeslagen." in fragment
    assert 'name="oa1_2-version" value="1"' in fragment
    assert AnalyseTekst.objects.get(plan=plan, onderwerp="A1.2").huidige_aanpak == "Buurtschouw"


def test_a_stale_save_keeps_both_texts_and_stores_nothing(client, plan, coordinator, make_member):
    editor = make_member(Rol.REDACTEUR)
    # both read version 0
    client.force_login(coordinator)
    assert 'name="o2_1-version" value="0"' in get(client, field_url(plan, "2"))
    client.force_login(editor)
    assert 'name="o2_1-version" value="0"' in get(client, field_url(plan, "2"))
    # the coordinator saves first
    client.force_login(coordinator)
    first = {
        "o2_1-version": 0,
        "o2_1-probleem": "Winkeldiefstal in de binnenstad.",
        "o2_1-huidige_aanpak": "",
        "o2_1-extra": "",
        "o2_1-oordeel": "",
    }
    assert client.post(tekst_url(plan, "2.1"), first).status_code == 302
    # the editor's save is refused, the editor's text stays in the form
    client.force_login(editor)
    second = {**first, "o2_1-probleem": "Overlast van hangjongeren bij het winkelcentrum."}
    response = client.post(tekst_url(plan, "2.1"), second)
    assert response.status_code == 200
    page = response.content.decode()
    words = text_of(page)
    assert f"{coordinator.get_full_name()} heeft deze tekst intussen opgeslagen" in words
    assert "Uw tekst is niet opgeslagen" in words
    textarea = re.search(r'<textarea name="o2_1-probleem"[^>]*>(.*?)</textarea>', page, re.S)
    assert "Overlast van hangjongeren bij het winkelcentrum." in textarea.group(1)
    other = page[page.index("ivp-va-conflict__other") :]
    assert "Winkeldiefstal in de binnenstad." in other[: other.index("</aside>")]
    stored = AnalyseTekst.objects.get(plan=plan, onderwerp="2.1")
    assert (stored.probleem, stored.version) == ("Winkeldiefstal in de binnenstad.", 1)
    assert Wijziging.objects.filter(onderdeel__startswith="Veiligheidsanalyse 2.1").count() == 1
    # the form now builds on the stored version: saving again succeeds
    assert 'name="o2_1-version" value="1"' in page
    assert client.post(tekst_url(plan, "2.1"), {**second, "o2_1-version": 1}).status_code == 302
    stored.refresh_from_db()
    assert stored.probleem == "Overlast van hangjongeren bij het winkelcentrum."


# -- who may do what ---------------------------------------------------------------------


def test_a_viewer_reads_without_forms_and_a_post_changes_nothing(client, plan, make_member):
    services.save_tekst(
        plan,
        by=plan.rollen.get(rol=Rol.COORDINATOR).user,
        onderwerp="1.3",
        expected_version=0,
        probleem="Tekst van de werkgroep.",
    )
    viewer = make_member(Rol.LEZER)
    client.force_login(viewer)
    page = get(client, field_url(plan, "1"))
    assert "Tekst van de werkgroep." in page
    assert "<textarea" not in page
    assert "Nog niet ingevuld." in page
    assert "Plaats een reactie" not in page  # a reader may not comment
    overview = get(client, overview_url(plan))
    assert 'name="besluit"' not in overview
    assert 'name="peiljaar"' not in overview
    key = services.veiligheidsbeeld(plan).candidates(only_proposed=False)[0].key
    refused = [
        client.post(tekst_url(plan, "1.3"), {"o1_3-version": 1, "o1_3-probleem": "Gekaapt"}),
        client.post(
            reverse("veiligheidsanalyse:besluit", args=[plan.pk]),
            {"sleutel": key, "gemeente": "GM0796", "besluit": "aanvaard"},
        ),
        client.post(reverse("veiligheidsanalyse:peiljaar", args=[plan.pk]), {"peiljaar": "2017"}),
        client.get(reverse("veiligheidsanalyse:vergelijking", args=[plan.pk])),
    ]
    assert "Vergelijkingsgroep kiezen" not in text_of(overview)
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert (
        AnalyseTekst.objects.get(plan=plan, onderwerp="1.3").probleem == "Tekst van de werkgroep."
    )
    assert not KandidaatBesluit.objects.exists()
    assert services.peiljaar(plan) is None


def test_a_contributor_reads_and_is_pointed_to_the_comments(client, plan, make_member):
    client.force_login(make_member(Rol.BIJDRAGER))
    page = get(client, field_url(plan, "2"))
    assert "<textarea" not in page
    assert reverse("plans:reacties", args=[plan.pk]) in page
    assert "Plaats een reactie" in page


def test_a_user_of_another_municipality_gets_404(client, plan, outsider):
    client.force_login(outsider)
    assert client.get(overview_url(plan)).status_code == 404
    assert client.get(field_url(plan, "1")).status_code == 404
    response = client.post(tekst_url(plan, "1.3"), {"o1_3-version": 0, "o1_3-probleem": "x"})
    assert response.status_code == 404
    assert not AnalyseTekst.objects.exists()


def test_anonymous_users_are_sent_to_login(client, plan):
    for url in (overview_url(plan), field_url(plan, "1")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(tekst_url(plan, "1.3"), {}).status_code == 302
    assert not AnalyseTekst.objects.exists()


# -- deciding on candidates ----------------------------------------------------------------


def decide(client, plan, key, besluit, toelichting="", **extra):
    return client.post(
        reverse("veiligheidsanalyse:besluit", args=[plan.pk]),
        {
            "sleutel": key,
            "gemeente": plan.gemeenten.first().code,
            "besluit": besluit,
            "toelichting": toelichting,
        },
        **extra,
    )


def test_accepting_and_rejecting_candidates_stores_and_shows_the_decision(
    client, proposing_plan, proposing_coordinator
):
    plan, coordinator = proposing_plan, proposing_coordinator
    client.force_login(coordinator)
    first, second = services.veiligheidsbeeld(plan).candidates()[:2]
    response = decide(client, plan, first.key, "aanvaard", "Speerpunt van de burgemeester.")
    assert response.status_code == 302
    assert response["Location"].startswith(overview_url(plan))
    assert decide(client, plan, second.key, "afgewezen").status_code == 302
    accepted = KandidaatBesluit.objects.get(sleutel=first.key)
    assert accepted.besluit == "aanvaard"
    assert accepted.score == first.candidate.score
    assert accepted.redenen == list(first.candidate.reasons)
    assert accepted.peiljaar == 2025
    assert accepted.besloten_door == coordinator
    words = text_of(get(client, overview_url(plan)))
    name = coordinator.get_full_name()
    assert re.search(
        re.escape(first.title) + rf"( \(thema\))? score {first.candidate.score}", words
    )
    assert f"Aanvaard als mogelijke prioriteit door {name}" in words
    assert "Speerpunt van de burgemeester." in words
    assert f"Afgewezen door {name}" in words
    # withdrawn: the candidate is open again
    assert decide(client, plan, second.key, "intrekken").status_code == 302
    assert not KandidaatBesluit.objects.filter(sleutel=second.key).exists()


def test_a_decision_with_htmx_answers_the_candidate_only(
    client, proposing_plan, proposing_coordinator
):
    plan = proposing_plan
    client.force_login(proposing_coordinator)
    best = services.veiligheidsbeeld(plan).candidates()[0]
    response = decide(client, plan, best.key, "afgewezen", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.startswith('<li class="ivp-va-cand ivp-va-cand--afgewezen"')
    assert "Afgewezen" in fragment and "Besluit intrekken" in fragment


def test_a_decided_candidate_stays_visible_in_another_reference_year(
    client, proposing_plan, proposing_coordinator
):
    plan, coordinator = proposing_plan, proposing_coordinator
    client.force_login(coordinator)
    now = {s.key for s in services.veiligheidsbeeld(plan).candidates()}
    then = {s.key for s in services.veiligheidsbeeld(plan, year=2017).candidates()}
    key = sorted(now - then)[0]
    assert decide(client, plan, key, "aanvaard").status_code == 302
    services.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    words = text_of(get(client, overview_url(plan)))
    candidates = words[words.index("Mogelijke prioriteiten ivp stelt een reeks voor") :]
    assert "Aanvaard als mogelijke prioriteit" in candidates
    assert "(bij peiljaar 2025, score" in candidates
    assert "Bij het huidige peiljaar niet (meer) voorgesteld" in candidates


def test_an_unknown_series_is_refused_with_a_message(client, plan, coordinator):  # noqa: D103
    client.force_login(coordinator)
    response = decide(client, plan, "9.9.9", "aanvaard", follow=True)
    assert "staat niet (meer) in de cijfers" in response.content.decode()
    assert not KandidaatBesluit.objects.exists()


def test_a_stale_save_with_htmx_shows_both_texts_in_place(client, plan, coordinator, make_member):
    services.save_tekst(plan, by=coordinator, onderwerp="V3", expected_version=0, conclusie="Eerst")
    client.force_login(make_member(Rol.REDACTEUR))
    response = client.post(
        tekst_url(plan, "V3"),
        {"ov3-version": 0, "ov3-conclusie": "Mijn voorstel"},
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.startswith('<div class="ivp-va-tekst" id="onderwerp-v3">')
    assert "heeft deze tekst intussen opgeslagen" in text_of(fragment)
    assert "Mijn voorstel</textarea>" in fragment
    assert "Eerst" in fragment[fragment.index("ivp-va-conflict__other") :]
    assert AnalyseTekst.objects.get(plan=plan, onderwerp="V3").conclusie == "Eerst"


def test_a_gemeente_without_figures_still_gets_the_fields_and_the_forms(client):
    from ivp.plans.factories import GemeenteFactory

    plan = PlanFactory(gemeente=GemeenteFactory(code="GM9999", naam="Nergenshuizen"))
    client.force_login(plan.rollen.get(rol=Rol.COORDINATOR).user)
    words = text_of(get(client, overview_url(plan)))
    assert "Nog geen cijfers voor deze gemeente." in words
    assert "Integriteit en veiligheid" in words
    assert "Mogelijke prioriteiten Reeksen" not in words
    page = get(client, field_url(plan, "4"))
    assert "Nog geen cijfers voor deze gemeente." in text_of(page)
    assert 'name="o4_1-probleem"' in page
