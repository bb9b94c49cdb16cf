"""Excel templates for a gemeente's own figures, one per common source (Veiligheidsmonitor,
police incident registrations, meldingen openbare ruimte, GIR, verkeersongevallen, Zorg- en
Veiligheidshuis). Each workbook is the long format the import reads
(``sources.long_format``):

- tab **Cijfers** (first, the one the import reads): only the header row, to fill in;
- tab **Voorbeeld**: one filled row, marked as example — a real published figure with its
  source where ivp has one (the Veiligheidsmonitor: Nederland 2013, CBS 81877NED), else an
  example that says it is made up; it is never on the tab that is imported;
- tab **Toelichting**: the columns, the indicators the handbook names for this source and
  the theme they land at.

Cells are written through ``ivp.xlsx`` (text stays text). May import the rest of
``datasets`` and ``catalogue``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ivp.xlsx import append_row

COLUMNS = ("regio", "periode", "indicator", "waarde", "eenheid", "bron", "status")
MARGIN_COLUMNS = ("regio", "periode", "indicator", "waarde", "marge", "eenheid", "bron", "status")


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    source: str  # the value for the 'bron' column
    words: tuple[str, ...]  # words in the handbook's source names this template serves
    indicators: tuple[str, ...]  # typical indicators, as a user would name them
    example: tuple  # one row in the order of the template's columns
    example_note: str  # where the example comes from, or that it is made up
    margins: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return MARGIN_COLUMNS if self.margins else COLUMNS

    @property
    def filename(self) -> str:
        return f"ivp-sjabloon-{self.key}.xlsx"


MADE_UP = "VOORBEELD — verzonnen getal om de vorm te tonen; vul uw eigen cijfers in op ‘Cijfers’."

TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            "veiligheidsmonitor",
            "Veiligheidsmonitor (resultaten met 95%-marge)",
            "Veiligheidsmonitor",
            ("veiligheidsmonitor", "bewonersenquête", "enquête"),
            (
                "Rapportcijfer veiligheid in de buurt",
                "Voelt zich wel eens onveilig in de buurt",
                "Sociale overlast (totaal)",
                "Fysieke verloedering (totaal)",
                "Slachtofferschap vermogensdelicten",
            ),
            (
                "NL01",
                "2013",
                "Rapportcijfer veiligheid in buurt",
                7.1,
                "",
                "rapportcijfer",
                "Veiligheidsmonitor 2013",
                "definitief",
            ),
            "Echt cijfer: Nederland 2013, rapportcijfer veiligheid in de buurt 7,1 "
            "(CBS StatLine 81877NED, Veiligheidsmonitor). Deze tabel geeft bij dit cijfer "
            "geen marge; de Veiligheidsmonitor per gemeente geeft die wel (kolom marge: "
            "de ± van het 95%-betrouwbaarheidsinterval).",
            margins=True,
        ),
        Template(
            "politie-incidenten",
            "Politie: incidentregistraties (E33, E35, …)",
            "Politie basisteam",
            ("politieregistratie", "politie"),
            (
                "E33 Overlast door een verward persoon",
                "E35 Melding overlast jeugd",
                "E38 Overlast i.v.m. alcohol/drugs",
                "F21 Melding overlast horeca",
            ),
            (
                "GM0000",
                "2024",
                "E35 Melding overlast jeugd",
                123,
                "aantal",
                "Politie basisteam",
                "definitief",
            ),
            MADE_UP + " Begin de indicator met de incidentcode (E35): ivp plaatst hem dan "
            "bij het thema van die code.",
        ),
        Template(
            "meldingen-openbare-ruimte",
            "Meldingen openbare ruimte",
            "Meldingen openbare ruimte",
            ("meldingen openbare ruimte", "meldpunt"),
            ("Meldingen openbare ruimte (totaal)", "Meldingen zwerfvuil", "Meldingen vernieling"),
            (
                "GM0000",
                "2024",
                "Meldingen openbare ruimte (totaal)",
                1234,
                "aantal",
                "Meldingen openbare ruimte",
                "definitief",
            ),
            MADE_UP,
        ),
        Template(
            "gir",
            "GIR: agressie- en geweldsincidenten tegen medewerkers",
            "GIR",
            ("gir",),
            ("GIR agressie-incidenten tegen medewerkers",),
            (
                "GM0000",
                "2024",
                "GIR agressie-incidenten tegen medewerkers",
                12,
                "aantal",
                "GIR",
                "definitief",
            ),
            MADE_UP,
        ),
        Template(
            "verkeersongevallen",
            "Verkeersongevallen",
            "Verkeersongevallen",
            ("verkeersongevallen", "swov"),
            ("Verkeersongevallen met letsel", "Verkeersongevallen met dodelijke afloop"),
            (
                "GM0000",
                "2024",
                "Verkeersongevallen met letsel",
                45,
                "aantal",
                "Verkeersongevallen",
                "definitief",
            ),
            MADE_UP,
        ),
        Template(
            "zorg-en-veiligheidshuis",
            "Zorg- en Veiligheidshuis: casuïstiek",
            "Zorg- en Veiligheidshuis",
            ("zorg- en veiligheidshuis", "md-interventieteams", "casuïstiek"),
            ("Casussen Zorg- en Veiligheidshuis (complexe casuïstiek)", "Casussen PGA/Top X"),
            (
                "GM0000",
                "2024",
                "Casussen Zorg- en Veiligheidshuis (complexe casuïstiek)",
                30,
                "aantal",
                "Zorg- en Veiligheidshuis",
                "definitief",
            ),
            MADE_UP,
        ),
    )
}


def for_sources(names) -> tuple[str, ...]:
    """The templates that fit the handbook's source names of a theme (in TEMPLATES order)."""
    lowered = " | ".join(names).lower()
    return tuple(t.key for t in TEMPLATES.values() if any(w in lowered for w in t.words))


