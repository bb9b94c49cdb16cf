"""The uitvoeringsplan (step 5) as a document: its chapters, the measures under their
priority, the budget totals, confidential parts, and the year of the export."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document as read_docx
from docx.table import Table as DocxTable
from pypdf import PdfReader

from ivp.beleidsplan.models import Effectindicator, Hoofdstuk, OverigThema, Prioriteit
from ivp.documents.exports import DOCUMENTS, UnknownExport, export
from ivp.documents.model import Table
from ivp.documents.uitvoeringsplan import build_uitvoeringsplan, money
from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "1 Hoofdlijn IVP",
    "2 Terugblik",
    "3 Uitwerking prioriteiten",
    "4 Uitwerking overige strategische thema's",
    "5 Begroting",
]


def _measure(onderdeel, titel, volgorde, **values):
    return Maatregel.objects.create(onderdeel=onderdeel, titel=titel, volgorde=volgorde, **values)


@pytest.fixture
def up(plan, coordinator):
    """Two priorities, one confidential priority, one cluster; a 2026 plan looked back on
    and the 2027 plan with six measures (one without an amount)."""
    inbraak = Prioriteit.objects.create(
        plan=plan, titel="Woninginbraak", themas=["1.3"], volgorde=1, updated_by=coordinator
    )
    jeugd = Prioriteit.objects.create(plan=plan, titel="Jeugdoverlast", themas=["3.1"], volgorde=2)
    geheim = Prioriteit.objects.create(
        plan=plan, titel="Ondermijning", themas=["5.2"], volgorde=3, vertrouwelijk=True
    )
    verkeer = OverigThema.objects.create(plan=plan, titel="Verkeersveiligheid", themas=["4.1"])
    Effectindicator.objects.create(
        plan=plan,
        prioriteit=inbraak,
        naam="Woninginbraken",
        bron=Effectindicator.Bron.POLITIE,
        eenheid=Effectindicator.Eenheid.PER_1000_WONINGEN,
        uitgangswaarde=3.4,
        uitgangsjaar=2025,
        streefwaarde=2.8,
        streefjaar=2030,
    )
    Hoofdstuk.objects.create(
        plan=plan, nummer=6, tekst="Het driehoeksoverleg bespreekt elk kwartaal de voortgang."
    )

    vorig = Uitvoeringsplan.objects.create(plan=plan, jaar=2026, status="vastgesteld")
    item = Onderdeel.objects.create(uitvoeringsplan=vorig, prioriteit=inbraak, titel="Preventie")
    apps_2026 = _measure(item, "Buurtpreventie-apps 2026", 1, status="gereed")
    _measure(item, "Voorlichting 2026", 2, status="vertraagd")
    item = Onderdeel.objects.create(uitvoeringsplan=vorig, prioriteit=geheim, titel="Controles")
    _measure(item, "Geheime controles 2026", 1, status="lopend")

    up = Uitvoeringsplan.objects.create(
        plan=plan,
        jaar=2027,
        vorig=vorig,
        status="vastgesteld",
        vastgesteld_op=date(2027, 2, 3),
        hoofdlijn="De hoofdlijn van 2027.",
        begroting_toelichting="Dekking uit het budget integrale veiligheid.",
    )
    preventie = Onderdeel.objects.create(
        uitvoeringsplan=up, prioriteit=inbraak, titel="Preventie", volgorde=1
    )
    _measure(
        preventie,
        "Buurtpreventie-apps",
        1,
        bestuurlijk_trekker="Burgemeester",
        partners=["Wijkteams", "Politie"],
        planning="doorlopend",
        budget=Decimal("12500"),
        budget_bron="Budget integrale veiligheid",
        overgenomen_van=apps_2026,
    )
    _measure(
        preventie,
        "Inbraakpreventie-avonden",
        2,
        bestuurlijk_trekker="Burgemeester",
        partners=["Politie", "Woningcorporaties"],
        planning="jaar",
        planning_jaar=2027,
        planning_vervolg=True,
        budget=Decimal("7500"),
        budget_bron="Budget integrale veiligheid",
    )
    daders = Onderdeel.objects.create(
        uitvoeringsplan=up, prioriteit=inbraak, titel="Daderaanpak", volgorde=2
    )
    _measure(
        daders,
        "Persoonsgerichte aanpak",
        1,
        bestuurlijk_trekker="Wethouder zorg",
        planning="kwartaal",
        planning_kwartaal=2,
        planning_jaar=2027,
    )
    groepen = Onderdeel.objects.create(uitvoeringsplan=up, prioriteit=jeugd, titel="Groepsaanpak")
    _measure(
        groepen,
        "Shortlistaanpak",
        1,
        bestuurlijk_trekker="Burgemeester",
        partners=["Halt"],
        budget=Decimal("18000"),
        budget_bron="Programma Jeugd",
    )
    controles = Onderdeel.objects.create(uitvoeringsplan=up, prioriteit=geheim, titel="Controles")
    _measure(
        controles,
        "Integrale controles bedrijventerreinen",
        1,
        bestuurlijk_trekker="Burgemeester",
        budget=Decimal("30000"),
        budget_bron="Budget integrale veiligheid",
    )
    scholen = Onderdeel.objects.create(uitvoeringsplan=up, overig_thema=verkeer, titel="Scholen")
    _measure(
        scholen,
        "Schoolzones",
        1,
        bestuurlijk_trekker="Wethouder mobiliteit",
        planning="periode",
        start=date(2027, 3, 1),
        eind=date(2028, 6, 30),
        budget=Decimal("35000"),
        budget_bron="Programma Mobiliteit",
    )
    return up


def _docx(plan, **options):
    content, content_type, filename = export(plan, "uitvoeringsplan", "docx", **options)
    assert "wordprocessingml" in content_type and filename.endswith(".docx")
    return read_docx(io.BytesIO(content))


def _text(docx) -> str:
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _rows(table: DocxTable) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _under_headings(docx) -> dict[str, list]:
    """The paragraphs' texts and tables after each heading (of any level), in order."""
    found: dict[str, list] = {}
    current = ""
    for block in docx.iter_inner_content():
        if isinstance(block, DocxTable):
            found.setdefault(current, []).append(block)
        elif block.style.name.startswith("Heading"):
            current = block.text
            found.setdefault(current, [])
        elif block.text:
            found.setdefault(current, []).append(block.text)
    return found


