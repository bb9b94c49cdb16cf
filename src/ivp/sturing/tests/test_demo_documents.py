"""The demo plan in execution, on the real bundled figures: progress JSON, the documents,
the CLI contract."""

import io
import json
import re
import zipfile

import pytest

from ivp.beleidsplan.models import Effectindicator
from ivp.beleidsplan.services import baseline_from_data
from ivp.cli.main import main
from ivp.demo.loader import load_demo
from ivp.documents.exports import export
from ivp.plans.models import Plan
from ivp.sturing.demo import TITEL
from ivp.sturing.progress import progress as progress_of

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode())


def test_demo_plan_in_execution_on_real_figures(bundle, capsys, tmp_path):
    first = load_demo(with_content=False).plan
    plan = Plan.objects.get(titel=TITEL)
    assert plan.pk > first.pk  # the existing demo plan keeps its id
    assert main(["plan", "list", "--json"]) == 0
    assert plan.pk in [p["id"] for p in json.loads(capsys.readouterr().out)]

    assert main(["plan", "progress", str(plan.pk), "--json", "--period", "2025-Q4"]) == 0
    progress = json.loads(capsys.readouterr().out)
    assert sum(progress["counts"].values()) == len(progress["measures"]) > 3
    assert progress["counts"]["vertraagd"] >= 1
    assert "Barrièremodel bij vergunningverlening" not in json.dumps(progress)  # confidential
    linked = [i for i in progress["indicators"] if i["linked_series"]]
    assert len(linked) == 3
    for ind in linked:
        years = [r["year"] for r in ind["realisations"]]
        assert years[0] == 2023 and ind["baseline"]["year"] == 2022
        # the realisation is the stored figure of that year
        real = ind["realisations"][0]
        stored = baseline_from_data(plan, ind["linked_series"], ind["unit"], 2023)
        assert real["value"] == pytest.approx(stored.value, abs=0.01)
        assert real["source"] and real["status"] in ("voorlopig", "definitief")
        assert ind["verdict"]["code"] in (
            "op_koers", "binnen_schommeling", "achter_op_doel", "niet_te_toetsen"
        )  # fmt: skip
    survey = next(i for i in progress["indicators"] if not i["linked_series"])
    assert survey["verdict"]["code"] == "geen_meting"

    # the documents contain the figures; the public variant leaves the confidential out
    content, _t, _n = export(plan, "voortgangsrapportage", "docx", public=True, period="2025-Q2")
    text = _docx_text(content)
    for word in ("Voortgang", "Realisatie", "Doel", "Knelpunten", "Aanpak auto-inbraak"):
        assert word in text
    real = linked[0]["realisations"][0]
    assert f"{real['value']:.1f}".replace(".", ",") in text
    assert "Ondermijning" not in text and "Barrièremodel" not in text
    internal = _docx_text(
        export(plan, "voortgangsrapportage", "docx", public=False, period="2025-Q2")[0]
    )
    assert "Ondermijning" in internal
    jaarbeeld = _docx_text(export(plan, "jaarbeeld", "docx", public=True, year=2024)[0])
    assert "Wat er in 2024 is gedaan" in jaarbeeld and "Conclusies van de werkgroep" in jaarbeeld

    # the follow-up plans' terugblik comes from the jaarbeeld
    up2025 = plan.uitvoeringsplannen.get(jaar=2025)
    assert "uit het jaarbeeld 2024" in up2025.terugblik
    assert "Knelpunt: Aanpak auto-inbraak" in up2025.terugblik

    # CLI: files, and one line with exit code 2 on bad input
    out = tmp_path / "v.pdf"
    args = ["plan", "export", str(plan.pk), "--document", "voortgangsrapportage"]
    assert main([*args, "--period", "2025-Q2", "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    capsys.readouterr()
    assert main([*args, "--period", "2025-Q9", "--format", "docx"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main([*args, "--period", "2031", "--format", "docx"]) == 2
    assert main(["plan", "progress", str(plan.pk), "--period", "nooit"]) == 2


def test_the_joint_demo_plans_report_has_the_base_team_and_a_page_per_gemeente(bundle, tmp_path):
    from ivp.demo.joint import JOINT_TITEL

    load_demo(with_content=False)
    plan = Plan.objects.get(titel=JOINT_TITEL)
    content, _type, _name = export(plan, "voortgangsrapportage", "docx", period="2018-Q4")
    text = _docx_text(content).replace("\u2060", "")
    pages = re.findall(r"Lokaal deel: ([^0-9]+?)(?=Van de|[A-Z][a-z]+ heeft)", text)
    assert pages == [
        "Beemster",
        "Edam-Volendam",
        "Landsmeer",
        "Purmerend",
        "Waterland",
        "Wormerland",
    ]
    purmerend = text[text.index("Lokaal deel: Purmerend") : text.index("Lokaal deel: Waterland")]
    assert "Keurmerk Veilig Ondernemen" in purmerend and "Vertraagd" in purmerend
    assert text.index("Damocles- en Bibob-beleid") < text.index("Lokaal deel: Beemster")
    out = tmp_path / "edam.docx"
    args = ["plan", "export", str(plan.pk), "--document", "voortgangsrapportage"]
    assert (
        main([*args, "--period", "2018-Q4", "--municipality", "Edam-Volendam", "--out", str(out)])
        == 0
    )
    own = _docx_text(out.read_bytes())
    assert "Lokaal deel: Edam-Volendam" in own and "Convenant veilig uitgaan" in own
    assert "Lokaal deel: Purmerend" not in own and "Keurmerk Veilig Ondernemen" not in own
    # realisations: a shared indicator follows the area's figures, a local one its gemeente's
    snapshot = progress_of(plan, period="2021-Q4")
    found = {i["name"]: i for i in snapshot["indicators"]}
    for name, scope in (("Drugshandel", "gebied"), ("Mishandeling", "GM0385")):
        ind = Effectindicator.objects.get(plan=plan, naam=name)
        assert found[name]["gemeente"] == (None if scope == "gebied" else scope)
        reals = {r["year"]: r["value"] for r in found[name]["realisations"]}
        assert sorted(reals) == [2018, 2019, 2020, 2021]  # Beemster's last year ends the area's
        for year in (2018, 2021):
            figure = baseline_from_data(plan, ind.reeks, ind.eenheid, year, gemeente=scope)
            assert reals[year] == pytest.approx(figure.value, abs=0.01)
        other = "GM0385" if scope == "gebied" else "gebied"
        elsewhere = baseline_from_data(plan, ind.reeks, ind.eenheid, 2018, gemeente=other)
        assert reals[2018] != pytest.approx(elsewhere.value, abs=0.001)
