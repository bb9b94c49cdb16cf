"""Who owns, sees and changes which figures (docs/access.md, ADR 0011).

The hostile case of the security review: a coordinator of Amsterdam uploads a CBS-shaped
file for 's-Hertogenbosch (GM0796) and confirms it. Nothing of 's-Hertogenbosch's official
figures may change, and the upload (preview or stored) is seen only by Amsterdam.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ivp.analysis import veiligheidsbeeld as vb
from ivp.cli.main import main
from ivp.datasets import access, services
from ivp.datasets.models import Dataset, ImportRun, Observation
from ivp.datasets.tests.helpers import fixture_json
from ivp.plans.factories import GemeenteFactory, PlanFactory, UserFactory, give_role

pytestmark = pytest.mark.django_db

FORGED = 99999


def _forged_page() -> bytes:
    """A CBS API page of 47018NED with the rows of GM0796 in 2018, every count set to 99,999
    (shaped exactly like the official table)."""
    page = fixture_json("47018NED/TypedDataSet.json")
    page["value"] = [
        row
        for row in page["value"]
        if row["WijkenEnBuurten"].strip() == "GM0796" and row["Perioden"] == "2018JJ00"
    ]
    assert page["value"]
    for row in page["value"]:
        if row.get("GeregistreerdeMisdrijven_1") is not None:
            row["GeregistreerdeMisdrijven_1"] = FORGED
    page.pop("odata.nextLink", None)
    return json.dumps(page).encode()


def _has_forged(text: str) -> bool:
    """The forged count as a number of its own (not inside a p-value such as 0.99999)."""
    return re.search(rf"(?<![\d.]){FORGED}(?![\d.])", text) is not None


OWN_CSV = (
    "regio;periode;indicator;waarde;eenheid;bron\n"
    "GM0796;2017;Rapportcijfer veiligheid in de buurt;1,5;rapportcijfer;Eigen enquête\n"
    "GM0796;2018;Rapportcijfer veiligheid in de buurt;1,6;rapportcijfer;Eigen enquête\n"
)


def official_1_1_1(region: str = "GM0796", period: str = "2018JJ00") -> float | None:
    return (
        Observation.objects.filter(
            series__dataset__key="47018NED",
            series__code="1.1.1",
            region=region,
            period=period,
        )
        .values_list("value", flat=True)
        .first()
    )


@pytest.fixture
def world(bundle):
    """'s-Hertogenbosch with its plan and users of each role, Amsterdam with its plan and
    coordinator, and a superuser."""
    bosch = GemeenteFactory(code="GM0796", naam="'s-Hertogenbosch")
    adam = GemeenteFactory(code="GM0363", naam="Amsterdam")
    bosch_plan = PlanFactory(gemeente=bosch)
    adam_plan = PlanFactory(gemeente=adam, titel="IVP Amsterdam")
    users = {"bosch-coordinator": bosch_plan.rollen.get(rol="coordinator").user}
    for rol in ("redacteur", "bijdrager", "lezer"):
        users[f"bosch-{rol}"] = give_role(
            bosch_plan, UserFactory(username=f"bosch-{rol}", organisaties=[bosch]), rol
        )
    users["bosch-member"] = UserFactory(username="bosch-member", organisaties=[bosch])
    users["adam-coordinator"] = adam_plan.rollen.get(rol="coordinator").user
    users["adam-lezer"] = UserFactory(username="adam-lezer", organisaties=[adam])
    users["partner"] = give_role(bosch_plan, UserFactory(username="politie-partner"), "bijdrager")
    users["super"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    return {"bosch": bosch, "adam": adam, "plan": bosch_plan, "users": users}


def _upload(client, user, data: bytes, name: str, **fields):
    client.force_login(user)
    return client.post(
        reverse("datasets:upload"), {"bestand": SimpleUploadedFile(name, data), **fields}
    )


def test_amsterdam_upload_for_gm0796_changes_no_official_figure(world, client):
    before = official_1_1_1()
    assert before is not None and before != FORGED
    adam = world["users"]["adam-coordinator"]
    response = _upload(client, adam, _forged_page(), "47018NED.json")
    assert response.status_code == 302
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.PREVIEW and run.owner == world["adam"]
    client.post(reverse("datasets:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    # the official table is untouched; the figures sit in Amsterdam's own copy
    assert official_1_1_1() == before
    own = Dataset.objects.get(key="GM0363:47018NED")
    assert own.owner == world["adam"]
    assert Observation.objects.filter(series__dataset=own, value=FORGED).exists()
    assert not Observation.objects.filter(
        series__dataset__owner__isnull=True, value=FORGED
    ).exists()
    # 's-Hertogenbosch's picture, page and API show the official figure
    picture = vb.build("GM0796", 2018, with_wijken=False)
    assert not _has_forged(json.dumps(vb.to_json(picture)))
    client.force_login(world["users"]["bosch-coordinator"])
    api = client.get("/api/v1/waarnemingen/?region=GM0796&period=2018JJ00&limit=1000").json()
    assert all(o["value"] != FORGED for o in api["results"])
    page = client.get(reverse("datasets:gemeente", args=["GM0796"])).content.decode()
    assert "99.999" not in page and "99999" not in page


def test_amsterdam_may_not_upload_for_another_gemeente_or_officially(world, client):
    adam = world["users"]["adam-coordinator"]
    count = ImportRun.objects.count()
    for owner in ("GM0796", "officieel"):
        response = _upload(client, adam, OWN_CSV.encode(), "eigen.csv", eigenaar=owner)
        assert response.status_code == 200  # the form says which choices exist
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert ImportRun.objects.count() == count
    with pytest.raises(services.PermissionDenied):
        services.import_file(OWN_CSV.encode(), "eigen.csv", user=adam, owner=world["bosch"])
    with pytest.raises(services.PermissionDenied):
        services.import_file(OWN_CSV.encode(), "eigen.csv", user=adam, owner=None)
    assert ImportRun.objects.count() == count


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("bosch-coordinator", True),
        ("bosch-redacteur", True),
        ("bosch-bijdrager", False),
        ("bosch-lezer", False),
        ("bosch-member", False),
        ("partner", False),
        ("adam-coordinator", False),
        ("super", True),
    ],
)
def test_who_may_upload_for_gm0796(world, client, who, may):
    user = world["users"][who]
    assert access.may_import(user, world["bosch"]) is may
    client.force_login(user)
    status = client.get(reverse("datasets:upload")).status_code
    if who == "adam-coordinator":
        assert status == 200  # may upload, but only for Amsterdam
    else:
        assert status == (200 if may else 403)
    assert access.may_import(user, None) is (who == "super")


@pytest.fixture
def bosch_runs(world):
    """A stored and a previewed upload of 's-Hertogenbosch's own figures."""
    coordinator = world["users"]["bosch-coordinator"]
    stored = services.import_file(
        OWN_CSV.encode(), "eigen.csv", user=coordinator, owner=world["bosch"]
    )
    preview = services.import_file(
        OWN_CSV.replace("1,5", "1,7").encode(),
        "eigen2.csv",
        user=coordinator,
        owner=world["bosch"],
        dry_run=True,
        keep_file=True,
    )
    assert stored.status == ImportRun.Status.DONE and preview.status == ImportRun.Status.PREVIEW
    return stored, preview


# who → (sees own stored data, sees the preview)
SEES = {
    "bosch-coordinator": (True, True),
    "bosch-redacteur": (True, True),
    "bosch-bijdrager": (True, False),
    "bosch-lezer": (True, False),
    "bosch-member": (True, False),
    "partner": (True, False),
    "adam-coordinator": (False, False),
    "adam-lezer": (False, False),
    "super": (True, True),
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_own_data_pages_and_api_per_user(world, bosch_runs, client, who):
    stored, preview = bosch_runs
    sees, sees_preview = SEES[who]
    client.force_login(world["users"][who])
    dataset = Dataset.objects.get(owner=world["bosch"])
    series = dataset.series.get()
    ok = 200 if sees else 404

    assert client.get(reverse("datasets:run", args=[stored.pk])).status_code == ok
    assert client.get(reverse("datasets:run", args=[preview.pk])).status_code == (
        200 if sees_preview else 404
    )
    assert client.get(reverse("datasets:dataset", args=[dataset.key])).status_code == ok
    assert client.get(reverse("datasets:series", args=[series.pk])).status_code == ok
    index = client.get(reverse("datasets:index")).content.decode()
    assert (dataset.key in index) is sees

    assert client.get(f"/api/v1/datasets/{dataset.key}/").status_code == ok
    assert client.get(f"/api/v1/importruns/{stored.pk}/").status_code == ok
    assert client.get(f"/api/v1/importruns/{preview.pk}/").status_code == 404  # never in API
    keys = [d["key"] for d in client.get("/api/v1/datasets/?limit=1000").json()["results"]]
    assert (dataset.key in keys) is sees and "47018NED" in keys
    values = client.get("/api/v1/waarnemingen/?region=GM0796&period=2017JJ00&limit=1000").json()
    assert any(o["value"] == 1.5 for o in values["results"]) is sees
    assert client.get(f"/api/v1/reeksen/{series.pk}/").status_code == ok

    # confirming the preview: only who may import for 's-Hertogenbosch
    response = client.post(reverse("datasets:confirm", args=[preview.pk]))
    preview.refresh_from_db()
    if who in ("bosch-coordinator", "bosch-redacteur", "super"):
        assert preview.status == ImportRun.Status.DONE
    else:
        assert response.status_code in (403, 404)
        assert preview.status == ImportRun.Status.PREVIEW


def test_anonymous_sees_nothing(world, bosch_runs, client):
    stored, _preview = bosch_runs
    assert client.get(reverse("datasets:run", args=[stored.pk])).status_code == 302
    assert client.get("/api/v1/waarnemingen/").status_code in (401, 403)


def test_own_data_enters_only_the_owners_picture(world):
    """An indicator uploaded by Amsterdam *for region GM0796* never reaches the picture of
    's-Hertogenbosch; 's-Hertogenbosch's own indicator does."""
    adam = world["users"]["adam-coordinator"]
    csv = "regio;periode;indicator;waarde;bron\nGM0796;2017;{name};{v}\nGM0796;2018;{name};{w}\n"
    foreign = csv.format(name="Overlast door jeugd (Amsterdam)", v="4111;Adam", w="4222;Adam")
    services.import_file(foreign.encode(), "vreemd.csv", user=adam, owner=world["adam"])
    picture = json.dumps(vb.to_json(vb.build("GM0796", 2018, with_wijken=False)))
    assert "Amsterdam)" not in picture
    assert re.search(r"(?<![\d.])4222(?![\d.])", picture) is None
    own = csv.format(name="Overlast door jeugd (eigen)", v="311;Eigen", w="322;Eigen")
    services.import_file(
        own.encode(), "eigen.csv", user=world["users"]["bosch-coordinator"], owner=world["bosch"]
    )
    pictures, sources, others = vb._indicators("GM0796", 2018, _indeling())
    assert [o.indicator for theme in others.values() for o in theme] == [
        "Overlast door jeugd (eigen)"
    ]
    assert any(key.startswith("GM0796:") for key in sources)
    assert not any(key.startswith("GM0363:") for key in sources)
    titles = [p.title for theme in pictures.values() for p in theme]
    assert "Overlast door jeugd (eigen)" in titles
    assert "Overlast door jeugd (Amsterdam)" not in titles


