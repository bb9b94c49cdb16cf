"""The XLSX round trip of an implementation plan, for coordinators who collect input by
e-mail: ``export_xlsx`` writes one row per measure; ``read_xlsx`` compares an edited sheet
with the stored plan and lists the differences (new measures, changed cells) or every
wrong cell ("F12: onbekende status 'klaar'"); ``apply_xlsx`` applies the differences only
when asked, all or nothing, and refuses rows whose measure changed in ivp since the sheet
was made (its ``versie`` column).

A measure missing from the sheet is *not* deleted: it is listed as "niet in het bestand"
and stays, so nothing is lost by a row someone removed by accident; to drop a measure, set
its status to "vervallen".

The sheet is read by its column headers, not their places (a sheet from before the one
partners column, with "Interne partners" and "Externe partners", still reads). The priority or
cluster of a row is found by its number in the IVP first ("5.2 …"), then by its exact title;
a title that differs only slightly is read as the nearest one and listed in ``notices``, so
the user confirms it with the rest of the preview. A planning ivp does not recognise is kept
as the plan's own words, never refused.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan
from ivp.userinput import whole_number
from ivp.xlsx import append_row, set_cell

SHEET = "Maatregelen"
LISTS = "Keuzelijsten"
# (header, field) in sheet order; "thema" and "onderdeel" place the row
COLUMNS = (
    ("id", "id"),
    ("versie", "version"),
    ("Thema (prioriteit of overig thema)", "thema"),
    ("Onderdeel", "onderdeel"),
    ("Subgroep", "subgroep"),
    ("Inzet/activiteit", "titel"),
    ("Beschrijving", "beschrijving"),
    ("Bestuurlijk trekker", "bestuurlijk_trekker"),
    ("Ambtelijk trekker", "ambtelijk_trekker"),
    ("Partners", "partners"),
    ("Planning", "planning"),
    ("Prestatie-indicator", "prestatie_indicator"),
    ("Doel", "prestatie_doel"),
    ("Budget (€)", "budget"),
    ("Dekking", "budget_bron"),
    ("Status", "status"),
    ("Themabibliotheek-id", "catalogus_id"),
)
HEADERS = tuple(h for h, _f in COLUMNS)
LETTER = {f: get_column_letter(i + 1) for i, (_h, f) in enumerate(COLUMNS)}
# Headers of older sheets, read as the column they became.
LEGACY = {"Interne partners": "partners_intern", "Externe partners": "partners_extern"}
OPTIONAL = {"subgroep", "partners"}
NEAR_MATCH = 0.85
COMPARED = (
    "titel",
    "subgroep",
    "beschrijving",
    "bestuurlijk_trekker",
    "ambtelijk_trekker",
    "partners",
    "planning",
    "planning_jaar",
    "planning_vervolg",
    "planning_kwartaal",
    "start",
    "eind",
    "planning_vrij",
    "prestatie_indicator",
    "prestatie_doel",
    "budget",
    "budget_bron",
    "status",
    "catalogus_id",
)
STATUS_BY_LABEL = {s.label.lower(): s.value for s in Maatregel.Status} | {
    s.value: s.value for s in Maatregel.Status
}


def _owners(up: Uitvoeringsplan) -> dict[str, tuple[str, Any]]:
    """Title of each priority and cluster → ("prioriteit"|"overig", object)."""
    owners = {}
    for p in up.plan.prioriteiten.all():
        owners[p.titel] = ("prioriteit", p)
    for o in up.plan.overige_themas.all():
        owners.setdefault(o.titel, ("overig", o))
    return owners


def _numbers(up: Uitvoeringsplan) -> dict[str, tuple[str, Any]]:
    """The number of each priority and cluster in the IVP ("5.2") → ("prioriteit"|"overig",
    object)."""
    from ivp.beleidsplan.content import shape_content
    from ivp.beleidsplan.outline import outline

    entries = outline(shape_content(up.plan))
    numbers = {}
    for kind, query in (
        ("prioriteit", up.plan.prioriteiten.all()),
        ("overig", up.plan.overige_themas.all()),
    ):
        for owner in query:
            entry = entries.get(owner.sleutel)
            if entry is not None:
                numbers[entry.number] = (kind, owner)
    return numbers


def owner_label(number: str, title: str) -> str:
    return f"{number} {title}" if number else title


_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$")


def match_owner(
    text: str, owners: dict[str, tuple[str, Any]], numbers: dict[str, tuple[str, Any]]
) -> tuple[tuple[str, Any] | None, str]:
    """The priority or cluster a cell names: by its number in the IVP first, then by its
    exact title, then by a title that differs slightly. Returns (owner, notice); the notice
    says how a cell was read when that was not exact."""
    text = " ".join(text.split())
    number, title = "", text
    if m := _NUMBERED.match(text):
        number, title = m.group(1), m.group(2)
    if number and number in numbers:
        owner = numbers[number]
        if owner[1].titel != title:
            return owner, f"‘{text}’ gelezen als {number} ‘{owner[1].titel}’ (op nummer)"
        return owner, ""
    if title in owners:
        return owners[title], ""
    if text in owners:
        return owners[text], ""
    scored = sorted(
        ((difflib.SequenceMatcher(None, title.lower(), t.lower()).ratio(), t) for t in owners),
        reverse=True,
    )
    if scored and scored[0][0] >= NEAR_MATCH and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        best = scored[0][1]
        return owners[best], f"‘{text}’ gelezen als ‘{best}’ (bijna gelijk)"
    return None, ""


def planning_text(m: Maatregel) -> str:
    """The planning as the sheet writes it (readable and read back exactly)."""
    if m.planning == Maatregel.Planning.PERIODE:
        return " – ".join(d.isoformat() for d in (m.start, m.eind) if d)
    return m.planning_tekst


_QUARTER = re.compile(r"^(?:q|kw)\s*([1-4])\s+(\d{4})$|^([1-4])e\s+kwartaal\s+(\d{4})$", re.I)
_YEAR = re.compile(r"^(\d{4})(\s*e\.?\s*v\.?)?$", re.I)
_DATE = r"(\d{4}-\d{2}-\d{2}|\d{1,2}-\d{1,2}-\d{4})"
_PERIOD = re.compile(rf"^{_DATE}\s*(?:–|-|t/m|tot)\s*{_DATE}$", re.I)


def _date(text: str) -> date:
    if "-" in text and len(text.split("-")[0]) == 4:
        return date.fromisoformat(text)
    day, month, year = (int(p) for p in text.split("-"))
    return date(year, month, day)


def read_planning(text: str) -> dict[str, Any]:
    """The planning of a cell: structured where ivp recognises it (``parse_planning``),
    otherwise the text as written (``vrij``): never refused."""
    try:
        return parse_planning(text)
    except ValueError:
        raw = " ".join(str(text or "").split())
        return {
            "planning": Maatregel.Planning.VRIJ,
            "planning_jaar": None,
            "planning_vervolg": False,
            "planning_kwartaal": None,
            "start": None,
            "eind": None,
            "planning_vrij": raw[:200],
        }


def parse_planning(text: str) -> dict[str, Any]:
    """ "doorlopend", "2027", "2027 e.v.", "Q2 2027" / "2e kwartaal 2027", or a period
    "2027-03-01 – 2028-06-30" / "1-3-2027 t/m 30-6-2028". Raises ValueError."""
    raw = " ".join(str(text or "").split())
    blank = {
        "planning_jaar": None,
        "planning_vervolg": False,
        "planning_kwartaal": None,
        "start": None,
        "eind": None,
        "planning_vrij": "",
    }
    if not raw or raw.lower() == "doorlopend":
        return {**blank, "planning": Maatregel.Planning.DOORLOPEND}
    if m := _YEAR.match(raw):
        return {
            **blank,
            "planning": Maatregel.Planning.JAAR,
            "planning_jaar": int(m.group(1)),
            "planning_vervolg": bool(m.group(2)),
        }
    if m := _QUARTER.match(raw):
        quarter, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return {
            **blank,
            "planning": Maatregel.Planning.KWARTAAL,
            "planning_kwartaal": int(quarter),
            "planning_jaar": int(year),
        }
    if m := _PERIOD.match(raw):
        start, end = _date(m.group(1)), _date(m.group(2))
        if end < start:
            raise ValueError("de einddatum ligt vóór de startdatum")
        return {**blank, "planning": Maatregel.Planning.PERIODE, "start": start, "eind": end}
    raise ValueError(
        "planning niet herkend; schrijf ‘doorlopend’, ‘2027’, ‘2027 e.v.’, ‘Q2 2027’ of "
        "‘2027-03-01 – 2028-06-30’"
    )


def parse_budget(value: Any) -> Decimal | None:
    """A number cell, or text in Dutch notation: "€ 12.500", "12.500,50"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = str(value).replace("€", "").replace(" ", "").strip()
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"geen bedrag: {value!r}") from None
    if not amount.is_finite():  # "NaN", "Infinity": Decimal reads them, no budget is one
        raise ValueError(f"geen bedrag: {value!r}")
    if amount < 0:
        raise ValueError("een budget kan niet negatief zijn")
    if amount >= Decimal("1e10"):
        raise ValueError("het bedrag is te groot (hoogstens € 9.999.999.999,99)")
    return amount.quantize(Decimal("0.01"))


