"""The IVP (step 4), the council handout and the slides of the prioritering (step 3).

Most tests build the document from a content dict (format ``ivp-plan/1``, what a frozen
version stores) or from rows of the ``plan`` fixture; only the tests that need figures use
the module-scoped ``bundle`` (real data), at the end of the module."""

from __future__ import annotations

import copy
import io
import re

import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from ivp.beleidsplan.models import Effectindicator, Hoofdstuk, OverigThema, Prioriteit
from ivp.documents import ivp_document
from ivp.documents.docx_writer import write_docx
from ivp.documents.exports import DOCUMENTS, UnknownExport, export
from ivp.documents.html_writer import write_html
from ivp.documents.ivp_document import (
    INDICATOR_COLUMNS,
    build_ivp_from_content,
    dutch_number,
)
from ivp.documents.model import Document, Paragraph, Section, Table
from ivp.documents.prioritering import build_prioritering_from, toc_lines
from ivp.plans.factories import GemeenteFactory, PlanFactory

CHAPTERS = [
    "1 Uitgangssituatie",
    "2 Strategische doelstelling",
    "3 Strategische uitgangspunten",
    "4 Prioriteiten",
    "5 Overige strategische thema's",
    "6 Coördinatie en beleidscyclus",
    "7 Begroting",
]
WIJKEN = "Veilige en leefbare wijken en buurten"
ONDERMIJNING = "Ondermijning"


def _indicator(name, **extra):
    values = {
        "name": name,
        "source": "politie",
        "source_note": "",
        "unit": "per_1000_inwoners",
        "series": "",
        "municipality": "",
        "catalogue_id": "",
        "baseline": None,
        "baseline_year": None,
        "target": None,
        "target_year": None,
        "direction": "<=",
        "order": 0,
    }
    values.update(extra)
    return values


def _part(title, themes, **extra):
    values = {
        "title": title,
        "themes": themes,
        "order": 0,
        "why": "",
        "approach": "",
        "flanking": "",
        "goal": "",
        "confidential": False,
        "indicators": [],
    }
    values.update(extra)
    return values


def _content(**plan):
    info = {
        "id": 1,
        "title": "Integraal Veiligheidsplan 's-Hertogenbosch 2027–2030",
        "municipalities": [{"code": "GM0796", "name": "'s-Hertogenbosch"}],
        "period": [2027, 2030],
        "introduction": "",
        "status": "concept",
        "version": 2,
        "adopted_on": None,
    }
    info.update(plan)
    return {
        "format": "ivp-plan/1",
        "exported_at": "2027-03-01",
        "plan": info,
        "chapters": [
            {
                "number": 1,
                "title": "Uitgangssituatie",
                "text": "Voorbeeld: de uitgangssituatie.\n\n- eerste punt\n- tweede punt",
                "red_threads": [],
                "strategic_themes": [],
                "confidential": False,
            },
            {
                "number": 3,
                "title": "Strategische uitgangspunten",
                "text": "Voorbeeld: de rode draden.",
                # as the services store them: Dutch keys
                "red_threads": [{"titel": "Burgerparticipatie", "tekst": "Inwoners doen mee."}],
                "strategic_themes": [],
                "confidential": False,
            },
            {
                "number": 4,
                "title": "Prioriteiten",
                "text": "",
                "red_threads": [],
                "strategic_themes": ["zorg-en-veiligheid"],
                "confidential": False,
            },
        ],
        "indicators": [
            _indicator("Geregistreerde misdrijven", baseline=61.3, baseline_year=2025, target=58),
        ],
        "priorities": [
            _part(
                WIJKEN,
                ["1.2", "1.3"],
                order=1,
                accents=["Woninginbraak en autokraak"],
                why="Voorbeeld: waarom.",
                approach="Voorbeeld: de aanpak.",
                goal="Voorbeeld: minder autokraak.",
                indicators=[
                    _indicator(
                        "Diefstal uit/vanaf motorvoertuigen",
                        source_note="CBS / Politie, 47018NED, 47025NED (opgehaald 2024-01-22)",
                        baseline=8.2,
                        baseline_year=2017,
                        target=6.5,
                        target_year=2030,
                    ),
                    _indicator(
                        "Rapportcijfer veiligheid buurt",
                        source="veiligheidsmonitor",
                        unit="rapportcijfer",
                        baseline=6.8,
                        baseline_year=2023,
                        target=7,
                        target_year=2030,
                        direction=">=",
                        order=2,
                    ),
                ],
            ),
            _part(
                ONDERMIJNING,
                ["5.2"],
                order=2,
                confidential=True,
                why="Voorbeeld: vertrouwelijk.",
                indicators=[
                    _indicator(
                        "Bibob-onderzoeken",
                        source="gemeente",
                        unit="aantal",
                        baseline=12,
                        baseline_year=2025,
                        target=20,
                        target_year=2030,
                        direction=">=",
                    )
                ],
            ),
        ],
        "ongoing": [
            _part(
                "Jeugd en veiligheid", ["3.1", "3.2"], order=1, why="Voorbeeld: reguliere aanpak."
            ),
        ],
    }