def test_registered_with_a_year():
    kind = DOCUMENTS["uitvoeringsplan"]
    assert kind.title == "Uitvoeringsplan"
    assert "year" in kind.options


def test_the_docx_has_the_handbooks_chapters_in_order(up):
    docx = _docx(up.plan, year=2027)
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert headings == CHAPTERS
    sub = [p.text for p in docx.paragraphs if p.style.name == "Heading 2"]
    assert sub == [
        "1.1 Prioriteiten en overige strategische thema's",
        "1.2 Coördinatie en beleidscyclus",
        "3.1 Woninginbraak",
        "3.2 Jeugdoverlast",
        "4.1 Verkeersveiligheid",
    ]
    paragraphs = [p.text for p in docx.paragraphs]
    assert "Uitvoeringsplan 2027" in paragraphs
    assert "Status: Vastgesteld door het college op 3 februari 2027" in paragraphs
    assert "Het driehoeksoverleg bespreekt elk kwartaal de voortgang." in paragraphs
    assert "De hoofdlijn van 2027." in paragraphs


def test_each_measure_is_under_its_priority_and_item_with_lead_partners_and_planning(up):
    parts = _under_headings(_docx(up.plan))
    inbraak = [b for b in parts["3.1 Woninginbraak"] if isinstance(b, DocxTable)]
    indicators, measures = inbraak[0], inbraak[1]
    assert _rows(indicators)[0] == ["Indicator", "Bron", "Uitgangswaarde", "Doelstelling"]
    assert _rows(indicators)[1] == [
        "Woninginbraken (per 1.000 woningen)",
        "Politie",
        "3,4 (2025)",
        "≤ 2,8 in 2030",
    ]
    header, *rows = _rows(measures)
    assert header == [
        "Onderdeel",
        "Inzet/activiteiten",
        "Trekker (bestuurlijk, ambtelijk)",
        "Partners",
        "Planning",
    ]
    # the item's title only in the first row of its group
    assert [r[0] for r in rows] == ["Preventie", "", "Daderaanpak"]
    # one partners list, as written (not forced into intern/extern)
    assert rows[0][1:] == [
        "Buurtpreventie-apps",
        "Burgemeester",
        "Wijkteams, Politie",
        "doorlopend",
    ]
    assert rows[1][1:] == [
        "Inbraakpreventie-avonden",
        "Burgemeester",
        "Politie, Woningcorporaties",
        "2027 e.v.",
    ]
    assert rows[2][1:] == ["Persoonsgerichte aanpak", "Wethouder zorg", "–", "Q2 2027"]
    jeugd = [b for b in parts["3.2 Jeugdoverlast"] if isinstance(b, DocxTable)][0]
    assert _rows(jeugd)[1:] == [
        ["Groepsaanpak", "Shortlistaanpak", "Burgemeester", "Halt", "doorlopend"]
    ]
    verkeer = [b for b in parts["4.1 Verkeersveiligheid"] if isinstance(b, DocxTable)][0]
    assert _rows(verkeer)[1] == [
        "Scholen",
        "Schoolzones",
        "Wethouder mobiliteit",
        "–",
        "mrt 2027 – jun 2028",
    ]


