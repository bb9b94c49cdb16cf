from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ivp.plans.models import Wijziging
from ivp.sturing import services as st
from ivp.sturing.models import Realisatie, Voortgangsupdate
from ivp.sturing.progress import progress
from ivp.uitvoering import services as uv
from ivp.uitvoering.models import Maatregel

pytestmark = pytest.mark.django_db


def _fresh(m):
    return Maatregel.objects.get(pk=m.pk)


def test_a_contributor_updates_their_measure_and_every_update_is_kept(running):
    m, bea = running["mine"], running["contributor"]
    st.record_update(m, by=bea, expected_version=m.version, status="op_schema", tekst="Gestart")
    m = _fresh(m)
    assert m.status == "lopend"  # the implementation plan follows
    st.record_update(m, by=bea, expected_version=m.version, status="vertraagd", tekst="Geen ruimte")
    m = _fresh(m)
    assert m.status == "vertraagd"
    assert [u.status for u in st.history(m)] == ["vertraagd", "op_schema"]
    assert Voortgangsupdate.objects.filter(maatregel=m).count() == 2
    assert Wijziging.objects.filter(sleutel=f"maatregel:{m.pk}", actie="voortgang").count() == 2


def test_a_contributor_may_not_update_a_measure_that_is_not_theirs(running):
    other, bea = running["other"], running["contributor"]
    with pytest.raises(PermissionDenied):
        st.record_update(other, by=bea, expected_version=other.version, status="gereed")
    assert not Voortgangsupdate.objects.exists()
    assert st.my_measures(bea) == [running["mine"]]


def test_a_stale_update_is_refused_and_stores_nothing(running):
    m, c = running["mine"], running["c"]
    read = m.version
    st.record_update(m, by=c, expected_version=read, status="op_schema")
    with pytest.raises(st.StaleEditError):
        st.record_update(m, by=running["contributor"], expected_version=read, status="gereed")
    assert [u.status for u in st.history(m)] == ["op_schema"]


def test_delayed_needs_a_reason_and_a_future_date_is_refused(running):
    m, c = running["mine"], running["c"]
    with pytest.raises(ValidationError, match="waarom"):
        st.record_update(m, by=c, expected_version=m.version, status="vertraagd")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="toekomst"):
        st.record_update(m, by=c, expected_version=m.version, status="gereed", datum=tomorrow)
    with pytest.raises(ValidationError):
        st.record_update(m, by=c, expected_version=m.version, status="onzin")
    assert not Voortgangsupdate.objects.exists()


def test_history_follows_a_measure_into_the_next_years_plan(running):
    m, c = running["mine"], running["c"]
    st.record_update(
        m, by=c, expected_version=m.version, status="op_schema", tekst="Jaar één",
        datum=date(timezone.localdate().year, 1, 2),
    )  # fmt: skip
    nxt = uv.follow_up(running["up"], by=c)
    copy = Maatregel.objects.get(onderdeel__uitvoeringsplan=nxt, titel=m.titel)
    assert [u.tekst for u in st.history(copy)] == ["Jaar één"]
    assert st.can_update(running["contributor"], copy)  # the assignment carries over
    assert st.my_measures(running["contributor"]) == [copy]
    # the terugblik of the new plan comes from the jaarbeeld, not a counting sentence
    assert "uit het jaarbeeld" in nxt.terugblik


def test_a_hand_realisation_and_its_revision_keep_the_earlier_figure(running):
    ind, c = running["indicator"], running["c"]
    first = st.add_realisation(ind, by=c, jaar=2025, waarde="6,9", bron="Veiligheidsmonitor 2025")
    again = st.add_realisation(
        ind, by=c, jaar=2025, waarde="7,0", bron="Veiligheidsmonitor 2025 (herzien)"
    )
    assert again.herziening_van == first
    first.refresh_from_db()
    assert not first.actueel and first.waarde == 6.9
    assert Realisatie.objects.filter(indicator=ind).count() == 2
    [shown] = [i for i in progress(running["plan"], period="2027")["indicators"]]
    assert shown["realisations"] == [
        {
            "year": 2025,
            "value": 7.0,
            "source": "Veiligheidsmonitor 2025 (herzien)",
            "status": "definitief",
            "origin": "hand",
            "note": "",
            "revises": {"value": 6.9, "status": "definitief", "source": "Veiligheidsmonitor 2025"},
        }
    ]
    # a survey mark has no counts: no test is claimed before the target year
    assert shown["verdict"]["code"] == "niet_te_toetsen"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"jaar": 2025, "waarde": "hoog", "bron": "VM"}, "getal"),
        ({"jaar": 2025, "waarde": "11", "bron": "VM"}, "rapportcijfer"),
        ({"jaar": 2023, "waarde": "7", "bron": "VM"}, "uitgangsjaar"),
        ({"jaar": 2025, "waarde": "7", "bron": " "}, "bron"),
    ],
)
def test_a_wrong_realisation_is_refused_with_a_dutch_reason(running, values, message):
    with pytest.raises(ValidationError, match=message):
        st.add_realisation(running["indicator"], by=running["c"], **values)
    assert not Realisatie.objects.exists()