def _docx(document):
    return read_docx(io.BytesIO(write_docx(document)))


def _headings(docx, level=1):
    return [p.text for p in docx.paragraphs if p.style.name == f"Heading {level}"]


def _all_text(docx):
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _indicator_tables(docx):
    return [t for t in docx.tables if tuple(c.text for c in t.rows[0].cells) == INDICATOR_COLUMNS]


def _pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# -- numbers and texts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (8.2, "8,2"),
        (1259, "1.259"),
        (6.75, "6,75"),
        (6.0, "6"),
        (0.333, "0,33"),
        (1234.5, "1.234,5"),
    ],
)
def test_dutch_number(value, expected):
    assert dutch_number(value) == expected


def test_indicator_cells():
    ind = _indicator("X", baseline=8.2, baseline_year=2017, target=6.5, target_year=2030)
    assert ivp_document.baseline_text(ind) == "8,2 (2017)"
    assert ivp_document.target_text(ind) == "≤ 6,5 in 2030"
    share = _indicator("Y", unit="procent", baseline=31.5, baseline_year=2023, target=28)
    assert ivp_document.baseline_text(share) == "31,5% (2023)"
    assert ivp_document.target_text({**share, "direction": ">="}) == "≥ 28,0%"
    assert ivp_document.baseline_text(_indicator("Z")) == "–"


def test_indicators_print_as_published_plans_do():
    # precision follows the baseline: 4,4 → ≤ 4,2 (not 4,15 from a calculation)
    ind = _indicator("Vernielingen", baseline=4.4, baseline_year=2025, target=4.2)
    assert ivp_document.target_text(ind) == "≤ 4,2"
    mark = _indicator("Rapportcijfer", unit="rapportcijfer", baseline=6.9, target=7.0)
    assert ivp_document.target_text({**mark, "direction": ">="}) == "≥ 7,0"
    # a target set more precisely than its baseline is printed as it was set
    assert ivp_document.target_text({**ind, "target": 4.15}) == "≤ 4,15"
    # (v) on a provisional baseline
    provisional = {**ind, "baseline_provisional": True}
    assert ivp_document.baseline_text(provisional) == "4,4 (2025, v)"
    # the unit once: not after a name that already says it, also when written short
    said = _indicator("Totaal misdrijven (p. 1.000 inwoners)")
    assert ivp_document.indicator_name(said) == "Totaal misdrijven (p. 1.000 inwoners)"
    assert ivp_document.indicator_name(_indicator("Vernielingen")) == (
        "Vernielingen (per 1.000 inwoners)"
    )
    # the source named after the series
    assert ivp_document.indicator_source({**ind, "series": "47018NED|2.2.1"}) == (
        "CBS/Politie misdrijven"
    )
    assert ivp_document.indicator_source({**ind, "series": "47024NED|E35"}) == (
        "Politie incidentregistratie"
    )
    assert ivp_document.indicator_source({**ind, "source": "veiligheidsmonitor"}) == (
        "Veiligheidsmonitor"
    )
    assert ivp_document.indicator_source({**ind, "source": "gemeente"}) == "Eigen registratie"