def test_sub_groups_italic_leads_free_planning_and_details_only_where_filled(up):
    from ivp.documents.model import Span

    item = Onderdeel.objects.get(uitvoeringsplan=up, titel="Scholen")
    _measure(
        item,
        "Verkeersexamen",
        2,
        subgroep="Educatie",
        beschrijving="Met de basisscholen, elk voorjaar.",
        planning="vrij",
        planning_vrij="doorlopend, 2019 e.v.",
    )
    _measure(item, "Schoolroutes", 3, subgroep="Educatie", planning="doorlopend")
    document = build_uitvoeringsplan(up.plan, 2027)
    verkeer = document.sections[3].subsections[0]
    assert verkeer.title == "Verkeersveiligheid"
    measures, details = [b for b in verkeer.blocks if isinstance(b, Table)]
    rows = list(measures.rows)
    # the sub-group as a label row, then its measures
    assert rows[1][1] == (Span("Educatie:", bold=True),)
    assert rows[2][1] == (
        Span("Verkeersexamen", italic=True),
        Span(" Met de basisscholen, elk voorjaar."),
    )
    assert rows[2][4] == "doorlopend, 2019 e.v."  # the plan's own words, not refused
    # performance and money only for the measures that have them
    assert [r[0] for r in details.rows] == ["Schoolzones"]
    # the measures on landscape pages, the Inzet column the widest
    assert document.sections[3].landscape
    assert max(measures.widths) == measures.widths[1]


def test_no_budget_total_when_no_amounts_are_given(plan):
    prio = Prioriteit.objects.create(plan=plan, titel="Jeugd", themas=["3.1"], volgorde=1)
    up = Uitvoeringsplan.objects.create(plan=plan, jaar=2027)
    item = Onderdeel.objects.create(uitvoeringsplan=up, prioriteit=prio, titel="Groepen")
    _measure(item, "Groepsscan", 1)
    text = _text(_docx(plan, year=2027))
    assert "geen bedragen per maatregel opgenomen" in text
    assert "€ 0" not in text and "Prestaties en middelen" not in text


def test_the_budgets_per_theme_and_overall_add_up(up):
    parts = _under_headings(_docx(up.plan))
    inbraak = parts["3.1 Woninginbraak"]
    # € 12.500 + € 7.500; the measure without an amount is not counted
    assert "Budget: € 20.000 (totaal van de maatregelen met een bedrag)." in inbraak
    jeugd = parts["3.2 Jeugdoverlast"]
    assert "Budget: € 18.000 (totaal van de maatregelen met een bedrag)." in jeugd
    begroting = parts["5 Begroting"]
    assert "Het totaal van de maatregelen met een bedrag is € 73.000." in begroting
    per_part, per_source = [b for b in begroting if isinstance(b, DocxTable)]
    rows = _rows(per_part)
    assert rows[1:] == [
        ["Woninginbraak", "Prioriteit", "3", "1", "€ 20.000"],
        ["Jeugdoverlast", "Prioriteit", "1", "0", "€ 18.000"],
        ["Verkeersveiligheid", "Overig thema", "1", "0", "€ 35.000"],
        ["Totaal", "", "5", "1", "€ 73.000"],
    ]
    assert _rows(per_source)[1:] == [
        ["Programma Mobiliteit", "€ 35.000"],
        ["Budget integrale veiligheid", "€ 20.000"],
        ["Programma Jeugd", "€ 18.000"],
        ["Totaal", "€ 73.000"],
    ]
    assert "Dekking uit het budget integrale veiligheid." in begroting


