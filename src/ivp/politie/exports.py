"""The police unit's overview as an Excel workbook (``ivp.xlsx`` safe cells: a plan's text is
never a formula) and as a PDF (the documents' model and writer)."""

from __future__ import annotations

import io
from datetime import date

from ivp.politie.overview import Overview

SOURCE = "Bron: de integrale veiligheidsplannen die de gemeenten delen met de politie"


def _nl(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def title(overview: Overview) -> str:
    where = (
        f"basisteam {overview.basisteam.naam}"
        if overview.basisteam
        else f"politie-eenheid {overview.eenheid.naam}"
    )
    return f"Prioriteiten van de gemeenten, {where}"


def xlsx(overview: Overview) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ivp.xlsx import append_row

    book = Workbook()
    sheet = book.active
    sheet.title = "Thema's"
    append_row(sheet, [title(overview)])
    sheet["A1"].font = Font(bold=True)
    append_row(
        sheet,
        [
            f"{len(overview.covered)} van {len(overview.gemeenten)} gemeenten delen hun plan; "
            + SOURCE.lower().replace("bron: ", "bron: ")
        ],
    )
    append_row(sheet, [])
    append_row(sheet, ["Thema", "Titel", "Aantal gemeenten", "Gemeenten", "Plannen"])
    for t in overview.themes:
        append_row(sheet, [t.code, t.titel, t.count, ", ".join(t.gemeenten), "; ".join(t.plans)])
    ind = book.create_sheet("Indicatoren")
    append_row(
        ind,
        [
            "Indicator",
            "Eenheid",
            "Plan",
            "Prioriteit",
            "Cijfers van",
            "Uitgangswaarde",
            "Jaar",
            "Streefwaarde",
            "Streefjaar",
        ],
    )
    for line in overview.indicators:
        for row in line.rows:
            append_row(
                ind,
                [
                    line.naam,
                    line.eenheid,
                    row["plan"],
                    row["prioriteit"],
                    row["gebied"],
                    row["uitgangswaarde"],
                    row["uitgangsjaar"],
                    row["streefwaarde"],
                    row["streefjaar"],
                ],
            )
    plans = book.create_sheet("Plannen")
    append_row(plans, ["Plan", "Periode", "Gemeenten", "Prioriteit", "Thema's", "Geldt voor"])
    for plan in overview.plans:
        for p in plan.priorities:
            append_row(
                plans,
                [
                    plan.titel,
                    plan.periode,
                    ", ".join(plan.gemeenten),
                    p["titel"],
                    ", ".join(code for code, _t in p["themes"]),
                    p["scope"],
                ],
            )
    for ws in book.worksheets:
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column[:200])
            ws.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def document(overview: Overview):
    from ivp.documents.model import Document, Paragraph, Section, Table

    sections = []
    intro = Section("Over dit overzicht")
    intro.blocks.append(
        Paragraph(
            f"Van de {len(overview.gemeenten)} gemeenten delen er {len(overview.covered)} hun "
            "integraal veiligheidsplan met de politie. Per thema staat hier in hoeveel van die "
            "gemeenten het een prioriteit is, met de indicatoren en hun uitgangs- en "
            "streefwaarden naast elkaar. Vertrouwelijke onderdelen van de plannen staan er "
            "niet in."
        )
    )
    if overview.covered:
        intro.blocks.append(
            Paragraph("Gemeenten met een gedeeld plan: " + ", ".join(overview.covered) + ".")
        )
    sections.append(intro)
    rows = tuple((t.code, t.titel, str(t.count), ", ".join(t.gemeenten)) for t in overview.themes)
    themes = Section("Prioriteiten per thema")
    if rows:
        themes.blocks.append(
            Table(
                ("Thema", "Titel", "Gemeenten", "Waar"),
                rows,
                caption="Thema's die een prioriteit zijn, naar het aantal gemeenten",
                source=SOURCE,
                numeric_columns=frozenset({2}),
                widths=(0.8, 3.0, 1.0, 4.0),
            )
        )
    else:
        themes.blocks.append(Paragraph("Nog geen gedeelde plannen met prioriteiten."))
    sections.append(themes)
    choices = Section("Gedeelde en afwijkende keuzes")
    shared = overview.shared_themes
    diverging = overview.diverging_themes
    choices.blocks.append(
        Paragraph(
            "Gedeeld (in ten minste de helft van de gemeenten): "
            + (", ".join(f"{t.code} {t.titel} ({t.count})" for t in shared) or "geen")
            + "."
        )
    )
    choices.blocks.append(
        Paragraph(
            "Afwijkend (in één gemeente): "
            + (", ".join(f"{t.code} {t.titel} ({t.gemeenten[0]})" for t in diverging) or "geen")
            + "."
        )
    )
    sections.append(choices)
    ind_rows = tuple(
        (
            line.naam,
            row["plan"].replace("Integraal Veiligheidsplan ", ""),
            row["gebied"],
            _nl(row["uitgangswaarde"])
            + (f" ({row['uitgangsjaar']})" if row["uitgangsjaar"] else ""),
            _nl(row["streefwaarde"]) + (f" ({row['streefjaar']})" if row["streefjaar"] else ""),
        )
        for line in overview.indicators
        for row in line.rows
    )
    indicators = Section("Indicatoren naast elkaar")
    if ind_rows:
        indicators.blocks.append(
            Table(
                ("Indicator", "Plan", "Cijfers van", "Uitgangswaarde", "Streefwaarde"),
                ind_rows,
                caption="Effectindicatoren van de prioriteiten",
                source=SOURCE,
                numeric_columns=frozenset({3, 4}),
                widths=(2.0, 2.3, 2.1, 1.6, 1.6),
            )
        )
    else:
        indicators.blocks.append(Paragraph("Nog geen indicatoren in de gedeelde plannen."))
    sections.append(indicators)
    return Document(
        title=title(overview),
        subtitle="Overzicht voor het regionaal beleidsplan en de driehoek",
        organisation=f"Politie-eenheid {overview.eenheid.naam}",
        kind="Overzicht",
        status="Stand van de gedeelde plannen",
        date=date.today(),
        sections=sections,
        toc_depth=1,
    )


def pdf(overview: Overview) -> bytes:
    from ivp.documents.pdf_writer import write_pdf

    return write_pdf(document(overview))