def test_text_blocks_make_paragraphs_nested_lists_emphasis_and_nothing_for_an_empty_text():
    blocks = ivp_document.text_blocks(
        "Eerste alinea.\n\nInleiding:\n- **Regie** we voeren de regie\n  - per wijk\n- b"
    )
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Paragraph", "BulletList"]
    bullets = blocks[2]
    assert bullets.levels == (0, 1, 0)
    assert bullets.items[0][0].text == "Regie" and bullets.items[0][0].bold
    assert bullets.items[1] == "per wijk"
    assert ivp_document.text_blocks("  ") == []


# -- the IVP from a content dict -------------------------------------------------------


def test_docx_has_the_seven_chapters_in_the_methods_order_and_a_filled_toc():
    docx = _docx(build_ivp_from_content(_content(), public=False))
    assert _headings(docx) == [*CHAPTERS, "Bronnen"]
    xml = docx.element.xml
    assert 'TOC \\o "1-2"' in xml
    # the contents show on opening: the entries are in the field's result
    toc = [p.text for p in docx.paragraphs if p.style.name.startswith("toc")]
    assert toc[:2] == ["1 Uitgangssituatie\t", "2 Strategische doelstelling\t"]
    assert "PAGEREF _Toc" in xml
    assert _headings(docx, 2)[:3] == ["3.1 Burgerparticipatie", f"4.1 {WIJKEN}", "4.2 Ondermijning"]
    assert "Waarom een prioriteit" in _headings(docx, 3)
    text = _all_text(docx)
    assert "Inwoners doen mee." in text  # a red thread stored with Dutch keys
    assert "zorg en veiligheid" in text  # the strategic theme of chapter 4, by title
    assert "Thema's:" not in text  # no theme-code lines under the headings
    assert "Woninginbraak en autokraak" in text


def test_the_indicator_table_has_the_published_columns_and_dutch_values():
    docx = _docx(build_ivp_from_content(_content(), public=False))
    tables = _indicator_tables(docx)
    assert len(tables) == 3  # chapter 2, and the two priorities
    rows = [[c.text for c in r.cells] for r in tables[1].rows[1:]]
    assert rows[0] == [
        "Diefstal uit/vanaf motorvoertuigen (per 1.000 inwoners)",
        "Politie",
        "8,2 (2017)",
        "≤ 6,5 in 2030",
    ]
    assert rows[1][2:] == ["6,8 (2023)", "≥ 7,0 in 2030"]


def test_empty_optional_parts_are_left_out_and_required_ones_marked_in_a_concept():
    document = build_ivp_from_content(_content(), public=True)
    text = _all_text(_docx(document))
    assert "Nog niet ingevuld" not in text and "Nog geen" not in text
    chapter_6 = next(s for s in document.sections if s.number == "6")
    assert chapter_6.blocks == [
        Paragraph(ivp_document.GAP.format(what="de tekst van dit hoofdstuk"), "concept")
    ]
    priority = document.sections[3].subsections[0]
    assert "Flankerend beleid" not in [s.title for s in priority.subsections]
    # adopted: no gap markers at all (a version for the council cannot have gaps)
    adopted = build_ivp_from_content(
        _content(status="vastgesteld", adopted_on="2027-05-15"), public=True
    )
    assert "Concept –" not in _all_text(_docx(adopted))


def test_a_confidential_priority_is_only_in_the_internal_version():
    content = _content()
    public = _all_text(_docx(build_ivp_from_content(content, public=True)))
    internal = _all_text(_docx(build_ivp_from_content(content, public=False)))
    assert ONDERMIJNING not in public and "Bibob" not in public
    assert ONDERMIJNING in internal and "Bibob-onderzoeken" in internal
    assert "Vertrouwelijk: dit onderdeel staat niet in de openbare versie" in internal
    assert "interne versie" in internal and "interne versie" not in public


def test_a_confidential_chapter_is_left_out_without_renumbering_the_others():
    content = _content()
    content["chapters"].append(
        {
            "number": 5,
            "text": "Geheim.",
            "red_threads": [],
            "strategic_themes": [],
            "confidential": True,
        }
    )
    headings = _headings(_docx(build_ivp_from_content(content, public=True)))
    assert headings == [*(c for c in CHAPTERS if not c.startswith("5 ")), "Bronnen"]
    html = write_html(build_ivp_from_content(content, public=True))
    assert "6 Coördinatie en beleidscyclus" in html and "Geheim." not in html


