"""``ivp catalogue``: the Themabibliotheek on the command line.

    ivp catalogue                 the handbook's table of themes
    ivp catalogue 3.1             one theme, readable (also A1.3, zorg-en-veiligheid, 3.1-m02)
    ivp catalogue --json          the whole catalogue as JSON (fields → themes, aspects;
                                  strategic_themes)
    ivp catalogue 3.1 --json      one item as JSON
    ivp catalogue --check         validate the content files (file:line for each problem)

Reads the content files (the same function as the API), so it works before the database
is loaded.
"""

from __future__ import annotations

import argparse
import json
import sys


def cmd_catalogue(args: argparse.Namespace) -> int:
    # imported here: every ``ivp`` command builds this parser, few read the catalogue
    from ivp.catalogue import document
    from ivp.catalogue.content_loader import CatalogueError, load_catalogue, shipped_catalogue

    try:
        catalogue = load_catalogue() if args.check else shipped_catalogue()
    except CatalogueError as error:
        print(f"ivp: {error}", file=sys.stderr)
        return 1
    if args.check:
        print(
            f"ivp: catalogue content {catalogue.versie} is valid: {len(catalogue.velden)} "
            f"velden, {len(catalogue.themas)} thema's, {len(catalogue.aanpakaspecten)} "
            f"aanpakaspecten, {len(catalogue.strategische_themas)} strategische thema's, "
            f"{sum(1 for _ in catalogue.maatregelen())} maatregelen, "
            f"{sum(1 for _ in catalogue.indicatoren())} indicatoren"
        )
        return 0
    if args.code:
        try:
            if args.json:
                _print_json(document.item_document(catalogue, args.code))
            else:
                sys.stdout.write(document.text_for_code(catalogue, args.code))
        except KeyError:
            known = ", ".join(st.code for st in catalogue.strategische_themas)
            print(
                f"ivp: no catalogue item {args.code!r}; give a theme (3.1), an aspect "
                f"(A1.3), a measure or indicator id (3.1-m02, 3.1-i01) or a strategic theme "
                f"({known})",
                file=sys.stderr,
            )
            return 1
        return 0
    if args.json:
        _print_json(document.catalogue_document(catalogue))
    else:
        sys.stdout.write(document.overview_text(catalogue))
    return 0


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "catalogue",
        help="show the Themabibliotheek: velden, thema's, aspects, strategic themes",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "code",
        nargs="?",
        help="a theme (3.1), aspect (A1.3), strategic theme (zorg-en-veiligheid), "
        "measure (3.1-m02) or indicator (3.1-i01); without: the table of themes",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--check", action="store_true", help="validate the content files and report problems"
    )
    parser.set_defaults(handler=cmd_catalogue, needs_db=False)  # shipped files only
