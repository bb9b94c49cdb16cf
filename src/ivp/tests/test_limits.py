"""Resources cannot be exhausted: uploads above the size limit are refused before they
are read, XLSX sheets that reach too far are refused before their cells are loaded, and
the API caps ``?limit=``."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ivp.datasets.models import ImportRun
from ivp.datasets.sources.tabular import TableReadError, read_xlsx
from ivp.uitvoering import services as up_services
from ivp.uitvoering.spreadsheet import read_xlsx as read_sheet
from ivp.xlsx import XlsxTooLarge, check_size

pytestmark = pytest.mark.django_db


def far_cell_xlsx(cell: str = "Q200000") -> bytes:
    """A tiny workbook (a few KB) with one blank cell far away."""
    book = Workbook()
    book.active["A1"] = "regio"
    book.active[cell] = ""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_blank_cell_at_q200000_is_refused_quickly_in_dutch():
    data = far_cell_xlsx()
    assert len(data) < 10_000
    start = time.perf_counter()
    with pytest.raises(XlsxTooLarge) as error:
        check_size(data)
    assert time.perf_counter() - start < 2  # not a timing claim: a gross regression guard
    assert "rij 200.000" in str(error.value) and "hoogstens 100.000" in str(error.value)
    with pytest.raises(TableReadError, match="te groot"):
        read_xlsx(data)
    with pytest.raises(XlsxTooLarge, match="te breed"):
        check_size(far_cell_xlsx("ZZ1"))
    check_size(far_cell_xlsx("Q20"))  # a normal sheet passes


def test_the_data_upload_refuses_the_far_cell_and_stores_nothing(client, plan, coordinator):
    client.force_login(coordinator)
    client.post(
        reverse("datasets:upload"),
        {"bestand": SimpleUploadedFile("cijfers.xlsx", far_cell_xlsx())},
    )
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.FAILED
    assert "te groot" in run.problems[0]["melding"]


def test_the_implementation_plan_sheet_refuses_the_far_cell(plan, coordinator):
    up = up_services.create_uitvoeringsplan(plan, by=coordinator, jaar=2027)
    report = read_sheet(up, far_cell_xlsx())
    assert not report.ok and "te groot" in report.errors[0]


def test_an_upload_above_the_limit_is_refused_before_reading(client, plan, coordinator, settings):
    settings.IVP_UPLOAD_MAX_MB = 1
    client.force_login(coordinator)
    count = ImportRun.objects.count()
    big = SimpleUploadedFile("groot.csv", b"regio;periode;indicator;waarde\n" + b"x" * 1_100_000)
    response = client.post(reverse("datasets:upload"), {"bestand": big})
    assert response.status_code == 200
    assert "groter dan 1 MB" in response.content.decode()
    assert ImportRun.objects.count() == count


@pytest.mark.parametrize(
    "limit", ["9223372036854775808", "2**63", "100000000", "-5", "abc", "1e9", "0"]
)
def test_the_api_caps_limit(client, coordinator, limit, settings):
    settings.IVP_API_MAX_LIMIT = 3
    from ivp.plans.factories import PlanFactory

    for n in range(5):
        PlanFactory(titel=f"Plan {n}", coordinator=coordinator)
    client.force_login(coordinator)
    response = client.get(f"/api/v1/plannen/?limit={limit}&offset=99999999999999999999999")
    assert response.status_code in (200, 400)
    response = client.get(f"/api/v1/plannen/?limit={limit}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 3