def test_the_title_page_shows_the_adoption_date_in_dutch_and_the_frozen_version():
    content = _content(status="vastgesteld", adopted_on="2027-05-15", version=3, frozen=True)
    document = build_ivp_from_content(content, public=True)
    docx = _docx(document)
    text = "\n".join(p.text for p in docx.paragraphs[:20])
    assert "Status: Vastgesteld door de raad op 15 mei 2027" in text
    assert "Versie: versie 3" in text
    assert "Datum: 15 mei 2027" in text
    assert "Gemeente: 's-\u2060Hertogenbosch" in text
    assert "Planperiode: 2027–2030" in text
    concept = build_ivp_from_content(_content(), public=True)
    assert concept.status == "Concept"
    # the live content is the work on the next version, as the versions table says
    assert concept.version == "werkversie na versie 1"


def test_the_sources_are_written_as_a_publication_writes_them():
    content = _content()
    text = _all_text(_docx(build_ivp_from_content(content, public=True)))
    assert "VNG, Kernbeleid Veiligheid" in text
    assert "opgehaald" not in text and "47025NED" not in text  # no retrieval notes
    quiet = copy.deepcopy(content)
    quiet["indicators"] = []
    for part in quiet["priorities"]:
        part["indicators"] = [i for i in part["indicators"] if i["source"] != "politie"]
    assert "Geregistreerde misdrijven" not in _all_text(
        _docx(build_ivp_from_content(quiet, public=True))
    )


def test_the_pdf_renders_with_the_chapters_and_a_priority():
    from ivp.documents.pdf_writer import write_pdf

    pages, text = _pdf_text(write_pdf(build_ivp_from_content(_content(), public=True)))
    assert pages > 0
    assert WIJKEN in text and ONDERMIJNING not in text
    for chapter in CHAPTERS:
        number, title = chapter.split(" ", 1)
        assert re.search(rf"{number}\s+{re.escape(title)}", text), chapter


def test_explicit_numbers_and_unnumbered_sections_in_the_shared_writers():
    document = Document(
        title="T",
        subtitle="",
        organisation="O",
        kind="K",
        sections=[
            Section("Een", [Paragraph("a")], number="4"),
            Section("Zonder", [Paragraph("b")], [Section("Sub", [Paragraph("c")])], number=""),
            Section("Positie", [Paragraph("d")]),
        ],
    )
    html = write_html(document)
    assert ">4 Een</h2>" in html and ">Zonder</h2>" in html and ">Sub</h3>" in html
    assert ">3 Positie</h2>" in html
    # the same numbers in Word as in the PDF
    assert _headings(_docx(document)) == ["4 Een", "Zonder", "3 Positie"]
    assert _headings(_docx(document), 2) == ["Sub"]
    assert document.public().sections[0].number == "4"


# -- the IVP of a plan through the ORM and the export door -----------------------------


@pytest.fixture
def plan_with_parts(plan, coordinator):
    wijken = Prioriteit.objects.create(
        plan=plan, titel=WIJKEN, themas=["1.2", "1.3"], volgorde=1, waarom="Voorbeeld: waarom."
    )
    ondermijning = Prioriteit.objects.create(
        plan=plan, titel=ONDERMIJNING, themas=["5.2"], volgorde=2, vertrouwelijk=True
    )
    jeugd = OverigThema.objects.create(plan=plan, titel="Jeugd en veiligheid", themas=["3.1"])
    Hoofdstuk.objects.create(plan=plan, nummer=2, tekst="Voorbeeld: de doelstelling.")
    Effectindicator.objects.create(
        plan=plan,
        prioriteit=wijken,
        naam="Diefstal uit/vanaf motorvoertuigen",
        bron=Effectindicator.Bron.POLITIE,
        eenheid=Effectindicator.Eenheid.PER_1000_INWONERS,
        uitgangswaarde=8.2,
        uitgangsjaar=2017,
        streefwaarde=6.5,
        streefjaar=2030,
        richting="<=",
    )
    Effectindicator.objects.create(
        plan=plan,
        prioriteit=ondermijning,
        naam="Bibob-onderzoeken",
        bron=Effectindicator.Bron.GEMEENTE,
        eenheid=Effectindicator.Eenheid.AANTAL,
        uitgangswaarde=12,
        uitgangsjaar=2025,
    )
    Effectindicator.objects.create(
        plan=plan,
        overig_thema=jeugd,
        naam="Meldingen jeugdoverlast",
        bron=Effectindicator.Bron.POLITIE,
        eenheid=Effectindicator.Eenheid.AANTAL,
    )
    return plan


