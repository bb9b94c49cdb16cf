"""docs/mapping.md shows the mapping that ships (default.yaml), row by row."""

import re
from pathlib import Path

from ivp.datasets.mapping import default_indeling

DOC = Path(__file__).resolve().parents[4] / "docs" / "mapping.md"


def test_mapping_table_in_docs_matches_the_yaml():
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"\d\.\d\.\d{1,2}|[A-Z]\d{2,4}", cells[0]):
            main = cells[2].split(" ")[0] if cells[2] != "—" else None
            extra = [t.strip() for t in cells[3].split(",") if t.strip()]
            rows[cells[0]] = tuple([main, *extra] if main else extra)
    indeling = default_indeling()
    expected = {e.code: e.themas for e in indeling.rows()}
    assert rows == expected