def export_xlsx(up: Uitvoeringsplan, *, public: bool = True) -> bytes:
    """One row per measure, grouped by priority/cluster and item, with choice lists.
    ``public`` (the default) leaves confidential priorities and clusters and their items
    and measures out; the internal sheet (``public=False``) is for coordinators and
    redacteuren."""
    from ivp.beleidsplan.confidential import NOTHING, confidential_parts

    hidden = confidential_parts(up.plan) if public else NOTHING
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    append_row(sheet, HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="01689B")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    items = up.onderdelen.select_related("prioriteit", "overig_thema").prefetch_related(
        "maatregelen"
    )
    items = [i for i in items if not hidden.hides_owner(i.prioriteit_id, i.overig_thema_id)]
    labels = {
        owner[1].pk if owner[0] == "prioriteit" else -owner[1].pk: number
        for number, owner in _numbers(up).items()
    }
    for item in sorted(
        items,
        key=lambda i: (
            0 if i.prioriteit_id else 1,
            (i.prioriteit or i.overig_thema).volgorde,
            i.volgorde,
            i.pk,
        ),
    ):
        thema = item.prioriteit or item.overig_thema
        number = labels.get(item.prioriteit_id if item.prioriteit_id else -item.overig_thema_id, "")
        owner = owner_label(number, thema.titel)
        for m in item.maatregelen.all():
            append_row(
                sheet,
                (
                    m.pk,
                    m.version,
                    owner,
                    item.titel,
                    m.subgroep,
                    m.titel,
                    m.beschrijving,
                    m.bestuurlijk_trekker,
                    m.ambtelijk_trekker,
                    ", ".join(m.partners),
                    planning_text(m),
                    m.prestatie_indicator,
                    m.prestatie_doel,
                    float(m.budget) if m.budget is not None else None,
                    m.budget_bron,
                    str(m.get_status_display()).lower(),
                    m.catalogus_id,
                ),
            )
    widths = (7, 7, 30, 22, 18, 40, 40, 20, 20, 36, 18, 28, 18, 12, 18, 12, 14)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "F2"
    lists = book.create_sheet(LISTS)
    numbered = {owner[1].titel: number for number, owner in _numbers(up).items()}
    owners = [
        owner_label(numbered.get(title, ""), title)
        for title, (_kind, obj) in _owners(up).items()
        if not hidden.hides(obj)
    ]
    statuses = [str(s.label).lower() for s in Maatregel.Status]
    for row, value in enumerate(owners, start=1):
        set_cell(lists, row=row, column=1, value=value)
    for row, value in enumerate(statuses, start=1):
        set_cell(lists, row=row, column=2, value=value)
    lists.sheet_state = "hidden"
    last = max(sheet.max_row, 2) + 200
    if owners:
        owner_rule = DataValidation(
            type="list", formula1=f"={LISTS}!$A$1:$A${len(owners)}", allow_blank=False
        )
        sheet.add_data_validation(owner_rule)
        owner_rule.add(f"{LETTER['thema']}2:{LETTER['thema']}{last}")
    status_rule = DataValidation(
        type="list", formula1=f"={LISTS}!$B$1:$B${len(statuses)}", allow_blank=True
    )
    sheet.add_data_validation(status_rule)
    status_rule.add(f"{LETTER['status']}2:{LETTER['status']}{last}")
    book.properties.title = f"Uitvoeringsplan {up.jaar} — {up.plan.titel}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class RowChange:
    row: int
    kind: str  # "nieuw" | "gewijzigd"
    measure: Maatregel | None
    owner: tuple[str, Any]
    onderdeel: str
    values: dict[str, Any]
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.values.get("titel") or (self.measure.titel if self.measure else "")


