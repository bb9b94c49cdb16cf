"""Hardening: the plan-JSON and XLSX importers under Hypothesis, no 500 for a foreign or
malformed werkgroep id or two first saves of a text at once, the CSP header, the API
schema behind login."""

from __future__ import annotations

import contextlib
import copy
import io
import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ivp.beleidsplan import services as bp
from ivp.beleidsplan.content import PlanImportError, import_plan, plan_backup
from ivp.plans import services as plan_services
from ivp.plans.factories import PlanFactory
from ivp.plans.models import WerkgroepLid
from ivp.uitvoering import services as up_services
from ivp.uitvoering.spreadsheet import HEADERS, SheetError, apply_xlsx, export_xlsx, read_xlsx

pytestmark = pytest.mark.django_db

# IVP_FUZZ_EXAMPLES: more examples for a long hunt by hand (1,500 each found nothing more)
FUZZ = settings(
    max_examples=int(os.environ.get("IVP_FUZZ_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**66), max_value=2**66)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["onzin", "X", "9.9", "", "2027-13-45", "\x00", "priority", "vastgesteld"])
)
json_values = st.recursive(
    scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
    max_leaves=10,
)


@pytest.fixture
def filled(plan, coordinator):
    c = coordinator
    prio = bp.add_prioriteit(plan, by=c, titel="Jeugd", themas=["3.1"])
    bp.add_indicator(plan, by=c, naam="Overlast", bron="politie", eenheid="aantal", prioriteit=prio)
    bp.add_overig_thema(plan, by=c, titel="Veilig uitgaan", themas=["1.1"])
    bp.save_hoofdstuk(plan, by=c, nummer=2, expected_version=0, tekst="Doel.")
    up = up_services.create_uitvoeringsplan(plan, by=c, jaar=2027)
    item = up_services.add_onderdeel(up, by=c, titel="Preventie", prioriteit=prio)
    up_services.add_maatregel(item, by=c, titel="Jongerenwerk", budget=100)
    plan_services.add_reactie(plan, by=c, onderwerp="Vraag", tekst="?")
    bp.freeze(plan, by=c)
    return plan, up


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _paths(sub, (*prefix, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _paths(sub, (*prefix, i))


def _replace(data, path, new):
    if not path:
        return new
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return data


@FUZZ
@given(st.data())
def test_plan_import_raises_only_its_own_error(filled, coordinator, data):
    plan, _up = filled
    base = plan_backup(plan)
    paths = list(_paths(base))
    mutated = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(paths))
        try:
            mutated = _replace(mutated, path, data.draw(json_values))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    with contextlib.suppress(PlanImportError):
        import_plan(mutated, by=coordinator, as_new=True)


cells = st.one_of(
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20).map(lambda t: "".join(ch for ch in t if ch >= " ")),
    st.sampled_from(["Jeugd", "Preventie", "gereed", "Q2 2027", "2027 e.v.", "€ 12.500", "=1+1"]),
)


@FUZZ
@given(st.lists(st.lists(cells, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=5))
# found by this test: "³" is a digit to str.isdigit() but not a number to int()
@example(rows=[["³"] + [None] * (len(HEADERS) - 1)])
@example(rows=[[None] * HEADERS.index("Budget (€)") + ["NaN"]])  # Decimal("NaN") < 0 raises
def test_xlsx_import_reports_and_never_crashes(filled, coordinator, rows):
    _plan, up = filled
    book = Workbook()
    sheet = book.active
    sheet.title = "Maatregelen"
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    report = read_xlsx(up, out.getvalue())
    assert isinstance(report.errors, list)
    with contextlib.suppress(SheetError):
        apply_xlsx(up, out.getvalue(), by=coordinator)


def test_xlsx_of_our_own_export_reads_back_unchanged(filled):
    _plan, up = filled
    report = read_xlsx(up, export_xlsx(up, public=False))
    assert report.ok and not report.changes


@pytest.mark.parametrize(
    "query", ["jaar=²", "versie=³", "jaar=٣x", "jaar=٣", "jaar=99999999999", "versie=" + "9" * 5000]
)
def test_a_number_that_is_no_number_in_a_download_link_is_not_found(
    client, plan, coordinator, query
):
    client.force_login(coordinator)
    url = reverse("documents:download", args=[plan.pk, "veiligheidsanalyse", "html"])
    assert client.get(f"{url}?{query}").status_code == 404


def test_werkgroep_delete_with_a_foreign_or_malformed_id(client, plan, coordinator):
    other = PlanFactory(titel="Ander plan")
    foreign = plan_services.add_werkgroeplid(
        other, by=other.rollen.get(rol="coordinator").user, naam="B", organisatie="Politie"
    )
    client.force_login(coordinator)
    url = reverse("plans:werkgroep", args=[plan.pk])
    for value in (str(foreign.pk), "abc", "", "-1", "9" * 40, "1.5", "²"):
        response = client.post(url, {"verwijder": value}, follow=True)
        assert response.status_code == 200, value
        assert "bestaat niet (meer)" in response.content.decode(), value
    assert WerkgroepLid.objects.filter(pk=foreign.pk).exists()


def test_two_first_saves_of_a_text_at_once_refuse_cleanly(plan, coordinator, monkeypatch):
    """The second first-save finds the row the first one inserted after it looked."""
    from ivp.veiligheidsanalyse import services as va
    from ivp.veiligheidsanalyse.models import AnalyseTekst

    onderwerp = next(iter(va.onderwerpen()))
    va.save_tekst(plan, by=coordinator, onderwerp=onderwerp, expected_version=0, probleem="A")
    real = AnalyseTekst.objects.select_for_update
    calls = []

    def looks_empty_once(*args, **kwargs):
        queryset = real(*args, **kwargs)
        if not calls:  # the first look happens before the other save committed
            calls.append(1)
            return queryset.none()
        return queryset

    monkeypatch.setattr(AnalyseTekst.objects, "select_for_update", looks_empty_once)
    with pytest.raises(va.StaleTextError) as error:
        va.save_tekst(plan, by=coordinator, onderwerp=onderwerp, expected_version=0, probleem="B")
    assert error.value.current.probleem == "A"


def test_two_first_saves_of_a_chapter_at_once_refuse_cleanly(plan, coordinator, monkeypatch):
    from ivp.beleidsplan.models import Hoofdstuk

    bp.save_hoofdstuk(plan, by=coordinator, nummer=3, expected_version=0, tekst="A")
    real = Hoofdstuk.objects.select_for_update
    calls = []

    def looks_empty_once(*args, **kwargs):
        queryset = real(*args, **kwargs)
        if not calls:
            calls.append(1)
            return queryset.none()
        return queryset

    monkeypatch.setattr(Hoofdstuk.objects, "select_for_update", looks_empty_once)
    with pytest.raises(bp.StaleEditError):
        bp.save_hoofdstuk(plan, by=coordinator, nummer=3, expected_version=0, tekst="B")


def test_csp_header_without_unsafe_inline(client, plan, coordinator):
    client.force_login(coordinator)
    for url in (f"/plannen/{plan.pk}/", "/account/inloggen/", "/data/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    html = client.get(f"/plannen/{plan.pk}/documenten/startnotitie.html")
    assert "script-src 'self'" in html["Content-Security-Policy"]


def test_api_schema_behind_login(client, coordinator):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    client.force_login(coordinator)
    assert client.get("/api/v1/schema/").status_code == 200


def test_whole_numbers_from_users():
    from ivp.userinput import whole_number

    assert whole_number("2018") == 2018 and whole_number("0") == 0
    for text in ("", None, "²", "٣", "1.5", "-1", " 7", "9" * 19, "9" * 5000):
        assert whole_number(text) is None, text
