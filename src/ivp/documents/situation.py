"""The starting situation in figures for chapter 1 of the IVP, written in plain Dutch: per
safety field a sentence, the key figures of its themes (count, per 1,000 inhabitants, change
against the year before, and the comparison with gemeenten of the same size, named), one
chart, the working group's conclusion, and the look back at the previous plan. The figures are
gathered by ``beleidsplan.situation`` (frozen with a version); the words for a change ("geen
aantoonbare verandering") come from ``analysis``, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ivp.beleidsplan.situation import starting_situation  # noqa: F401 - re-exported
from ivp.documents import charts
from ivp.documents.model import Figure, Paragraph, Section, Table
from ivp.documents.sources import source_line

DASH = "–"
MINUS = "\N{MINUS SIGN}"


def _nl(value: float | None, digits: int = 1) -> str:
    if value is None:
        return DASH
    text = f"{value:,.{digits}f}".translate(str.maketrans({",": ".", ".": ","}))
    return text.replace("-", MINUS)


def _rate(value: float | None) -> str:
    return _nl(value, 2 if value is not None and abs(value) < 1 else 1)


def _percent(value: float | None) -> str:
    if value is None:
        return DASH
    rounded = round(value)
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else ""
    return f"{sign}{abs(rounded)}%"


# -- writing -----------------------------------------------------------------------------


def _sentence(field: Mapping[str, Any], situation: Mapping[str, Any], name: str) -> str:
    total = field["total"]
    year = situation["year"]
    text = (
        f"In {year} registreerde de politie in {name} {_nl(total['count'], 0)} misdrijven in "
        f"dit veld, {_rate(total['rate'])} per 1.000 inwoners. Ten opzichte van {year - 1} is "
        f"dat {_percent(total['change'])}: {total['verdict']}."
    )
    if total.get("ratio") is not None:
        text += (
            f" Vergeleken met gemeenten van dezelfde omvang "
            f"({situation['group'][:1].lower()}{situation['group'][1:]}) is het "
            f"{_nl(total['ratio'], 1)} keer de middelste waarde (de mediaan)."
        )
    return text


def _table(field: Mapping[str, Any], situation: Mapping[str, Any]) -> Table:
    year = situation["year"]
    provisional = year in (situation.get("provisional_years") or [])
    if not situation.get("group"):
        # the area of a joint plan: no group of gemeenten of the same size
        return Table(
            columns=(
                "Thema",
                f"Aantal {year}{' (v)' if provisional else ''}",
                "Per 1.000 inwoners",
                f"t.o.v. {year - 1}",
            ),
            rows=tuple(
                (
                    f"{r['code']} {r['title']}",
                    _nl(r["count"], 0),
                    _rate(r["rate"]),
                    _percent(r["change"]),
                )
                for r in field["themes"]
            ),
            caption=f"Kerncijfers {field['title'].lower()}, {year}",
            source=source_line(situation.get("sources") or [])
            + (" (v) = voorlopig cijfer." if provisional else ""),
            numeric_columns=frozenset({1, 2, 3}),
            widths=(6.0, 2.0, 2.2, 1.8),
        )
    return Table(
        columns=(
            "Thema",
            f"Aantal {year}{' (v)' if provisional else ''}",
            "Per 1.000 inwoners",
            f"t.o.v. {year - 1}",
            "t.o.v. de mediaan van gemeenten van dezelfde omvang",
        ),
        rows=tuple(
            (
                f"{r['code']} {r['title']}",
                _nl(r["count"], 0),
                _rate(r["rate"]),
                _percent(r["change"]),
                f"{_nl(r['ratio'], 1)}×" if r.get("ratio") is not None else DASH,
            )
            for r in field["themes"]
        ),
        caption=f"Kerncijfers {field['title'].lower()}, {year}",
        source=source_line(situation.get("sources") or [])
        + f" Gemeenten van dezelfde omvang: {situation['group'][:1].lower()}"
        f"{situation['group'][1:]} ({situation.get('group_size', 0)} andere gemeenten); 1,0× is "
        "gelijk aan de mediaan." + (" (v) = voorlopig cijfer." if provisional else ""),
        numeric_columns=frozenset({1, 2, 3, 4}),
        widths=(6.0, 2.0, 2.2, 1.8, 3.4),
    )


def _figure(field: Mapping[str, Any], situation: Mapping[str, Any], name: str) -> Figure | None:
    from ivp.documents.analyserapport import _png

    lines_data = field.get("chart") or {}
    if not lines_data.get("own"):
        return None
    year = situation["year"]
    provisional = [y for y in situation.get("provisional_years") or [] if y <= year]
    lines = [
        charts.Line(
            name,
            lines_data["own"],
            style="own",
            provisional_from=str(min(provisional)) if provisional else None,
        )
    ]
    if lines_data.get("median"):
        lines.append(
            charts.Line(
                "mediaan gemeenten van dezelfde omvang", lines_data["median"], style="group"
            )
        )
    national = {y: v for y, v in (lines_data.get("national") or {}).items() if v is not None}
    if national:
        lines.append(charts.Line("Nederland", national, style="national"))
    chart = charts.TrendChart(
        title="",
        y_label="per 1.000 inwoners",
        lines=tuple(lines),
        source="Bron: CBS/Politie",
        highlight_year=str(year),
    )
    note = ""
    last_national = max((int(y) for y in national), default=None)
    if last_national is not None and last_national < year:
        note = f" De landelijke cijfers zijn er tot en met {last_national}."
    own = lines_data["own"]
    first = min((int(y) for y, v in own.items() if v is not None), default=year)
    return Figure(
        png=_png(chart),
        caption=f"{field['title']}: misdrijven per 1.000 inwoners, {first}–{year}",
        source=source_line(situation.get("sources") or []) + note,
        width_cm=14.0,
        alt=(
            f"Lijngrafiek van het aantal misdrijven per 1.000 inwoners in het veld "
            f"{field['title'].lower()} in {name} van {first} tot {year}"
            + (
                ", met de mediaan van gemeenten van dezelfde omvang"
                if lines_data.get("median")
                else ""
            )
            + (
                (" en Nederland" if lines_data.get("median") else ", met Nederland")
                if national
                else ""
            )
            + f". In {year}: {_rate(field['total']['rate'])} per 1.000 inwoners."
        ),
    )


def _look_back_section(look_back: Mapping[str, Any]) -> Section | None:
    from ivp.documents.ivp_document import DIRECTIONS, UNITS, dutch_number

    rows = []
    for ind in look_back.get("indicators") or []:
        target = ind.get("target")
        latest = ind.get("latest")
        reached = "–"
        if target is not None and latest is not None:
            ok = latest <= target if ind.get("direction") == "<=" else latest >= target
            reached = "bereikt" if ok else "niet bereikt"
        rows.append(
            (
                f"{ind['name']} ({UNITS.get(ind.get('unit') or '', '')})".replace(" ()", ""),
                f"{dutch_number(ind['baseline'], 1)} ({ind.get('baseline_year') or '–'})",
                f"{DIRECTIONS.get(ind.get('direction') or '', '')} {dutch_number(target, 1)}"
                if target is not None
                else "–",
                f"{dutch_number(latest, 1)} ({ind.get('latest_year')})"
                if latest is not None
                else "–",
                reached,
            )
        )
    if not rows:
        return None
    return Section(
        f"Terugblik op het {look_back['title']}",
        [
            Paragraph(
                f"Het vorige plan ({look_back['period']}) had de volgende effectindicatoren; "
                "het laatste cijfer komt uit dezelfde bron."
            ),
            Table(
                columns=("Indicator", "Uitgangswaarde", "Doel", "Laatste cijfer", "Resultaat"),
                rows=tuple(rows),
                caption="Effectindicatoren van het vorige plan",
                widths=(6.0, 2.6, 1.8, 2.6, 2.0),
            ),
        ],
        number="",
    )


def situation_sections(situation: Mapping[str, Any] | None, names: Sequence[str]) -> list[Section]:
    """Per field a section with a sentence, the key figures of its themes, one chart and
    the working group's conclusion; then the look back at the previous plan."""
    if not situation:
        return []
    name = situation.get("municipality") or (names[0] if names else "")
    sections = []
    for field in situation.get("fields") or []:
        if not field.get("total"):
            continue
        blocks: list = [Paragraph(_sentence(field, situation, name))]
        if field.get("conclusion"):
            from ivp.documents.ivp_document import text_blocks

            blocks += text_blocks(field["conclusion"])
        if field.get("themes"):
            blocks.append(_table(field, situation))
        figure = _figure(field, situation, name)
        if figure is not None:
            blocks.append(figure)
        sections.append(Section(field["title"], blocks, number=""))
    look_back = situation.get("look_back")
    if look_back:
        section = _look_back_section(look_back)
        if section is not None:
            sections.append(section)
    return sections
