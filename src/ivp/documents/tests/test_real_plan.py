"""A real plan in its own shape, entered through ivp and exported as the council gets it.

The structure and the names follow the published IVP 2019–2022 of 's-Hertogenbosch (facts:
its chapter titles, sections, priorities, ongoing themes, partners and indicators); the texts
are our own. Seven chapters with an Inleiding first and own titles, sections 4.1–4.4 and
7.1–7.3, the method's chapter 7 folded into chapter 7, two annexes, four priorities, seven
clusters of ongoing themes, ten indicators, and an uitvoeringsplan of 94 measures read
in through the Excel sheet, with mixed partner columns, sub-groups and planning texts.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook
from pypdf import PdfReader

from ivp.beleidsplan import services as bp
from ivp.beleidsplan.models import Effectindicator
from ivp.documents.exports import export
from ivp.plans.factories import GemeenteFactory, PlanFactory
from ivp.plans.models import Rol
from ivp.uitvoering import services as uv
from ivp.uitvoering import spreadsheet

pytestmark = pytest.mark.django_db

BANNED = re.compile(
    r"nog niet ingevuld|nog geen effectindicatoren|ivp data|ivp plan|github|commit [0-9a-f]{6}"
    r"|docs/|\.py\b|bewerking: ivp|opgehaald door",
    re.I,
)

PRIORITIES = (
    # title, themes, key, indicators: (name, source, unit, baseline, year, target, direction)
    (
        "Veilige en leefbare wijken en buurten",
        ["1.1", "1.2", "1.3", "1.4"],
        (
            (
                "% inwoners dat vaak overlast ervaart door buurtgenoten",
                "veiligheidsmonitor",
                "procent",
                5,
                2017,
                4,
                "<=",
            ),
            (
                "Incidenten overlast van personen met verward gedrag (per 1.000 inwoners)",
                "politie",
                "per_1000_inwoners",
                5,
                2017,
                4,
                "<=",
            ),
            (
                "Totaal woninginbraak (per 1.000 woningen)",
                "politie",
                "per_1000_woningen",
                6.2,
                2017,
                6.0,
                "<=",
            ),
            (
                "Totaal auto-inbraak (per 1.000 inwoners)",
                "politie",
                "per_1000_inwoners",
                8.2,
                2017,
                6.5,
                "<=",
            ),
        ),
    ),
    (
        "Veilig uitgaan en veilige evenementen",
        ["2.3", "2.4", "2.5"],
        (
            (
                "% inwoners dat vaak overlast ervaart van horecagelegenheden",
                "veiligheidsmonitor",
                "procent",
                2,
                2017,
                2,
                "<=",
            ),
            (
                "% inwoners dat zich vaak onveilig voelt rondom uitgaansgelegenheden",
                "veiligheidsmonitor",
                "procent",
                3,
                2017,
                3,
                "<=",
            ),
        ),
    ),
    (
        "Problematische jeugd en jeugdgroepen",
        ["3.1", "3.2", "3.3", "3.4"],
        (
            (
                "Incidenten overlast jeugd per 1.000 inwoners",
                "politie",
                "per_1000_inwoners",
                5.9,
                2017,
                4.8,
                "<=",
            ),
            (
                "% inwoners dat vaak overlast van groepen jongeren in de buurt ervaart",
                "veiligheidsmonitor",
                "procent",
                7,
                2017,
                4.5,
                "<=",
            ),
        ),
    ),
    ("Ondermijning", ["5.2"], ()),
)
CLUSTERS = (
    ("Veilig winkelgebied, veilige bedrijventerreinen", ["2.1", "2.2"]),
    ("Verkeersveiligheid", ["4.1"]),
    ("Brandveiligheid, externe veiligheid en crisisbeheersing", ["4.2", "4.3", "4.4"]),
    ("Polarisatie en radicalisering", ["5.1"]),
    ("Informatieveiligheid", ["5.4"]),
    ("Veilige Publieke Taak", ["5.3"]),
    ("Ambtelijke en bestuurlijke integriteit", ["5.5"]),
)
PARTNER_COLUMNS = (
    "OOV, VTH, politie, OM",
    "Wijkteams, Zorg- en Veiligheidshuis, politie",
    "Veiligheidsregio Brabant-Noord; Omgevingsdienst Brabant-Noord",
    "Politie",
    "OOV, RIEC Oost-Brabant, Belastingdienst",
)
PLANNINGS = ("doorlopend", "2019 e.v.", "doorlopend/2019 e.v.", "Q2 2019", "najaar 2019")
CHAPTERS = [
    "1 Inleiding",
    "2 Waar staan we nu?",
    "3 Waar willen we staan in 2022?",
    "4 Hoe gaan we te werk?",
    "5 Prioritaire thema's",
    "6 Overige strategische thema's",
    "7 Coördinatie, verantwoording en begroting",
    "Bronnen",
    "Bijlage 1: Veiligheidsthema's",
    "Bijlage 2: Uitvoeringsplan",
]


def _enter_the_plan(plan, by):
    """Steps 3 and 4 through the services, as the pages call them."""
    for title, themes, indicators in PRIORITIES:
        prio = bp.add_prioriteit(
            plan,
            by=by,
            titel=title,
            themas=themes,
            waarom=f"Waarom {title.lower()} voorrang krijgt, in de woorden van de gemeente.",
            hoofdlijnen="- **Vroeg erbij:** signalen in de wijk\n  - samen met bewoners\n"
            "- **Daadkrachtig:** ingrijpen waar het moet",
            doel=f"*Een beheersbaar niveau van {title.lower()}.*",
        )
        for order, (name, source, unit, base, year, target, direction) in enumerate(indicators):
            bp.add_indicator(
                plan,
                by=by,
                prioriteit=prio,
                naam=name,
                bron=source,
                eenheid=unit,
                uitgangswaarde=base,
                uitgangsjaar=year,
                streefwaarde=target,
                streefjaar=2022,
                richting=direction,
                volgorde=order,
            )
    for title, themes in CLUSTERS:
        cluster = bp.add_overig_thema(plan, by=by, titel=title, themas=themes)
        bp.update_part(
            cluster,
            by=by,
            expected_version=cluster.version,
            hoofdlijnen=f"Hoofdlijnen van de aanpak van {title.lower()}.",
        )
    for name, base, target, direction, unit, source in (
        ("Totaal misdrijven (p. 1.000 inwoners)", 63.9, 60, "<=", "per_1000_inwoners", "politie"),
        (
            "Rapportcijfer veiligheid van de buurt",
            6.9,
            7.0,
            ">=",
            "rapportcijfer",
            "veiligheidsmonitor",
        ),
    ):
        bp.add_indicator(
            plan,
            by=by,
            naam=name,
            bron=source,
            eenheid=unit,
            uitgangswaarde=base,
            uitgangsjaar=2017,
            streefwaarde=target,
            streefjaar=2022,
            richting=direction,
        )
    bp.add_hoofdstuk(
        plan,
        by=by,
        titel="Inleiding",
        vooraan=True,
        tekst="Veiligheid is van iedereen.\n\n**Leeswijzer.** [[uitgangssituatie]] beschrijft "
        "waar we staan; de prioriteiten staan in [[prioriteiten]], de ondermijningsaanpak in "
        "[[ondermijning]].",
    )
    texts = {
        1: ("Waar staan we nu?", "Het veiligheidsbeeld is op veel thema's stabiel."),
        2: ("Waar willen we staan in 2022?", "Een veilige gemeente met inwoners in positie."),
        3: ("Hoe gaan we te werk?", "Zo werken we."),
        4: ("Prioritaire thema's", "Vier thema's krijgen voorrang."),
        5: ("Overige strategische thema's", "Hier houden we het niveau vast."),
        6: ("Coördinatie, verantwoording en begroting", ""),
    }
    for number, (title, text) in texts.items():
        bp.save_hoofdstuk(plan, by=by, nummer=number, expected_version=0, titel=title, tekst=text)
    bp.save_hoofdstuk(plan, by=by, nummer=7, expected_version=0, weggelaten=True)
    for number, sections in (
        (3, ("De rode draad", "Partners", "Flankerend beleid", "Bovenlokaal beleid")),
        (
            6,
            (
                "Ambtelijke en bestuurlijke coördinatie",
                "Beleidscyclus en verantwoording",
                "Begroting",
            ),
        ),
    ):
        for title in sections:
            bp.add_paragraaf(
                plan,
                by=by,
                hoofdstuk=bp.hoofdstuk(plan, number),
                titel=title,
                tekst=f"Over {title.lower()} (zie ook [[coordinatie]]).",
            )
    bp.add_hoofdstuk(plan, by=by, titel="", soort="bijlage_themas")
    bp.add_hoofdstuk(plan, by=by, titel="", soort="bijlage_uitvoeringsplan")
    bp.save_opmaak(
        plan,
        by=by,
        expected_version=0,
        ondertitel="de basis verstevigd, inwoners en ondernemers in positie",
        kop_waarom="",
        kop_hoofdlijnen="Hoofdlijnen 2019-2022",
        kop_flankerend="Flankerend beleid",
        kop_doel="Doelstelling 2022",
    )


def _enter_the_measures_through_the_sheet(plan, by) -> int:
    """94 measures: the sheet is downloaded, filled in as a coordinator does, and read in."""
    up = uv.create_uitvoeringsplan(plan, by=by, jaar=2019)
    book = load_workbook(io.BytesIO(spreadsheet.export_xlsx(up)))
    sheet = book[spreadsheet.SHEET]
    owners = [
        *(f"5.{i} {title}" for i, (title, _t, _i) in enumerate(PRIORITIES, start=1)),
        *(f"6.{i} {title}" for i, (title, _t) in enumerate(CLUSTERS, start=1)),
    ]
    owners[1] = "Veilig uitgaan en veilige evenement"  # a letter off, no number: near-match
    count = 0
    for index in range(94):
        owner = owners[index % len(owners)]
        fire = owner.startswith("6.3")
        subgroup = ("Risicobeheersing" if index % 2 else "Incidentbestrijding") if fire else ""
        row = {
            "thema": owner,
            "onderdeel": "Preventie" if index % 3 else "Aanpak",
            "subgroep": subgroup,
            "titel": f"Maatregel {index + 1}",
            "beschrijving": "Wat er gebeurt en met wie." if index % 4 == 0 else "",
            "bestuurlijk_trekker": "Burgemeester",
            "partners": PARTNER_COLUMNS[index % len(PARTNER_COLUMNS)],
            "planning": PLANNINGS[index % len(PLANNINGS)],
            "status": "gepland",
        }
        sheet.append([row.get(field) for _header, field in spreadsheet.COLUMNS])
        count += 1
    out = io.BytesIO()
    book.save(out)
    report = spreadsheet.read_xlsx(up, out.getvalue())
    assert report.ok, report.errors[:5]
    assert any("bijna gelijk" in n for n in report.notices)  # shown for confirmation
    spreadsheet.apply_xlsx(up, out.getvalue(), by=by)
    return count


@pytest.fixture
def real_plan():
    plan = PlanFactory(
        titel="Integraal Veiligheidsplan 2019-2022",
        periode_start=2019,
        periode_eind=2022,
        gemeente=GemeenteFactory(code="GM0796", naam="'s-Hertogenbosch"),
    )
    by = plan.rollen.get(rol=Rol.COORDINATOR).user
    _enter_the_plan(plan, by)
    assert _enter_the_measures_through_the_sheet(plan, by) == 94
    return plan


def _docx_text(docx) -> str:
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_real_plan_is_exported_in_its_own_shape(real_plan):
    assert Effectindicator.objects.filter(plan=real_plan).count() == 10
    content = export(real_plan, "ivp", "docx")[0]
    docx = read_docx(io.BytesIO(content))
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert headings == CHAPTERS
    sections = [p.text for p in docx.paragraphs if p.style.name == "Heading 2"]
    for expected in (
        "4.1 De rode draad",
        "4.2 Partners",
        "4.3 Flankerend beleid",
        "4.4 Bovenlokaal beleid",
        "5.1 Veilige en leefbare wijken en buurten",
        "5.4 Ondermijning",
        "6.7 Ambtelijke en bestuurlijke integriteit",
        "7.1 Ambtelijke en bestuurlijke coördinatie",
        "7.2 Beleidscyclus en verantwoording",
        "7.3 Begroting",
    ):
        assert expected in sections, expected
    text = _docx_text(docx)
    # own part headings; the explanation right under the priority's heading
    parts = [p.text for p in docx.paragraphs if p.style.name == "Heading 3"]
    assert "Hoofdlijnen 2019-2022" in parts and "Doelstelling 2022" in parts
    assert "Waarom een prioriteit" not in parts
    # references follow the numbering
    assert "Hoofdstuk 2 beschrijft waar we staan" in text
    assert "in hoofdstuk 5, de ondermijningsaanpak in paragraaf 5.4" in text
    assert "(zie ook hoofdstuk 7)" in text
    # the cover
    assert "de basis verstevigd, inwoners en ondernemers in positie" in text
    assert "Planperiode: 2019–2022" in text
    # indicators as the plan wrote them: the unit once, the precision of the baseline
    assert "Totaal misdrijven (p. 1.000 inwoners)" in text
    assert "(per 1.000 inwoners) (per 1.000 inwoners)" not in text
    assert "≥ 7,0 in 2022" in text and "≤ 4,5% in 2022" in text
    # nested bullets keep their level
    levels = {p.style.name for p in docx.paragraphs if p.text == "samen met bewoners"}
    assert levels == {"List Bullet 2"}
    # the annexes: every theme placed, the uitvoeringsplan with its 94 measures as written
    assert "Prioriteit: Ondermijning (paragraaf 5.4)" in text
    assert "Overig thema: Veilige Publieke Taak (paragraaf 6.6)" in text
    assert "OOV, VTH, politie, OM" in text
    assert "intern:" not in text and "extern:" not in text
    assert "Risicobeheersing:" in text and "Incidentbestrijding:" in text
    assert "doorlopend/2019 e.v." in text and "najaar 2019" in text
    measures = {
        c.text
        for t in docx.tables
        for r in t.rows
        for c in r.cells
        if c.text.startswith("Maatregel ")
    }
    assert len(measures) == 94
    # nothing for the council that is not the council's
    assert not BANNED.search(text), BANNED.search(text)


def test_the_real_plan_behaves_as_a_council_document_in_word_and_pdf(real_plan):
    content = export(real_plan, "ivp", "docx")[0]
    parts = zipfile.ZipFile(io.BytesIO(content))
    xml = {n: parts.read(n).decode() for n in parts.namelist() if n.endswith(".xml")}
    footers = " ".join(v for k, v in xml.items() if k.startswith("word/footer"))
    assert " PAGE " in footers
    assert "en-US" not in xml["word/styles.xml"] and 'w:val="nl-NL"' in xml["word/styles.xml"]
    assert "python-docx" not in xml["docProps/core.xml"]
    assert "Gemeente 's-Hertogenbosch" in xml["docProps/core.xml"]
    # the uitvoeringsplan annex on landscape pages, in Word as in the PDF
    assert 'w:orient="landscape"' in xml["word/document.xml"]

    pdf = PdfReader(io.BytesIO(export(real_plan, "ivp", "pdf")[0]))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for chapter in CHAPTERS[:7]:
        number, title = chapter.split(" ", 1)
        assert re.search(rf"{number}\s+{re.escape(title)}", text), chapter
    assert "Bijlage 2: Uitvoeringsplan" in text
    landscape = [p for p in pdf.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert landscape  # the measures have room
    assert not BANNED.search(text), BANNED.search(text)
    # tagged for screen readers (PDF/UA), in Dutch
    catalog = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and str(catalog.get("/Lang", "")).startswith("nl")
    if os.environ.get("IVP_DOCS_OUT"):  # to look at the pages: IVP_DOCS_OUT=/tmp/x pytest …
        out = Path(os.environ["IVP_DOCS_OUT"])
        out.mkdir(parents=True, exist_ok=True)
        for fmt in ("docx", "pdf"):
            for document in ("ivp", "uitvoeringsplan"):
                (out / f"{document}.{fmt}").write_bytes(export(real_plan, document, fmt)[0])
