"""``ivp backup`` / ``ivp restore``: the whole installation round trip (run on SQLite and
on PostgreSQL by the suite)."""

from __future__ import annotations

import json

import pytest

from ivp.accounts.models import User
from ivp.beleidsplan import services as bp
from ivp.beleidsplan.content import comparable, plan_backup
from ivp.cli.main import main
from ivp.datasets import services as data_services
from ivp.datasets.models import Dataset, ImportRun, Observation
from ivp.plans import services as plan_services
from ivp.plans.factories import PlanFactory, UserFactory, give_role
from ivp.plans.models import Plan
from ivp.uitvoering import services as up_services

pytestmark = pytest.mark.django_db(transaction=False)

OWN = (
    "regio;periode;indicator;waarde;eenheid;bron\n"
    "GM0796;2017;Rapportcijfer veiligheid in de buurt;7,1;rapportcijfer;Eigen enquête\n"
)


def _clear() -> None:
    Plan.objects.all().delete()
    Observation.objects.filter(series__dataset__owner__isnull=False).delete()
    ImportRun.objects.filter(owner__isnull=False).delete()
    Dataset.objects.filter(owner__isnull=False).delete()
    User.objects.all().delete()


def test_backup_and_restore_round_trip(tmp_path, capsys):
    plan = PlanFactory(in_analysis=True)
    c = plan.rollen.get(rol="coordinator").user
    give_role(
        plan, UserFactory(username="lezer-an", organisaties=[plan.gemeenten.first()]), "lezer"
    )
    prio = bp.add_prioriteit(plan, by=c, titel="Ondermijning", themas=["5.2"])
    bp.update_part(prio, by=c, expected_version=prio.version, vertrouwelijk=True)
    bp.add_indicator(
        plan, by=c, naam="Meldingen", bron="politie", eenheid="aantal", prioriteit=prio
    )
    up = up_services.create_uitvoeringsplan(plan, by=c, jaar=2027)
    item = up_services.add_onderdeel(up, by=c, titel="Preventie", prioriteit=prio)
    measure = up_services.add_maatregel(item, by=c, titel="Weerbaarheid", budget=1500)
    from ivp.sturing import services as st

    st.record_update(
        measure, by=c, expected_version=measure.version, status="vertraagd", tekst="Later"
    )
    plan_services.add_reactie(plan, by=c, onderwerp="Vraag", tekst="Klopt dit?")
    bp.freeze(plan, by=c)
    run = data_services.import_file(OWN.encode(), "eigen.csv", user=c, owner=plan.gemeenten.first())
    assert run.status == ImportRun.Status.DONE
    from ivp.datasets.own_series import other_series, plan_choices

    own_key = other_series("GM0796")[0].key
    data_services.set_series_theme(plan, by=c, series_key=own_key, theme="1.1")
    before = comparable(plan_backup(plan))
    before_history = list(plan.wijzigingen.values_list("actie", "onderdeel", "vertrouwelijk"))
    password = c.password

    path = tmp_path / "ivp-backup.json"
    assert main(["backup", str(path)]) == 0
    assert "1 plan" in capsys.readouterr().out
    document = json.loads(path.read_text())
    assert document["format"] == "ivp-backup/1"
    assert document["counts"]["datasets.observation"] == 1
    assert document["counts"]["datasets.dataset"] == 1  # no official data in it
    plan_pk = plan.pk

    # a restore into a database that already has plans is refused
    assert main(["restore", str(path)]) == 1
    assert "lege database" in capsys.readouterr().err

    _clear()
    assert main(["restore", str(path)]) == 0, capsys.readouterr().err
    restored = Plan.objects.get(pk=plan_pk)
    assert comparable(plan_backup(restored)) == before
    assert (
        list(restored.wijzigingen.values_list("actie", "onderdeel", "vertrouwelijk"))
        == before_history
    )
    assert User.objects.get(username=c.username).password == password
    assert restored.rollen.get(user__username="lezer-an").rol == "lezer"
    from ivp.uitvoering.models import Maatregel

    [update] = st.history(Maatregel.objects.get(titel="Weerbaarheid"))
    assert (update.status, update.tekst, update.door.username) == ("vertraagd", "Later", c.username)
    own = Observation.objects.get(series__dataset__owner__code="GM0796")
    assert own.value == 7.1 and own.import_run.owner.code == "GM0796"
    assert plan_choices(restored) == {own_key: "1.1"}  # the plan's theme of its own series
    assert Dataset.objects.filter(key="47018NED", owner__isnull=True).exists()  # reloaded
    # new rows get fresh ids after the restored ones (sequences moved on)
    again = PlanFactory(titel="Nieuw plan")
    assert again.pk > plan_pk


def test_restore_refuses_a_broken_file(tmp_path, capsys):
    path = tmp_path / "b.json"
    path.write_text('{"format": "ivp-backup/1", "objects": [{"model": "auth.permission"}]}')
    assert main(["restore", str(path)]) == 1
    assert "niet toegestaan model" in capsys.readouterr().err
    path.write_text('{"format": "ivp-backup/1", "objects": [')
    assert main(["restore", str(path)]) == 2