def test_the_look_back_lists_last_years_measures_with_their_status(up):
    parts = _under_headings(_docx(up.plan))
    terugblik = parts["2 Terugblik"]
    assert (
        "Van de 2 maatregelen uit het uitvoeringsplan 2026 zijn er 1 gereed en 1 vertraagd. "
        "1 loopt door in 2027."
    ) in terugblik
    table = next(b for b in terugblik if isinstance(b, DocxTable))
    assert _rows(table) == [
        ["Onderdeel", "Maatregel", "Status"],
        ["Preventie (Woninginbraak)", "Buurtpreventie-apps 2026", "gereed"],
        ["", "Voorlichting 2026", "vertraagd"],
    ]


def test_the_confidential_priority_is_only_in_the_internal_version(up):
    public = _text(_docx(up.plan))
    for secret in ("Ondermijning", "Integrale controles", "Geheime controles", "€ 103.000"):
        assert secret not in public
    internal_docx = _docx(up.plan, public=False)
    internal = _text(internal_docx)
    assert "Integrale controles bedrijventerreinen" in internal
    assert "Geheime controles 2026" in internal
    assert "Het totaal van de maatregelen met een bedrag is € 103.000." in internal
    sub = [p.text for p in internal_docx.paragraphs if p.style.name == "Heading 2"]
    assert "3.3 Ondermijning" in sub
    assert "interne versie met vertrouwelijke onderdelen" in internal


def test_the_confidential_priority_is_a_confidential_section(up):
    document = build_uitvoeringsplan(up.plan, 2027)
    chapter = document.sections[2]
    assert [(s.title, s.confidential) for s in chapter.subsections] == [
        ("Woninginbraak", False),
        ("Jeugdoverlast", False),
        ("Ondermijning", True),
    ]


def test_no_software_and_no_placeholders_in_the_document(up):
    text = _text(_docx(up.plan))
    for word in ("ivp", "Nog niet ingevuld", "Nog geen", "Thema:", "intern:", "extern:"):
        assert word not in text.split() and word not in text


def test_the_pdf_renders_with_the_measures(up):
    content, content_type, filename = export(up.plan, "uitvoeringsplan", "pdf", year=2027)
    assert content_type == "application/pdf" and filename.endswith(".pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Schoolzones" in text
    assert "Uitvoeringsplan 2027" in text
    assert "Ondermijning" not in text


def test_the_default_year_is_the_latest_plan(up):
    assert build_uitvoeringsplan(up.plan).subtitle == "Uitvoeringsplan 2027"
    assert build_uitvoeringsplan(up.plan, 2026).subtitle == "Uitvoeringsplan 2026"


def test_a_year_without_a_plan_gives_a_document_that_says_so(up):
    text = _text(_docx(up.plan, year=2031))
    assert "Er is geen uitvoeringsplan voor 2031" in text
    assert "Wel beschikbaar: uitvoeringsplan 2026 en 2027." in text


def test_a_plan_without_implementation_plans(plan):
    document = build_uitvoeringsplan(plan)
    assert document.sections[0].title == "Geen uitvoeringsplan"
    assert "nog geen uitvoeringsplan" in document.sections[0].blocks[0].text


def test_without_a_look_back_or_parts_the_chapters_are_renumbered(plan):
    Uitvoeringsplan.objects.create(plan=plan, jaar=2027)
    docx = _docx(plan, year=2027)
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1 Hoofdlijn IVP", "2 Begroting"]
    text = _text(docx)
    assert "Concept – nog uit te werken: de hoofdlijn van het IVP." in text
    assert "geen bedragen per maatregel opgenomen" in text
    assert "Status: Concept" in text


def test_a_year_for_a_document_without_years_is_refused(up):
    with pytest.raises(UnknownExport, match="has no year"):
        export(up.plan, "startnotitie", "docx", year=2027)


def test_money_the_dutch_way():
    assert money(Decimal("12500")) == "€ 12.500"
    assert money(Decimal("1250.5")) == "€ 1.250,50"
    assert money(1234567) == "€ 1.234.567"
    assert money(Decimal("0")) == "€ 0"