@dataclass
class SheetReport:
    changes: list[RowChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "F12: …"
    notices: list[str] = field(default_factory=list)  # "C5: ‘…’ gelezen als ‘…’"
    missing: list[Maatregel] = field(default_factory=list)  # in ivp, not in the sheet
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def read_xlsx(up: Uitvoeringsplan, data: bytes) -> SheetReport:
    """Compare a sheet with the stored implementation plan; changes nothing."""
    from ivp.xlsx import XlsxTooLarge, check_size

    report = SheetReport()
    try:
        check_size(data)
    except XlsxTooLarge as error:
        report.errors.append(str(error))
        return report
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no XLSX
        report.errors.append("Het bestand is geen Excel-bestand (.xlsx).")
        return report
    if SHEET not in book.sheetnames:
        report.errors.append(f"Het tabblad ‘{SHEET}’ ontbreekt.")
        return report
    sheet = book[SHEET]
    header = [_text(c.value) for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    by_header = {h: f for h, f in COLUMNS} | LEGACY
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        if title in by_header and by_header[title] not in positions:
            positions[by_header[title]] = index
    letters = {name: get_column_letter(i + 1) for name, i in positions.items()}
    missing = [
        h
        for h, f in COLUMNS
        if f not in positions
        and f not in OPTIONAL
        and not (f == "partners" and "partners_intern" in positions)
    ]
    if missing:
        report.errors.extend(f"Rij 1: de kolom ‘{h}’ ontbreekt" for h in missing[:5])
        return report
    owners = _owners(up)
    numbers = _numbers(up)
    stored = {
        m.pk: m
        for m in Maatregel.objects.filter(onderdeel__uitvoeringsplan=up).select_related("onderdeel")
    }
    seen: set[int] = set()
    for row_cells in sheet.iter_rows(min_row=2):
        row = row_cells[0].row
        cells = {
            f: row_cells[i].value if i < len(row_cells) else None for f, i in positions.items()
        }
        if all(_text(v) == "" for v in cells.values()):
            continue
        errors_before = len(report.errors)

        def error(field_name: str, message: str, row: int = row) -> None:
            report.errors.append(f"{letters[field_name]}{row}: {message}")

        measure = None
        raw_id = _text(cells["id"])
        if raw_id:
            number = whole_number(raw_id)
            if number not in stored:
                error("id", f"onbekende maatregel {raw_id!r} (laat leeg voor een nieuwe)")
            elif number in seen:
                error("id", f"maatregel {raw_id} staat twee keer in het bestand")
            else:
                measure = stored[number]
                seen.add(measure.pk)
                version = _text(cells["version"])
                if version and version != str(measure.version):
                    error(
                        "version",
                        f"maatregel {raw_id} is in ivp gewijzigd na het maken van dit bestand "
                        f"(versie {measure.version}, bestand {version}); exporteer opnieuw",
                    )
        owner_title = _text(cells["thema"])
        owner, notice = match_owner(owner_title, owners, numbers)
        if owner is None:
            error("thema", f"onbekende prioriteit of overig thema {owner_title!r}")
        elif notice:
            report.notices.append(f"{letters['thema']}{row}: {notice}")
        onderdeel = _text(cells["onderdeel"])
        if not onderdeel:
            error("onderdeel", "onderdeel ontbreekt")
        values: dict[str, Any] = {}
        values["titel"] = _text(cells["titel"])
        if not values["titel"]:
            error("titel", "inzet/activiteit ontbreekt")
        for name in (
            "beschrijving",
            "bestuurlijk_trekker",
            "ambtelijk_trekker",
            "prestatie_indicator",
            "prestatie_doel",
            "budget_bron",
            "catalogus_id",
        ):
            values[name] = _text(cells[name])
        if "subgroep" in cells:
            values["subgroep"] = _text(cells["subgroep"]).rstrip(":").strip()
        elif measure is not None:
            values["subgroep"] = measure.subgroep
        from ivp.uitvoering.services import split_partners

        if "partners" in cells:
            values["partners"] = split_partners(_text(cells["partners"]))
        else:  # an older sheet: internal and external partners, in that order
            values["partners"] = split_partners(
                _text(cells.get("partners_intern")) + ";" + _text(cells.get("partners_extern"))
            )
        values.update(read_planning(_text(cells["planning"])))
        try:
            values["budget"] = parse_budget(cells["budget"])
        except ValueError as problem:
            error("budget", str(problem))
        status_text = _text(cells["status"]).lower()
        if not status_text:
            values["status"] = measure.status if measure else Maatregel.Status.GEPLAND
        elif status_text in STATUS_BY_LABEL:
            values["status"] = STATUS_BY_LABEL[status_text]
        else:
            error(
                "status",
                f"onbekende status {status_text!r}; kies uit: "
                + ", ".join(str(s.label).lower() for s in Maatregel.Status),
            )
        for name, value in (*values.items(), ("onderdeel", onderdeel)):
            model = Onderdeel if name == "onderdeel" else Maatregel
            limit = getattr(
                model._meta.get_field("titel" if name == "onderdeel" else name), "max_length", None
            )
            if limit and isinstance(value, str) and len(value) > limit:
                error(name, f"te lang: {len(value)} tekens, hoogstens {limit}")
        if len(report.errors) > errors_before or owner is None:
            continue
        if measure is None:
            report.changes.append(RowChange(row, "nieuw", None, owner, onderdeel, values))
            continue
        changed = {
            name: (getattr(measure, name), values[name])
            for name in COMPARED
            if name in values and getattr(measure, name) != values[name]
        }
        current_owner = measure.onderdeel.prioriteit or measure.onderdeel.overig_thema
        if current_owner != owner[1] or measure.onderdeel.titel != onderdeel:
            changed["onderdeel"] = (
                f"{current_owner.titel} / {measure.onderdeel.titel}",
                f"{owner[1].titel} / {onderdeel}",
            )
        if changed:
            report.changes.append(
                RowChange(row, "gewijzigd", measure, owner, onderdeel, values, changed)
            )
        else:
            report.unchanged += 1
    report.missing = [m for pk, m in stored.items() if pk not in seen]
    return report


class SheetError(ValueError):
    def __init__(self, report: SheetReport) -> None:
        self.report = report
        super().__init__("; ".join(report.errors))


@transaction.atomic
def apply_xlsx(up: Uitvoeringsplan, data: bytes, *, by) -> SheetReport:
    """Apply a sheet's differences (after the user saw them), all or nothing."""
    from ivp.uitvoering import services

    report = read_xlsx(up, data)
    if not report.ok:
        raise SheetError(report)
    items: dict[tuple[str, int, str], Onderdeel] = {
        (("prioriteit", o.prioriteit_id) if o.prioriteit_id else ("overig", o.overig_thema_id))
        + (o.titel,): o
        for o in up.onderdelen.all()
    }

    def item_for(owner: tuple[str, Any], title: str) -> Onderdeel:
        key = (owner[0], owner[1].pk, title)
        if key not in items:
            items[key] = services.add_onderdeel(
                up,
                by=by,
                titel=title,
                **(
                    {"prioriteit": owner[1]}
                    if owner[0] == "prioriteit"
                    else {"overig_thema": owner[1]}
                ),
            )
        return items[key]

    try:
        _apply_changes(report, item_for, by)
    except ValidationError as error:  # a rule of the services: nothing stored, said per row
        report.errors.append("; ".join(getattr(error, "messages", [str(error)])))
        raise SheetError(report) from error
    return report


def _apply_changes(report: SheetReport, item_for, by) -> None:
    from ivp.uitvoering import services

    for change in report.changes:
        item = item_for(change.owner, change.onderdeel)
        fields = {k: v for k, v in change.values.items() if k in services.MAATREGEL_FIELDS}
        if change.kind == "nieuw":
            services.add_maatregel(item, by=by, **fields)
            continue
        measure = change.measure
        if measure.onderdeel_id != item.pk:
            services.move_maatregel(measure, by=by, to=item)
            measure.refresh_from_db()
        services.update_part(measure, by=by, expected_version=measure.version, **fields)