@pytest.mark.django_db
def test_export_of_a_plan_public_and_internal(plan_with_parts):
    content, content_type, filename = export(plan_with_parts, "ivp", "docx")
    assert "wordprocessingml" in content_type and filename.startswith("ivp-")
    public = read_docx(io.BytesIO(content))
    assert _headings(public) == [*CHAPTERS, "Bronnen"]
    assert _headings(public, 2) == [f"4.1 {WIJKEN}", "5.1 Jeugd en veiligheid"]
    rows = [[c.text for c in r.cells] for t in _indicator_tables(public) for r in t.rows]
    assert [
        "Diefstal uit/vanaf motorvoertuigen (per 1.000 inwoners)",
        "Politie",
        "8,2 (2017)",
        "≤ 6,5 in 2030",
    ] in rows
    assert "Voorbeeld: de doelstelling." in _all_text(public)
    assert ONDERMIJNING not in _all_text(public)
    internal = read_docx(io.BytesIO(export(plan_with_parts, "ivp", "docx", public=False)[0]))
    assert f"4.2 {ONDERMIJNING}" in _headings(internal, 2)
    assert "Bibob-onderzoeken" in _all_text(internal)


@pytest.mark.django_db
def test_a_frozen_version_is_exported_from_its_own_content(plan_with_parts):
    frozen = _content(status="vastgesteld", adopted_on="2027-05-15")
    html = export(plan_with_parts, "ivp", "html", content=frozen)[0].decode()
    assert "Vastgesteld door de raad op 15 mei 2027" in html
    assert "Rapportcijfer veiligheid buurt" in html  # from the frozen content, not the rows


@pytest.mark.django_db
def test_formats_and_options_are_checked_per_document(plan_with_parts):
    for document in ("ivp", "prioritering", "startnotitie"):
        with pytest.raises(UnknownExport):
            export(plan_with_parts, document, "pptx")
    with pytest.raises(UnknownExport):
        export(plan_with_parts, "prioritering-slides", "docx")
    with pytest.raises(TypeError):
        export(plan_with_parts, "startnotitie", "docx", content=_content())
    assert DOCUMENTS["ivp"].title == "Integraal Veiligheidsplan"
    assert DOCUMENTS["prioritering"].title == "Prioritering — voorstel voor de raad"
    assert "veiligheidsanalyse" in DOCUMENTS and "startnotitie" in DOCUMENTS


# -- the handout and the slides without figures ----------------------------------------


@pytest.mark.django_db
def test_without_figures_the_handout_and_slides_say_so():
    plan = PlanFactory(gemeente=GemeenteFactory(code="GM9999", naam="Nergenshuizen"))
    Prioriteit.objects.create(plan=plan, titel=WIJKEN, themas=["1.3"], volgorde=1)
    html = export(plan, "prioritering", "html")[0].decode()
    assert WIJKEN in html
    assert "Er zijn geen cijfers van Nergenshuizen beschikbaar" in html
    pages, text = _pdf_text(export(plan, "prioritering-slides", "pdf")[0])
    assert pages == 4 and WIJKEN in text