def test_only_editors_enter_realisations(running):
    with pytest.raises(PermissionDenied):
        st.add_realisation(
            running["indicator"], by=running["contributor"], jaar=2025, waarde=7, bron="VM"
        )


def test_the_cycle_comes_from_chapter_6_and_can_be_changed(running):
    from ivp.beleidsplan import services as bp

    plan, c = running["plan"], running["c"]
    bp.save_hoofdstuk(
        plan, by=c, nummer=6, expected_version=0, tekst="De werkgroep rapporteert halfjaarlijks."
    )
    cycle = st.cycle(plan)
    assert (cycle.frequentie, cycle.maanden) == ("halfjaar", [6, 12])
    with pytest.raises(ValidationError):
        st.save_cycle(plan, by=c, expected_version=cycle.version, frequentie="kwartaal", maanden=[])
    saved = st.save_cycle(
        plan, by=c, expected_version=cycle.version, frequentie="kwartaal", maanden=[3, 6, 9, 12]
    )
    assert saved.maanden == [3, 6, 9, 12]
    with pytest.raises(st.StaleEditError):
        st.save_cycle(plan, by=c, expected_version=cycle.version, frequentie="jaar", maanden=[12])


def test_knelpunten_become_agenda_points_once_and_a_decision_can_add_a_measure(running):
    m, c, plan = running["mine"], running["c"], running["plan"]
    st.record_update(m, by=c, expected_version=m.version, status="gestopt", tekst="Geen budget")
    code = f"{plan.periode_start}-Q1"
    [point] = st.prepare_agenda(plan, code, by=c)
    assert point.soort == "knelpunt" and point.toelichting == "Geen budget"
    assert st.prepare_agenda(plan, code, by=c) == []
    decided = st.decide(
        point, by=c, expected_version=point.version, besluit="Zoek dekking",
        nieuwe_maatregel="Subsidie aanvragen",
    )  # fmt: skip
    assert decided.nieuwe_maatregel.onderdeel == m.onderdeel
    assert decided.nieuwe_maatregel.titel == "Subsidie aanvragen"
    with pytest.raises(st.StaleEditError):
        st.decide(point, by=c, expected_version=point.version, besluit="Anders")


def test_a_sent_report_keeps_what_it_showed(running):
    m, c, plan = running["mine"], running["c"], running["plan"]
    st.record_update(m, by=c, expected_version=m.version, status="op_schema", tekst="Eerste")
    report = st.report(plan, "voortgangsrapportage", f"{plan.periode_start}-Q4")
    sent = st.send_report(report, by=c, expected_version=report.version)
    m = _fresh(m)
    st.record_update(m, by=c, expected_version=m.version, status="gereed", tekst="Tweede")
    frozen = next(x for x in sent.inhoud["measures"] if x["id"] == m.pk)
    assert (frozen["status"], frozen["text"]) == ("op_schema", "Eerste")
    with pytest.raises(ValidationError):
        st.send_report(sent, by=c, expected_version=sent.version)
    with pytest.raises(PermissionDenied):
        st.send_report(
            st.report(plan, "jaarbeeld", str(plan.periode_start)),
            by=running["contributor"],
            expected_version=1,
        )


def test_public_progress_leaves_confidential_measures_out_of_lists_and_counts(running):
    hidden, c = running["hidden"], running["c"]
    st.record_update(hidden, by=c, expected_version=hidden.version, status="vertraagd", tekst="x")
    public = progress(running["plan"])
    internal = progress(running["plan"], internal=True)
    assert "Geheime toets vergunningen" not in str(public)
    assert "Ondermijning" not in str(public)
    assert sum(public["counts"].values()) == 2 and sum(internal["counts"].values()) == 3
    assert public["knelpunten"] == [] and len(internal["knelpunten"]) == 1
