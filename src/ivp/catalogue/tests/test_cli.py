"""``ivp catalogue`` as a script user meets it."""

from __future__ import annotations

import json

from ivp.catalogue.tests.test_content import HANDBOOK_ASPECTS, HANDBOOK_TABLE
from ivp.cli.main import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["catalogue", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_fields_themes_aspects_and_strategic_themes(capsys):
    code, out, err = run(capsys, "--json")
    assert code == 0 and not err
    data = json.loads(out)
    assert [(f["code"], f["title"]) for f in data["fields"]] == list(HANDBOOK_TABLE)
    assert [[(t["code"], t["title"]) for t in f["themes"]] for f in data["fields"]] == list(
        HANDBOOK_TABLE.values()
    )
    assert [(a["code"], a["title"]) for a in data["fields"][0]["aspects"]] == HANDBOOK_ASPECTS
    assert all(f["aspects"] == [] for f in data["fields"][1:])
    assert [st["code"] for st in data["strategic_themes"]] == [
        "gedigitaliseerde-criminaliteit",
        "zorg-en-veiligheid",
        "informatiemanagement",
    ]
    themes = {t["code"]: t for f in data["fields"] for t in f["themes"]}
    # attributes filled where the handbook fills them, named where it does not
    t31 = themes["3.1"]
    assert t31["not_in_handbook"] == {}
    for key in (
        "explanation",
        "municipal_role",
        "laws",
        "measures",
        "effect_sources",
        "effect_indicators",
        "instruments",
        "links",
        "developments",
    ):
        assert t31[key], key
    assert t31["partners"]["internal"] and t31["partners"]["external"]
    assert themes["3.4"]["not_in_handbook"] == {
        "effect_indicators": "leeg",
        "developments": "leeg",
    }
    assert themes["1.1"]["not_in_handbook"]["measures"] == "per_aspect"
    assert "5.4" in t31["linked_from"] and "5.4" not in t31["links"]
    assert {"id": "3.1-m02", "text": "Groepsscan", "group": None, "note": None, "url": None} in t31[
        "measures"
    ]


def test_one_theme_readable(capsys):
    code, out, _err = run(capsys, "3.1")
    assert code == 0
    assert out.startswith("3.1 Jeugdoverlast\nVeiligheidsveld 3: Jeugd en veiligheid\n")
    assert "[3.1-m02] Groepsscan" in out
    assert "Genoemd als raakvlak bij" in out and "  - 5.4 Informatieveiligheid" in out


def test_field_1_theme_points_to_the_aspects(capsys):
    _code, out, _err = run(capsys, "1.3")
    assert "(niet in de handreiking: in veld 1 uitgewerkt per aanpakaspect)" in out
    assert "A1.6 Aanpak van specifieke criminaliteitsfenomenen" in out


def test_aspect_strategic_theme_measure_and_overview(capsys):
    assert "[A1.4-m07] Burgernet" in run(capsys, "a1.4")[1]
    assert "Vier modaliteiten" in run(capsys, "gedigitaliseerde-criminaliteit")[1]
    measure = json.loads(run(capsys, "5.4-m04", "--json")[1])
    assert measure == {
        "id": "5.4-m04",
        "text": "Audits uitvoeren (ENSIA)",
        "group": None,
        "note": None,
        "url": None,
        "theme": "5.4",
        "aspect": None,
    }
    overview = run(capsys)[1]
    assert "  5.3  Weerbare overheid/weerbaar bestuur" in overview


def test_unknown_code_is_an_error(capsys):
    code, out, err = run(capsys, "6.1")
    assert code == 1 and not out
    assert err.startswith("ivp: no catalogue item '6.1'")


def test_check(capsys):
    code, out, _err = run(capsys, "--check")
    assert code == 0
    assert "22 thema's" in out and "243 maatregelen" in out
