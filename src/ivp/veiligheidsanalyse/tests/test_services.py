"""The use cases of step 2 at their edges: versions, history, roles and decisions. No
figures are loaded: a candidate is built from plain values by the analysis functions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.analysis import veiligheidsbeeld as vb
from ivp.analysis.candidates import assess, evidence
from ivp.plans.models import Rol, Wijziging
from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.models import AnalyseTekst, KandidaatBesluit

pytestmark = pytest.mark.django_db


def history(plan, onderdeel):
    return list(Wijziging.objects.filter(plan=plan, onderdeel__startswith=onderdeel))


def rising_series() -> vb.SeriesPicture:
    """A category that rises every year, clearly beyond chance: a proposed candidate."""
    counts = {"2019": 100, "2020": 130, "2021": 165, "2022": 210, "2023": 270}
    base = dict.fromkeys(counts, 50_000)
    ev = evidence("1.1.1", "Diefstal/inbraak woning", counts, 2023, base=base)
    return vb.SeriesPicture(
        key="1.1.1",
        code="1.1.1",
        kind=vb.CATEGORY,
        title="Diefstal/inbraak woning",
        categories=("1.1.1",),
        counts=counts,
        evidence=ev,
        candidate=assess(ev),
    )


# -- save_tekst ------------------------------------------------------------------------


def test_a_first_save_starts_at_version_1_and_records_old_and_new(plan, coordinator):
    saved = services.save_tekst(
        plan,
        by=coordinator,
        onderwerp="1.3",
        expected_version=0,
        probleem="Veel fietsendiefstal rond het station.",
        oordeel="aandacht",
    )
    assert saved.version == 1
    assert saved.updated_by == coordinator
    (entry,) = history(plan, "Veiligheidsanalyse 1.3")
    assert entry.user == coordinator
    assert entry.velden == {
        "problematiek": ["", "Veel fietsendiefstal rond het station."],
        "oordeel": ["", "aandacht"],
    }


def test_saving_the_same_text_again_changes_nothing(plan, coordinator):
    services.save_tekst(plan, by=coordinator, onderwerp="V2", expected_version=0, conclusie="X")
    again = services.save_tekst(
        plan, by=coordinator, onderwerp="V2", expected_version=1, conclusie="X"
    )
    assert again.version == 1
    assert len(history(plan, "Veiligheidsanalyse V2")) == 1


def test_a_stale_save_is_refused_and_carries_the_current_text(plan, coordinator, make_member):
    editor = make_member(Rol.REDACTEUR)
    services.save_tekst(
        plan, by=coordinator, onderwerp="A1.4", expected_version=0, huidige_aanpak="Eerste"
    )
    with pytest.raises(services.StaleTextError) as caught:
        services.save_tekst(
            plan, by=editor, onderwerp="A1.4", expected_version=0, huidige_aanpak="Tweede"
        )
    assert caught.value.current.huidige_aanpak == "Eerste"
    assert coordinator.get_full_name() in str(caught.value)
    assert "Uw tekst is niet opgeslagen" in str(caught.value)
    stored = AnalyseTekst.objects.get(plan=plan, onderwerp="A1.4")
    assert (stored.huidige_aanpak, stored.version) == ("Eerste", 1)
    assert len(history(plan, "Veiligheidsanalyse A1.4")) == 1


def test_a_version_for_a_text_that_does_not_exist_is_refused(plan, coordinator):
    with pytest.raises(ValidationError):
        services.save_tekst(plan, by=coordinator, onderwerp="1.3", expected_version=3, probleem="x")
    assert not AnalyseTekst.objects.exists()


@pytest.mark.parametrize(
    ("onderwerp", "values", "error"),
    [
        ("9.9", {"probleem": "x"}, ValidationError),
        ("1.3", {"oordeel": "heel erg"}, ValidationError),
        ("1.3", {"titel": "x"}, TypeError),
    ],
)
def test_unknown_subjects_verdicts_and_fields_are_refused(
    plan, coordinator, onderwerp, values, error
):
    with pytest.raises(error):
        services.save_tekst(plan, by=coordinator, onderwerp=onderwerp, expected_version=0, **values)
    assert not AnalyseTekst.objects.exists()
    assert not history(plan, "Veiligheidsanalyse")


@pytest.mark.parametrize("rol", [Rol.LEZER, Rol.BIJDRAGER, "geen"])
def test_only_editors_save_texts(plan, make_member, outsider, rol):
    user = make_member(rol)
    for actor in (user, outsider):
        with pytest.raises(PermissionDenied):
            services.save_tekst(plan, by=actor, onderwerp="1.3", expected_version=0, probleem="x")
    assert not AnalyseTekst.objects.exists()


def test_the_questions_follow_the_handbook():
    subjects = services.onderwerpen()
    assert subjects["1.3"].vragen == ("probleem", "oordeel")
    assert subjects["A1.1"].vragen == ("huidige_aanpak", "extra")
    assert subjects["5.4"].vragen == ("probleem", "huidige_aanpak", "extra", "oordeel")
    assert subjects["V5"].vragen == ("conclusie",)
    assert sum(s.soort == "thema" for s in subjects.values()) == 22
    assert sum(s.soort == "aspect" for s in subjects.values()) == 6


# -- set_peiljaar ----------------------------------------------------------------------


def test_the_reference_year_is_recorded_only_when_it_changes(plan, coordinator, make_member):
    services.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    services.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    assert services.peiljaar(plan) == 2017
    (entry,) = history(plan, "Veiligheidsanalyse: peiljaar")
    assert entry.velden == {"peiljaar": [None, 2017]}
    services.set_peiljaar(plan, by=coordinator, peiljaar=None)
    assert services.peiljaar(plan) is None
    with pytest.raises(PermissionDenied):
        services.set_peiljaar(plan, by=make_member(Rol.LEZER), peiljaar=2020)
    assert services.peiljaar(plan) is None


# -- decide_candidate ------------------------------------------------------------------


def test_accepting_keeps_the_score_and_reasons_of_the_moment(plan, coordinator):
    series = rising_series()
    assert series.proposed
    decision = services.decide_candidate(
        plan,
        by=coordinator,
        series=series,
        gemeente="GM0796",
        year=2023,
        besluit="aanvaard",
        toelichting="Past bij de signalen van de wijkagenten.",
    )
    stored = KandidaatBesluit.objects.get(pk=decision.pk)
    assert stored.score == series.candidate.score
    assert stored.redenen == list(series.candidate.reasons)
    assert (stored.besluit, stored.peiljaar, stored.besloten_door) == (
        "aanvaard",
        2023,
        coordinator,
    )
    assert services.besluiten(plan, "GM0796") == {"1.1.1": stored}
    assert services.besluiten(plan, "GM0797") == {}


def test_changing_a_decision_updates_the_one_row_and_the_history(plan, coordinator):
    series = rising_series()
    decide = {"by": coordinator, "series": series, "gemeente": "GM0796", "year": 2023}
    services.decide_candidate(plan, **decide, besluit="aanvaard")
    services.decide_candidate(plan, **decide, besluit="afgewezen", toelichting="Al aangepakt.")
    assert KandidaatBesluit.objects.get().besluit == "afgewezen"
    entries = history(plan, "Mogelijke prioriteit 1.1.1")
    assert [e.velden["besluit"] for e in entries] == [["aanvaard", "afgewezen"], [None, "aanvaard"]]
    assert entries[0].velden["toelichting"] == ["", "Al aangepakt."]


def test_a_new_explanation_alone_is_recorded_with_its_old_value(plan, coordinator):
    series = rising_series()
    decide = {"by": coordinator, "series": series, "gemeente": "GM0796", "year": 2023}
    services.decide_candidate(plan, **decide, besluit="aanvaard", toelichting="Eerst")
    services.decide_candidate(plan, **decide, besluit="aanvaard", toelichting="Daarna")
    services.decide_candidate(plan, **decide, besluit="aanvaard", toelichting="Daarna")
    latest, first = history(plan, "Mogelijke prioriteit 1.1.1")
    assert latest.velden == {"toelichting": ["Eerst", "Daarna"]}
    assert first.velden == {"besluit": [None, "aanvaard"], "toelichting": ["", "Eerst"]}
    assert KandidaatBesluit.objects.get().toelichting == "Daarna"


def test_withdrawing_removes_the_decision(plan, coordinator):
    series = rising_series()
    decide = {"by": coordinator, "series": series, "gemeente": "GM0796", "year": 2023}
    services.decide_candidate(plan, **decide, besluit="aanvaard")
    assert services.decide_candidate(plan, **decide, besluit=None) is None
    assert not KandidaatBesluit.objects.exists()
    assert history(plan, "Mogelijke prioriteit")[0].actie == "verwijderd"
    # withdrawing what was never decided records nothing
    services.decide_candidate(plan, **decide, besluit=None)
    assert len(history(plan, "Mogelijke prioriteit")) == 2


def test_a_decision_must_be_accept_or_reject(plan, coordinator):
    with pytest.raises(ValidationError):
        services.decide_candidate(
            plan,
            by=coordinator,
            series=rising_series(),
            gemeente="GM0796",
            year=2023,
            besluit="misschien",
        )
    assert not KandidaatBesluit.objects.exists()


def test_a_series_without_a_candidate_is_stored_with_score_0(plan, coordinator):
    series = vb.SeriesPicture("thema:5.4", "5.4", vb.THEME, "Informatieveiligheid", ())
    decision = services.decide_candidate(
        plan,
        by=coordinator,
        series=series,
        gemeente="GM0796",
        year=2023,
        besluit="aanvaard",
    )
    assert (decision.score, decision.redenen, decision.titel) == (0, [], "Informatieveiligheid")


@pytest.mark.parametrize("rol", [Rol.LEZER, Rol.BIJDRAGER])
def test_only_editors_decide(plan, make_member, rol):
    with pytest.raises(PermissionDenied):
        services.decide_candidate(
            plan,
            by=make_member(rol),
            series=rising_series(),
            gemeente="GM0796",
            year=2023,
            besluit="aanvaard",
        )
    assert not KandidaatBesluit.objects.exists()


def test_a_plan_without_figures_says_so(plan):
    with pytest.raises((vb.NoData, vb.UnknownArea)):
        services.veiligheidsbeeld(plan)


def test_a_first_save_that_loses_the_race_is_refused_cleanly(plan, coordinator, monkeypatch):
    """Two first saves of one text at the same moment (on PostgreSQL both see no row): the
    second meets the unique constraint and is refused like any stale save, not a 500."""
    services.save_tekst(plan, by=coordinator, onderwerp="2.1", expected_version=0, probleem="A")

    real_select_for_update = AnalyseTekst.objects.select_for_update

    class Blind:
        """The first lookup as the loser made it: before the winner's row was committed.
        Its insert then meets the unique constraint and it reads the winner's row."""

        def filter(self, **kwargs):
            return self

        def first(self):
            return None

        def get(self, **kwargs):
            return real_select_for_update().get(**kwargs)

    monkeypatch.setattr(AnalyseTekst.objects, "select_for_update", lambda **kw: Blind())
    with pytest.raises(services.StaleTextError) as refused:
        services.save_tekst(plan, by=coordinator, onderwerp="2.1", expected_version=0, probleem="B")
    assert refused.value.current.probleem == "A"
    monkeypatch.undo()
    assert AnalyseTekst.objects.get(plan=plan, onderwerp="2.1").probleem == "A"
