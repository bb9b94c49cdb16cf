"""Sources as a municipal publication writes them: "Bron: CBS/Politie, Geregistreerde
misdrijven (47018NED), geraadpleegd 22 januari 2026". Who publishes, the table's short title
and number, and when it was consulted, in Dutch. How a table reached ivp (a download route, a
repository, a commit, a checksum) is technical provenance: it stays in the application (the
data pages and the import registration) and never appears in a council document.

Plain Python on the ``sources`` mapping of a veiligheidsbeeld (table, title, attribution,
retrieved).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"\((?:19|20)\d{2}\)|\b(?:19|20)\d{2}\b")


def dutch_date(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def publisher(info: Mapping[str, str]) -> str:
    """ "CBS/Politie", "CBS", "Veiligheidsmonitor" from the table's attribution."""
    text = (info.get("attribution") or "").strip().removeprefix("Bron:").strip() or "CBS"
    return re.sub(r"\s*/\s*", "/", text)


def short_title(info: Mapping[str, str]) -> str:
    """ "Geregistreerde misdrijven; soort misdrijf, wijk, buurt" → "Geregistreerde
    misdrijven"."""
    return (info.get("title") or info.get("table") or "").split(";")[0].strip()


def consulted(text: str | None) -> str:
    """When a table was consulted: "22 januari 2026" for a date, "in 2026" where only the
    year is known, "" where nothing is."""
    text = (text or "").strip()
    match = _ISO.search(text)
    if match:
        try:
            return dutch_date(date(*(int(g) for g in match.groups())))
        except ValueError:
            pass
    years = [y.strip("()") for y in _YEAR.findall(text.split(";")[0])]
    return f"in {years[-1]}" if years else ""


def source_line(infos: Iterable[Mapping[str, str]], *, prefix: str = "Bron: ") -> str:
    """One line for the tables behind a figure or table, per publisher and title: "Bron:
    CBS/Politie, Geregistreerde misdrijven (47018NED), geraadpleegd 22 januari 2026; CBS,
    Regionale kerncijfers Nederland (70072NED), geraadpleegd in 2026." Tables of one publisher
    and title are named together; the date is given where they share it (each table's own
    date is in the list of sources)."""
    groups: dict[tuple[str, str], tuple[list[str], set[str]]] = {}
    for info in infos:
        table = info.get("table") or ""
        if not table:
            continue
        tables, dates = groups.setdefault((publisher(info), short_title(info)), ([], set()))
        if table not in tables:
            tables.append(table)
            dates.add(consulted(info.get("retrieved")))
    if not groups:
        return ""
    parts = []
    previous = ""
    for (who, title), (tables, dates) in groups.items():
        text = (
            f"{title} ({', '.join(tables)})" if title and title != tables[0] else ", ".join(tables)
        )
        if len(dates) == 1 and "" not in dates:
            text += f", geraadpleegd {next(iter(dates))}"
        parts.append(text if who == previous else f"{who}, {text}")
        previous = who
    return prefix + "; ".join(parts) + "."


def source_list(infos: Iterable[Mapping[str, str]]) -> list[str]:
    """One line per table for a list of sources: "CBS/Politie, Geregistreerde misdrijven;
    soort misdrijf, wijk, buurt, jaarcijfers (47018NED), geraadpleegd in 2026."""
    lines: dict[str, str] = {}
    for info in infos:
        table = info.get("table") or ""
        if not table or table in lines:
            continue
        when = consulted(info.get("retrieved"))
        title = (info.get("title") or "").strip()
        text = f"{publisher(info)}, {title} ({table})" if title else f"{publisher(info)}, {table}"
        lines[table] = text + (f", geraadpleegd {when}" if when else "") + "."
    return [lines[t] for t in sorted(lines)]
