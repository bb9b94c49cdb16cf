"""``ivp analyse``: the veiligheidsbeeld of a gemeente on the command line.

    ivp analyse --municipality GM0597 --year 2018          a readable table
    ivp analyse --municipality Ridderkerk --year 2018 --json
    ivp analyse --all --year 2025 --json > alle.json       every gemeente (batch)
    ivp analyse --municipality GM0370,GM0439,Waterland --year 2018 --json
        several gemeenten (a joint plan): {"members": [...], "aggregate": ...}

The JSON is a stable contract (docs/analysis.md): years are strings, counts integers,
rates floats (per 1,000 inhabitants; ``rate_per_1000_dwellings`` where dwellings are
known). Exit codes: 0 ok, 1 no data for that gemeente or year, 2 unknown or ambiguous
gemeente.
"""

from __future__ import annotations

import argparse
import json
import sys

from ivp.analysis import veiligheidsbeeld as vb


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _pct(value: float | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + _fmt(value, 0) + "%"


def readable(picture: vb.Veiligheidsbeeld, *, years: int = 5) -> str:
    """The table a plan shows: categories by year, with the change of the gemeente and
    of its politie-eenheid (taken as one area), and the verdict of the test."""
    shown = [y for y in picture.years][-years:]
    years_shown = years
    unit_label = next((d for n, d, _m in picture.groups if n == vb.UNIT_MEMBERS), None)
    lines = [
        f"Veiligheidsbeeld {picture.area_name} ({picture.area_code}), peiljaar {picture.year}"
        + (
            f" — voorlopig: {', '.join(map(str, picture.provisional_years))}"
            if picture.provisional_years
            else ""
        ),
        "Geregistreerde misdrijven (aantal); verandering t.o.v. het jaar ervoor en het "
        "gemiddelde van de drie jaren ervoor; per 1.000 inwoners in het peiljaar",
        "",
    ]
    head = f"{'soort misdrijf':<44}" + "".join(f"{y:>8}" for y in shown)
    head += f"{'Δ jaar':>9}{'Δ 3 jr':>9}{'/1.000':>8}"
    if unit_label:
        head += f"{'Δ eenheid':>11}"
    head += "  oordeel"
    lines += [head, "-" * len(head)]

    def row(s: vb.SeriesPicture, label: str) -> str:
        ev = s.evidence
        text = f"{label[:43]:<44}" + "".join(f"{_fmt(s.counts.get(str(y))):>8}" for y in shown)
        if ev is None:
            return text + "  geen cijfers"
        text += f"{_pct(ev.change.vs_previous.percent):>9}{_pct(ev.change.vs_mean.percent):>9}"
        text += f"{_fmt(s.rates.get(str(picture.year)), 2):>8}"
        if unit_label:
            text += f"{_pct(s.reference_changes.get(unit_label)):>11}"
        return text + f"  {ev.change.vs_previous.verdict}"

    for category in picture.categories:
        lines.append(row(category, f"{category.code} {category.title}"))
    lines += ["", "Per thema (som van de categorieën met dit thema als hoofdthema)", ""]
    for theme in picture.themes:
        if theme.total.has_data:
            lines.append(row(theme.total, f"{theme.code} {theme.title}"))
    others = [(t, o) for t in picture.themes for o in t.other_series if o.has_data]
    if others:
        lines += ["", "Andere bronnen per thema (eigen cijfers en enquêtes; ± = 95%-marge)", ""]
        for theme, other in others:
            years = sorted(other.values, key=int)[-years_shown:]
            cells = []
            for y in years:
                margin = (other.margins or {}).get(y)
                value = _fmt(other.values.get(y), 0 if other.unit == "aantal" else 1)
                cells.append(f"{y}: {value}" + (f" ± {_fmt(margin, 1)}" if margin else ""))
            if sum(v is not None for v in other.values.values()) < 2:
                change = ""  # one year: no change to judge
            elif other.change is not None:
                change = other.change.verdict
            elif other.evidence is not None:
                change = other.evidence.change.vs_previous.verdict
            else:
                change = ""
            lines.append(
                f"  {theme.code:<5} {other.indicator[:40]:<41} {other.source[:24]:<25} "
                + "; ".join(cells)
                + (f"  → {change}" if change else "")
            )
    proposed = picture.candidates()
    lines += ["", f"Mogelijke prioriteiten (score ≥ {vb.PROPOSE_AT}; de werkgroep beslist):"]
    for s in proposed[:10]:
        lines.append(f"  {s.key:<10} score {s.candidate.score}: {s.candidate.summary}")
    if not proposed:
        lines.append("  geen")
    lines += ["", *picture.notes]
    lines.append(
        "Bron: CBS / Politie, 47018NED (geregistreerde misdrijven), 47025NED (Nederland); "
        "CBS 70072NED (inwoners)."
    )
    unit_line = (
        f"Δ eenheid: {unit_label} als één gebied, per 1.000 inwoners, over de gemeenten "
        "met een cijfer in beide jaren."
        if unit_label
        else ""
    )
    if unit_line:
        lines.append(unit_line)
    return "\n".join(lines)


def cmd_analyse(args: argparse.Namespace) -> int:
    if args.all:
        return _batch(args)
    if not args.municipality:
        print("ivp: give --municipality CODE|NAME or --all", file=sys.stderr)
        return 2
    if "," in args.municipality:
        return _area(args)
    try:
        code, _name = vb.resolve_gemeente(args.municipality)
        picture = vb.build(code, args.year)
    except (vb.UnknownArea, vb.AmbiguousArea) as error:
        print(f"ivp: {error}", file=sys.stderr)
        return 2
    except vb.NoData as error:
        print(f"ivp: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(vb.to_json(picture), ensure_ascii=False, indent=2))
    else:
        print(readable(picture))
    return 0


def _area(args: argparse.Namespace) -> int:
    """Several gemeenten (a joint plan): each member's picture and the area's."""
    from ivp.analysis import area

    queries = area.split_query(args.municipality)
    try:
        picture = area.build_area(queries, args.year)
    except (vb.UnknownArea, vb.AmbiguousArea, area.NotInYear) as error:
        print(f"ivp: {error}", file=sys.stderr)
        return 2
    except vb.NoData as error:
        print(f"ivp: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(area.to_json(picture), ensure_ascii=False, indent=2))
        return 0
    print(readable(picture.aggregate))
    for member in picture.members:
        print("\n" + readable(member))
    return 0


def _batch(args: argparse.Namespace) -> int:
    failed = []
    if args.json:
        sys.stdout.flush()
        out = sys.stdout.buffer  # the batch is UTF-8 already
        out.write(b'{"results":[')
        first = True
        for code, text in vb.encoded_batch(args.year):
            if isinstance(text, vb.NoData):
                failed.append({"municipality": code, "error": str(text)})
                continue
            out.write(text if first else b"," + text)
            first = False
        tail = '],"failed":' + json.dumps(failed, ensure_ascii=False) + "}\n"
        out.write(tail.encode())
        out.flush()
    else:
        for code, picture in vb.build_all(args.year):
            if isinstance(picture, vb.NoData):
                failed.append({"municipality": code, "error": str(picture)})
                continue
            proposed = picture.candidates()
            top = "; ".join(f"{s.key} ({s.candidate.score})" for s in proposed[:3]) or "geen"
            print(f"{picture.area_code} {picture.area_name:<32} {picture.year}  {top}")
    for item in failed:
        print(f"{item['municipality']}: {item['error']}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("analyse", help="the veiligheidsbeeld of a gemeente (step 2)")
    parser.add_argument(
        "--municipality",
        "-m",
        help="CBS code (GM0597) or name (Ridderkerk); several, comma-separated, for an area",
    )
    parser.add_argument("--year", type=int, help="reference year (default: the latest)")
    parser.add_argument("--json", action="store_true", help="print the JSON contract")
    parser.add_argument("--all", action="store_true", help="every current gemeente (batch)")
    # read-only: the process may end without the interpreter's tear-down (cli.main.console)
    parser.set_defaults(handler=cmd_analyse, exit_at_once=True)
