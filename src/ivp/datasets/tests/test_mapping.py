"""The default mapping of offence categories and incident codes to themes."""

import pytest
import yaml

from ivp.datasets import offences
from ivp.datasets.mapping import (
    DEFAULT_YAML,
    THEMA_CODES,
    MappingError,
    default_indeling,
    parse_indeling,
)


def test_every_category_of_47018_is_mapped_to_known_themes():
    indeling = default_indeling()
    assert set(indeling.soort_misdrijf) == set(offences.soort_misdrijf())
    assert len(indeling.soort_misdrijf) == 59
    for entry in indeling.rows():
        assert all(theme in THEMA_CODES for theme in entry.themas)
        assert entry.waarom


def test_examples_of_the_issue():
    indeling = default_indeling()
    assert indeling.themas_voor("1.1.1")[0] == "1.3"
    assert indeling.themas_voor("2.5.2")[0] == "2.1"
    assert indeling.themas_voor(incident_code="E35") == ("3.1",)
    # A crime incident code follows its category: A20 is part of 1.1.1.
    assert indeling.themas_voor(incident_code="A20") == ("1.3",)
    assert indeling.themas_voor("0.0.0") == ()


def test_aggregates():
    indeling = default_indeling()
    values = {code: 1.0 for code in offences.soort_misdrijf()}
    values["0.0.0"] = 1234.0
    assert indeling.aggregaat("totaal", values).waarde == 1234.0
    assert indeling.aggregaat("hic", values).waarde == 8.0
    assert indeling.aggregaat("geweld", values).waarde == 7.0
    assert indeling.aggregaat("vermogen", values).waarde == 11.0


def test_total_is_never_the_sum_of_parts():
    indeling = default_indeling()
    values = {code: 1.0 for code in offences.soort_misdrijf() if code != "0.0.0"}
    total = indeling.aggregaat("totaal", values)
    assert total.waarde is None
    assert total.ontbrekend == ("0.0.0",)


def test_sum_with_a_missing_part_is_not_given():
    indeling = default_indeling()
    values = {"1.1.1": 89.0, "1.4.4": 40.0, "1.4.5": 77.0, "1.4.2": 1.0, "1.4.6": None}
    hic = indeling.aggregaat("hic", values)
    assert hic.waarde is None
    assert set(hic.ontbrekend) == {"1.4.1", "1.4.3", "1.4.6", "1.4.7"}


def test_overrides_make_a_new_mapping_and_leave_the_default_alone():
    default = default_indeling()
    own = default.with_overrides({"2.2.1": ["3.1"], "E33": []})
    assert own.themas_voor("2.2.1") == ("3.1",)
    assert own.soort_misdrijf["2.2.1"].herkomst == "plan"
    assert own.themas_voor(incident_code="E33") == ()
    assert default.themas_voor("2.2.1") == ("1.2", "3.1")
    assert default_indeling().themas_voor("2.2.1") == ("1.2", "3.1")


def test_overrides_are_checked():
    with pytest.raises(MappingError) as error:
        default_indeling().with_overrides({"2.2.1": ["9.9"], "X99": ["1.1"]})
    assert len(error.value.errors) == 2


def test_invalid_file_lists_every_problem():
    document = yaml.safe_load(DEFAULT_YAML.read_text())
    del document["soort_misdrijf"]["1.1.1"]
    document["soort_misdrijf"]["1.1.2"]["themas"] = ["7.1"]
    document["aggregaten"]["hic"]["codes"].append("0.0.0")
    with pytest.raises(MappingError) as error:
        parse_indeling(document)
    messages = " | ".join(error.value.errors)
    assert "1.1.1 ontbreekt" in messages
    assert "onbekend thema 7.1" in messages
    assert "0.0.0 is een totaalregel" in messages