def workbook(key: str) -> bytes:
    """The XLSX of template ``key`` (KeyError for an unknown one)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ivp.datasets.own_series import suggest_theme

    template = TEMPLATES[key]
    book = Workbook()
    data = book.active
    data.title = "Cijfers"
    append_row(data, template.columns)
    for cell in data[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (12, 10, 48, 10, 10, 14, 28, 12), strict=False):
        data.column_dimensions[column].width = width
    data.freeze_panes = "A2"

    example = book.create_sheet("Voorbeeld")
    append_row(example, ["VOORBEELD — niet inlezen; dit tabblad leest ivp niet."])
    example["A1"].font = Font(bold=True)
    append_row(example, template.columns)
    append_row(example, list(template.example))
    append_row(example, [])
    append_row(example, [template.example_note])

    notes = book.create_sheet("Toelichting")
    lines = [
        f"Sjabloon: {template.title}",
        "",
        "Vul het tabblad ‘Cijfers’: één cijfer per regel. Lees het bestand in via Data → "
        "Bestand inlezen, als eigen cijfers van de gemeente.",
        "regio: CBS-code (GM0796, WK079601) of de naam van de gemeente.",
        "periode: jaar (2024), maand (2024-03) of kwartaal (2024-Q1).",
        "indicator: wat er gemeten is; dezelfde naam in elk jaar geeft één reeks.",
        "waarde: het getal; komma of punt als decimaalteken (7,5); een punt (.) = niet "
        "gepubliceerd.",
    ]
    if template.margins:
        lines.append(
            "marge: de ± van het 95%-betrouwbaarheidsinterval zoals de Veiligheidsmonitor die "
            "publiceert (leeg als onbekend). Twee jaren verschillen aantoonbaar als het "
            "verschil groter is dan de wortel uit de som van de gekwadrateerde marges."
        )
    lines += [
        "eenheid: aantal, %, rapportcijfer, schaalscore, …",
        f"bron: de bron, bijvoorbeeld ‘{template.source}’; een jaartal erachter (‘"
        f"{template.source} 2023’) mag: alle jaren vormen één reeks.",
        "status: definitief of voorlopig (mag leeg).",
        "",
        "Gebruikelijke indicatoren en het thema waar ivp ze plaatst (in een plan te wijzigen):",
    ]
    for indicator in template.indicators:
        choice = suggest_theme(indicator)
        where = f"thema {choice.theme}" if choice.theme else "nog geen thema: kies er een"
        lines.append(f"• {indicator} → {where}")
    for line in lines:
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
