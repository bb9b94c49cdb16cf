"""The implementation-plan sheet: text never becomes a formula, and the public sheet (web
and ``ivp plan export --format xlsx`` without ``--internal``) leaves confidential parts
out."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from ivp.beleidsplan import services as bp
from ivp.cli.main import main
from ivp.uitvoering import services as up_services
from ivp.uitvoering.spreadsheet import export_xlsx, read_xlsx

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://127.0.0.1/x","Klik hier")', "+1+1", "-2+3", "@SUM(A1)", "=1*1"]


@pytest.fixture
def up(plan, coordinator):
    c = coordinator
    public = bp.add_prioriteit(plan, by=c, titel="Jeugd", themas=["3.1"])
    secret = bp.add_prioriteit(plan, by=c, titel="Ondermijning geheim", themas=["5.2"])
    bp.update_part(secret, by=c, expected_version=secret.version, vertrouwelijk=True)
    up = up_services.create_uitvoeringsplan(plan, by=c, jaar=2027)
    item = up_services.add_onderdeel(up, by=c, titel="=Preventie", prioriteit=public)
    for title in FORMULAS:
        up_services.add_maatregel(item, by=c, titel=title, beschrijving="=1+1")
    hidden = up_services.add_onderdeel(up, by=c, titel="Geheim onderdeel", prioriteit=secret)
    up_services.add_maatregel(hidden, by=c, titel="Geheime maatregel")
    return up


def _xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/"))


def test_text_is_never_a_formula_and_reads_back_as_written(up):
    content = export_xlsx(up, public=False)
    assert "<f>" not in _xml(content)
    sheet = load_workbook(io.BytesIO(content))["Maatregelen"]
    column = [c.value for c in sheet[1]].index("Inzet/activiteit")
    titles = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert set(FORMULAS) <= set(titles)
    assert all(row[column].data_type == "s" for row in sheet.iter_rows(min_row=2))
    report = read_xlsx(up, content)
    assert report.ok and not report.changes  # the round trip keeps every text exactly


def test_the_public_sheet_leaves_confidential_parts_out(up, plan, tmp_path, capsys):
    public = _xml(export_xlsx(up))
    internal = _xml(export_xlsx(up, public=False))
    for secret in ("Ondermijning geheim", "Geheim onderdeel", "Geheime maatregel"):
        assert secret not in public and secret in internal
    out = tmp_path / "up.xlsx"
    args = ["plan", "export", str(plan.pk), "--document", "uitvoeringsplan", "--year", "2027"]
    assert main([*args, "--format", "xlsx", "--out", str(out)]) == 0
    assert "Geheime maatregel" not in _xml(out.read_bytes())
    assert main([*args, "--format", "xlsx", "--internal", "--out", str(out)]) == 0
    assert "Geheime maatregel" in _xml(out.read_bytes())