def test_the_toc_of_the_resulting_ivp_has_priorities_under_4_and_clusters_under_5():
    lines = toc_lines(_content(), public=True)
    assert lines[:6] == [
        (0, "1 Uitgangssituatie"),
        (0, "2 Strategische doelstelling"),
        (0, "3 Strategische uitgangspunten"),
        (1, "3.1 Burgerparticipatie"),
        (0, "4 Prioriteiten"),
        (1, f"4.1 {WIJKEN}"),
    ]
    assert (1, "5.1 Jeugd en veiligheid") in lines
    assert (1, f"4.2 {ONDERMIJNING}") in toc_lines(_content(), public=False)
    document = build_prioritering_from(_content(), [], public=True)
    toc = next(
        b
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Table) and b.columns == ("Hoofdstuk", "Inhoud")
    )
    assert toc.rows[2] == ("3 Strategische uitgangspunten", "3.1 Burgerparticipatie")
    assert toc.rows[3] == ("4 Prioriteiten", f"4.1 {WIJKEN}")
    assert toc.rows[4] == ("5 Overige strategische thema's", "5.1 Jeugd en veiligheid")
    assert [r[0] for r in toc.rows][-2:] == ["6 Coördinatie en beleidscyclus", "7 Begroting"]


# -- with the real figures (bundle) ----------------------------------------------------


@pytest.fixture
def plan_2017(bundle):
    from ivp.areas.models import Gemeente
    from ivp.plans.models import Rol
    from ivp.veiligheidsanalyse import services

    plan = PlanFactory(in_analysis=True, gemeente=Gemeente.objects.get(code="GM0796"))
    coordinator = plan.rollen.get(rol=Rol.COORDINATOR).user
    services.set_peiljaar(plan, by=coordinator, peiljaar=2017)
    Prioriteit.objects.create(
        plan=plan, titel=WIJKEN, themas=["1.1", "1.2", "1.3"], volgorde=1, waarom="Voorbeeld."
    )
    Prioriteit.objects.create(
        plan=plan, titel=ONDERMIJNING, themas=["5.2"], volgorde=2, vertrouwelijk=True
    )
    OverigThema.objects.create(plan=plan, titel="Jeugd en veiligheid", themas=["3.1", "3.2"])
    return plan


@pytest.mark.django_db
def test_the_handout_lists_each_priority_with_its_key_figures_and_the_toc(plan_2017):
    content, content_type, _ = export(plan_2017, "prioritering", "docx", public=False)
    docx = read_docx(io.BytesIO(content))
    headings = [h.split(" ", 1)[1] for h in _headings(docx)]
    assert headings[:2] == ["Voorstel", WIJKEN]
    assert ONDERMIJNING in headings
    assert headings[-3:] == [
        "Overige strategische thema's",
        "Inhoud van het integraal veiligheidsplan",
        "Bronnen",
    ]
    figures = next(t for t in docx.tables if t.rows[0].cells[0].text == "Thema")
    header = [c.text for c in figures.rows[0].cells]
    assert header[1:4] == ["Aantal 2017", "Per 1.000 inwoners", "t.o.v. 2016"]
    # one comparison basis, named in the statement itself
    assert header[5] == "t.o.v. mediaan gemeenten van dezelfde omvang"
    row_13 = next(r for r in figures.rows if r.cells[0].text.startswith("1.3 "))
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", row_13.cells[1].text)  # a count, Dutch style
    assert "×" in row_13.cells[5].text  # ratio to the median of comparable gemeenten
    text = _all_text(docx)
    assert "Bron: CBS/Politie, Geregistreerde misdrijven (47018NED" in text
    # the comparison group named under the table (by default the gemeenten most alike in
    # population and density; "gemeenten met …" for a size class)
    assert re.search(r"gemeenten (die|met) ", text)
    # the working group's motivation of step 3 and a chart per priority
    assert "Voorbeeld." in text
    assert len(docx.inline_shapes) >= 1
    assert "Jeugd en veiligheid" in text and "3.1 Jeugdoverlast" in text
    toc = next(t for t in docx.tables if t.rows[0].cells[0].text == "Hoofdstuk")
    assert [c.text for c in toc.rows[4].cells] == [
        "4 Prioriteiten",
        f"4.1 {WIJKEN}; 4.2 {ONDERMIJNING}",
    ]
    pages, pdf_text = _pdf_text(export(plan_2017, "prioritering", "pdf")[0])
    assert pages > 1 and WIJKEN in pdf_text and ONDERMIJNING not in pdf_text


