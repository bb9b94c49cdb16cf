"""A joint plan's documents: the joint IVP and uitvoeringsplan for the base team and one per
council (``ivp plan export --municipality``), on the bundled real data."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest

from ivp.areas.models import Gemeente
from ivp.beleidsplan import services as bp
from ivp.cli.main import main
from ivp.plans import services as plan_services
from ivp.plans.factories import UserFactory
from ivp.uitvoering import services as uv

pytestmark = pytest.mark.django_db

CODES = ("GM0370", "GM0385", "GM0439")  # Beemster (merged into Purmerend in 2022)


@pytest.fixture
def joint(bundle):
    root = UserFactory(username="root", is_superuser=True)
    gemeenten = {g.code: g for g in Gemeente.objects.filter(code__in=CODES)}
    plan = plan_services.create_plan(
        by=root,
        titel="IVP basisteam 2018–2021",
        gemeenten=list(gemeenten.values()),
        periode_start=2018,
        periode_eind=2021,
    )
    shared = bp.add_prioriteit(
        plan,
        by=root,
        titel="Ondermijning samen",
        themas=["5.2"],
        ambitie="Geen ruimte voor criminelen",
        acties=[
            {"tekst": "Eén Damoclesbeleid", "termijn": "kort"},
            {"tekst": "Een gezamenlijk beeld", "termijn": "lang"},
        ],
    )
    edam = bp.add_prioriteit(
        plan, by=root, titel="Veilig uitgaan Edam", themas=["2.3"], gemeente=gemeenten["GM0385"]
    )
    purmerend = bp.add_prioriteit(
        plan, by=root, titel="Winkelgebied Purmerend", themas=["2.1"], gemeente=gemeenten["GM0439"]
    )
    secret = bp.add_prioriteit(
        plan, by=root, titel="Geheim Edam", themas=["5.1"], gemeente=gemeenten["GM0385"]
    )
    bp.update_part(secret, by=root, expected_version=secret.version, vertrouwelijk=True)
    up = uv.create_uitvoeringsplan(plan, by=root, jaar=2018)
    for owner, amount in ((shared, 30000), (edam, 5000), (purmerend, 7000)):
        item = uv.add_onderdeel(up, by=root, titel=f"Inzet {owner.titel}", prioriteit=owner)
        measure = uv.add_maatregel(item, by=root, titel=f"Maatregel {owner.titel}")
        uv.update_part(measure, by=root, expected_version=measure.version, budget=Decimal(amount))
    return plan


def _docx_text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_a_councils_ivp_has_the_shared_chapters_then_its_own_part(joint, tmp_path, capsys):
    out = tmp_path / "edam.docx"
    args = ["plan", "export", str(joint.pk), "--document", "ivp", "--format", "docx"]
    assert main([*args, "--municipality", "GM0385", "--out", str(out)]) == 0
    text = _docx_text(out)
    assert "Ondermijning samen" in text  # shared
    assert "Lokaal deel Edam-Volendam" in text and "Veilig uitgaan Edam" in text
    assert "Winkelgebied Purmerend" not in text  # another council's local part
    assert "Geheim Edam" not in text  # confidential, public document
    assert "Korte termijn" in text and "Eén Damoclesbeleid" in text
    # its own figures next to the area's, and its own budget
    assert "Cijfers van Edam-Volendam en het gebied" in text
    assert "Begroting Edam-Volendam" in text and "per inwoner" in text
    assert text.index("Ondermijning samen") < text.index("Lokaal deel Edam-Volendam")


def test_the_joint_ivp_has_every_local_part_and_the_contribution_per_inhabitant(joint, tmp_path):
    out = tmp_path / "joint.pdf"
    args = ["plan", "export", str(joint.pk), "--document", "ivp", "--format", "pdf"]
    assert main([*args, "--out", str(out)]) == 0
    text = _pdf_text(out)
    assert "Lokale delen per gemeente" in text
    for name in ("Beemster", "Edam-Volendam", "Purmerend"):
        assert name in text
    assert "Veilig uitgaan Edam" in text and "Winkelgebied Purmerend" in text
    assert "Geheim Edam" not in text
    assert "€ 30.000" in text and "per inwoner" in text


def test_the_budget_divides_the_shared_part_by_inhabitants(joint):
    from ivp.beleidsplan.content import plan_content
    from ivp.documents import joint as jd

    content = plan_content(joint)
    figures = jd.area_figures(joint)
    populations = jd.populations_of(figures)
    assert all(populations.values())  # Beemster's own inhabitants of that year too
    budget = jd.joint_budget(content, jd.first_up(content), populations, public=True)
    assert budget.shared == Decimal("30000")
    total = sum(populations.values())
    assert budget.per_inhabitant == (Decimal(30000) / Decimal(str(total))).quantize(Decimal("0.01"))
    by_code = {m.code: m for m in budget.members}
    assert by_code["GM0385"].local == Decimal("5000")
    assert by_code["GM0370"].local == Decimal("0")
    shares = sum(m.share for m in budget.members)
    assert abs(shares - Decimal(30000)) <= Decimal("0.02")


def test_a_councils_uitvoeringsplan(joint, tmp_path):
    out = tmp_path / "up.docx"
    args = ["plan", "export", str(joint.pk), "--document", "uitvoeringsplan", "--format", "docx"]
    assert main([*args, "--municipality", "Purmerend", "--out", str(out)]) == 0
    text = _docx_text(out)
    assert "Maatregel Winkelgebied Purmerend" in text
    assert "Maatregel Veilig uitgaan Edam" not in text
    assert "Bijdrage per gemeente" in text
    joint_out = tmp_path / "up-joint.docx"
    assert main([*args, "--out", str(joint_out)]) == 0
    joint_text = _docx_text(joint_out)
    assert "(lokaal: Edam-Volendam)" in joint_text and "(lokaal: Purmerend)" in joint_text


def test_a_stranger_or_a_single_plan_is_refused_on_one_line(joint, tmp_path, capsys):
    args = ["plan", "export", str(joint.pk), "--document", "ivp", "--format", "docx"]
    assert main([*args, "--municipality", "GM0363", "--out", str(tmp_path / "x.docx")]) == 2
    err = capsys.readouterr().err
    assert "GM0363" in err and err.count("\n") == 1
    assert not (tmp_path / "x.docx").exists()