def _indeling():
    from ivp.datasets.mapping import default_indeling

    return default_indeling()


def test_official_upload_needs_system_rights(world, client):
    """A superuser may correct an official figure on the web; the change is a revision."""
    before = official_1_1_1()
    response = _upload(
        client, world["users"]["super"], _forged_page(), "47018NED.json", eigenaar="officieel"
    )
    assert response.status_code == 302
    run = ImportRun.objects.latest("pk")
    assert run.owner is None
    client.post(reverse("datasets:confirm", args=[run.pk]))
    assert official_1_1_1() == FORGED != before


def test_cli_owner_imports_own_data(world, tmp_path, capsys):
    path = tmp_path / "vm.csv"
    path.write_text(OWN_CSV)
    assert main(["data", "import", str(path), "--owner", "gm0796"]) == 0
    run = ImportRun.objects.latest("pk")
    assert run.owner == world["bosch"] and run.status == ImportRun.Status.DONE
    assert all(d.owner == world["bosch"] for d in run.datasets.all())
    assert main(["data", "import", str(path), "--owner", "GM9999"]) == 2
    assert "onbekende gemeente" in capsys.readouterr().err
    forged = tmp_path / "47018NED.json"
    forged.write_bytes(_forged_page())
    before = official_1_1_1()
    assert main(["data", "import", str(forged), "--owner", "GM0363"]) == 0
    assert official_1_1_1() == before
    # without --owner the command line writes official figures (system rights)
    assert main(["data", "import", str(forged)]) == 0
    assert official_1_1_1() == FORGED


def test_a_crafted_key_cannot_write_into_another_owner(world):
    """Defence in depth: even a dataset key that names another owner is refused."""
    from ivp.datasets.sources import DatasetSpec, ParseResult, SeriesSpec

    result = ParseResult("test")
    result.add_dataset(DatasetSpec(key="x", titel="x"))
    index = result.series_index(SeriesSpec(dataset="x", code="a", naam="a"))
    result.add(index, "GM0796", "2018JJ00", 1.0, "", 2)
    services.import_file  # noqa: B018 - the public door is tested above
    Dataset.objects.create(key="GM0363:x", title="x", owner=world["bosch"])
    with pytest.raises(services.PermissionDenied):
        services.store_result(result.finish(), origin="bestand", owner=world["adam"])