@pytest.mark.django_db
def test_the_slides_render_as_pdf_and_pptx_with_sources(plan_2017):
    from pptx import Presentation

    pages, text = _pdf_text(export(plan_2017, "prioritering-slides", "pdf")[0])
    assert pages == 4  # title, one priority (the other is confidential), ongoing, contents
    assert WIJKEN in text and "Bron: CBS/Politie, Geregistreerde misdrijven" in text
    page = PdfReader(io.BytesIO(export(plan_2017, "prioritering-slides", "pdf")[0])).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert abs(width / height - 16 / 9) < 0.01

    content, content_type, filename = export(plan_2017, "prioritering-slides", "pptx", public=False)
    assert "presentationml" in content_type and filename.endswith(".pptx")
    deck = Presentation(io.BytesIO(content))
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    slides = [
        "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        for slide in deck.slides
    ]
    assert len(slides) == 5
    assert WIJKEN in slides[1] and "Bron: CBS/Politie, Geregistreerde misdrijven" in slides[1]
    # a chart with its text alternative, and speaker notes
    pictures = [s for s in deck.slides[1].shapes if s.shape_type == 13]
    assert len(pictures) == 1 and pictures[0]._element.nvPicPr.cNvPr.get("descr")
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "Waarom een prioriteit: Voorbeeld." in notes and "mediaan" in notes
    # real file properties, Dutch
    assert deck.core_properties.author == "Gemeente 's-Hertogenbosch"
    assert deck.core_properties.last_modified_by != "Steve Canny"
    assert deck.core_properties.created.year >= 2026
    assert ONDERMIJNING in slides[2] and "VERTROUWELIJK" in slides[2]
    assert "Jeugd en veiligheid" in slides[3] and "3.1 Jeugdoverlast" in slides[3]
    assert "4 Prioriteiten" in slides[4] and f"4.1 {WIJKEN}" in slides[4]
    figures = [s for s in deck.slides[1].shapes if s.has_text_frame and "×" in s.text_frame.text]
    assert 3 <= len([s for s in deck.slides[1].shapes if s.shape_type == 1]) - 1 <= 5
    assert figures  # the comparison with comparable gemeenten is on the slide


@pytest.mark.django_db
def test_the_starting_situation_has_key_figures_a_chart_and_the_look_back(plan_2017):
    from ivp.beleidsplan.situation import starting_situation

    earlier = PlanFactory(
        titel="IVP 2012–2016",
        periode_start=2012,
        periode_eind=2016,
        gemeente=plan_2017.gemeenten.get(),
    )
    Effectindicator.objects.create(
        plan=earlier,
        naam="Diefstal uit/vanaf motorvoertuigen",
        bron="politie",
        eenheid="per_1000_inwoners",
        reeks="47018NED|1.2.1",
        uitgangswaarde=11.0,
        uitgangsjaar=2012,
        streefwaarde=9.0,
        streefjaar=2016,
    )
    situation = starting_situation(plan_2017)
    assert situation["year"] == 2017 and situation["group"]
    field = situation["fields"][0]
    assert field["total"]["count"] > 0 and field["chart"]["own"]
    assert situation["look_back"]["title"] == "IVP 2012–2016"
    document = build_ivp_from_content({**_content(), "situation": situation}, public=True)
    chapter_1 = document.sections[0]
    first = chapter_1.subsections[0]
    assert first.title == "Veilige woon- en leefomgeving" and first.number == ""
    kinds = [type(b).__name__ for b in first.blocks]
    assert "Table" in kinds and "Figure" in kinds
    table = next(b for b in first.blocks if isinstance(b, Table))
    assert table.columns[-1] == "t.o.v. de mediaan van gemeenten van dezelfde omvang"
    figure = next(b for b in first.blocks if type(b).__name__ == "Figure")
    assert figure.alt.startswith("Lijngrafiek") and "Bron: CBS/Politie" in figure.source
    look_back = chapter_1.subsections[-1]
    assert look_back.title == "Terugblik op het IVP 2012–2016"
    rows = next(b for b in look_back.blocks if isinstance(b, Table)).rows
    assert rows[0][0].startswith("Diefstal uit/vanaf motorvoertuigen")
    assert rows[0][4] in ("bereikt", "niet bereikt")
