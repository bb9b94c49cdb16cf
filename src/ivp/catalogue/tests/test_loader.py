"""The loader refuses bad content with file and line; it needs no database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivp.catalogue.content_loader import CONTENT_DIR, CatalogueError, load_catalogue


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the shipped content."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> int:
    """Replace the first ``old`` in a file by ``new``; return the 1-based line of the edit."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def problems(folder: Path) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(folder)
    return [str(p) for p in info.value.problems]


def test_the_copy_loads(content):
    assert len(load_catalogue(content).themas) == 22


def test_unknown_raakvlak_names_file_and_line(content):
    line = edit(
        content, "veld-3.yaml", '"3.4", "5.1", "5.2", "5.3"]', '"3.4", "5.1", "5.2", "5.9"]'
    )
    assert problems(content) == [
        f"veld-3.yaml:{line}: raakvlak 5.9 of theme 3.1 is not a known theme"
    ]


def test_missing_attribute_names_file_and_line(content):
    start = edit(content, "veld-2.yaml", '  - code: "2.4"\n', '  - code: "2.4"\n')
    edit(content, "veld-2.yaml", "    wet_en_regelgeving: [APV]\n", "")
    assert problems(content) == [
        f"veld-2.yaml:{start}: attribute 'wet_en_regelgeving' is missing of a theme"
    ]


def test_empty_list_needs_an_explicit_marker(content):
    line = edit(
        content,
        "veld-5.yaml",
        "effectinformatie: {niet_in_handreiking: leeg}",
        "effectinformatie: []",
    )
    [problem] = problems(content)
    assert problem.startswith(f"veld-5.yaml:{line}: 'effectinformatie' is an empty list")
    assert "niet_in_handreiking: leeg" in problem


def test_unknown_reason_of_a_marker(content):
    line = edit(content, "veld-5.yaml", "{niet_in_handreiking: leeg}", "{niet_in_handreiking: weg}")
    [problem] = problems(content)
    assert problem.startswith(f"veld-5.yaml:{line}: 'wet_en_regelgeving': unknown reason 'weg'")


def test_per_aspect_marker_only_in_a_field_with_aspects(content):
    line = edit(
        content,
        "veld-2.yaml",
        "ontwikkelingen: {niet_in_handreiking: ontbreekt}",
        "ontwikkelingen: {niet_in_handreiking: per_aspect}",
    )
    [problem] = problems(content)
    assert problem.startswith(f"veld-2.yaml:{line}: 'ontwikkelingen': 'per_aspect' is only allowed")


def test_duplicate_measure_id(content):
    line = edit(content, "veld-3.yaml", "{id: 3.1-m03,", "{id: 3.1-m02,")
    [problem] = problems(content)
    assert problem.startswith(f"veld-3.yaml:{line}: duplicate id '3.1-m02'")


def test_id_of_another_theme(content):
    line = edit(content, "veld-3.yaml", "{id: 3.1-i01,", "{id: 3.2-i09,")
    [problem] = problems(content)
    assert problem == (
        f"veld-3.yaml:{line}: id '3.2-i09' does not belong to 3.1 (expected e.g. 3.1-i01)"
    )


def test_retired_id_may_not_be_reused(content):
    edit(
        content,
        "veld-4.yaml",
        "aanpakaspecten: []",
        "aanpakaspecten: []\ningetrokken_ids: [4.1-m03]",
    )
    line = edit(content, "veld-4.yaml", "{id: 4.1-m03,", "{id: 4.1-m03,")
    [problem] = problems(content)
    assert problem == (
        f"veld-4.yaml:{line}: id 4.1-m03 is retired (ingetrokken_ids) and may not be reused"
    )


def test_code_written_as_a_number(content):
    line = edit(content, "veld-4.yaml", 'code: "4.2"', "code: 4.2")
    [problem] = problems(content)
    assert problem.startswith(f"veld-4.yaml:{line}: theme code must be text, not float")
    assert "quotes" in problem


def test_unknown_attribute(content):
    line = edit(content, "veld-1.yaml", "    bronopmerkingen: []\n", "    bronopmerking: []\n")
    found = problems(content)
    assert f"veld-1.yaml:{line}: unknown attribute 'bronopmerking' of a theme" in found[0]


def test_duplicate_key(content):
    first = edit(
        content, "veld-4.yaml", "    titel: Brandveiligheid\n", "    titel: Brandveiligheid\n"
    )
    line = edit(
        content,
        "veld-4.yaml",
        "    alternatieve_titels: []\n    uitleg: >-\n      Brandveiligheid",
        "    titel: Brand\n    alternatieve_titels: []\n    uitleg: >-\n      Brandveiligheid",
    )
    assert problems(content) == [
        f"veld-4.yaml:{line}: duplicate key 'titel' (first on line {first})"
    ]


def test_yaml_syntax_error_has_a_line(content):
    line = edit(content, "veld-3.yaml", "    titel: Jeugdoverlast\n", "    titel: [Jeugdoverlast\n")
    [problem] = problems(content)
    assert problem.startswith("veld-3.yaml:")
    assert "YAML syntax error" in problem
    assert int(problem.split(":")[1]) >= line


def test_theme_in_the_wrong_field(content):
    line = edit(content, "veld-3.yaml", 'code: "3.4"', 'code: "4.9"')
    found = problems(content)
    assert f"veld-3.yaml:{line}: theme 4.9 is not in field 3" in found


def test_strategic_theme_links_to_unknown_theme(content):
    line = edit(content, "strategische-themas.yaml", 'codes: ["3.4"]', 'codes: ["3.7"]')
    assert problems(content) == [
        f"strategische-themas.yaml:{line}: theme 3.7 of strategic theme "
        "gedigitaliseerde-criminaliteit is not a known theme"
    ]


def test_bad_url(content):
    line = edit(
        content, "veld-2.yaml", 'url: "https://www.slimbekeken.nu"', 'url: "www.slimbekeken.nu"'
    )
    [problem] = problems(content)
    assert problem.startswith(f"veld-2.yaml:{line}: 'url' must start with https://")


def test_all_problems_are_reported_together(content):
    edit(content, "veld-3.yaml", '"5.3"]', '"5.8"]')
    edit(content, "veld-5.yaml", "{id: 5.1-m03,", "{id: 5.1-m02,")
    found = problems(content)
    assert len(found) == 2
    assert {p.split(":")[0] for p in found} == {"veld-3.yaml", "veld-5.yaml"}


def test_missing_file(content):
    (content / "veld-5.yaml").unlink()
    found = problems(content)
    assert found[0] == "veld-5.yaml:0: file not found"
