"""Region codes, the bundled region facts and the areas loader."""

import pytest

from ivp.areas import sources
from ivp.areas.codes import RegioSoort, gemeente_of, normalize_code, region_kind
from ivp.areas.services import load_areas, region_names, size_class


@pytest.mark.parametrize(
    ("raw", "code", "kind"),
    [
        ("GM0597    ", "GM0597", RegioSoort.GEMEENTE),
        ("NL00      ", "NL01", RegioSoort.LAND),
        ("WK079601  ", "WK079601", RegioSoort.WIJK),
        ("BU07960101", "BU07960101", RegioSoort.BUURT),
        ("WK0363AA  ", "WK0363AA", RegioSoort.WIJK),  # Amsterdam's codes have letters
        ("BU0363AA01", "BU0363AA01", RegioSoort.BUURT),
        ("RE09  ", "RE09", RegioSoort.POLITIE_EENHEID),
        ("PV30  ", "PV30", RegioSoort.PROVINCIE),
        ("VR21", "VR21", RegioSoort.VEILIGHEIDSREGIO),
    ],
)
def test_codes(raw, code, kind):
    assert normalize_code(raw) == code
    assert region_kind(code) is kind


def test_not_codes():
    for text in ("Ridderkerk", "GM597", "WK07960", "RE11", "VR26"):
        assert region_kind(normalize_code(text)) is None
    assert gemeente_of("BU07960101") == "GM0796"


def test_every_veiligheidsregio_is_in_exactly_one_unit():
    covered = [vr for _name, vrs in sources.POLITIE_EENHEDEN.values() for vr in vrs]
    assert sorted(covered) == sorted(sources.VEILIGHEIDSREGIOS)
    assert len(sources.POLITIE_EENHEDEN) == 10


def test_mergers_lie_in_one_veiligheidsregio():
    vr = {code: region for code, (_name, region) in sources.read_vr_list().items()}
    for code, (_date, predecessors) in sources.MERGERS.items():
        assert len({vr[p] for p in predecessors}) == 1, code


def test_size_classes():
    assert size_class(46015)[2] == "20.000 tot 50.000 inwoners"
    assert size_class(152922)[2] == "150.000 tot 250.000 inwoners"
    assert size_class(250000)[0] == 250000


@pytest.mark.django_db
def test_load_areas_is_idempotent():
    first = load_areas()
    # 342 of 2024 + GM0000 + 98 former codes of the population data + 19 former gemeenten
    # that merged before 2012 and occur only in 83648NED
    assert first.created["gemeenten"] == 460
    assert first.created["wijken"] == 3393 and first.created["buurten"] == 14574
    second = load_areas()
    assert not any(second.created.values()) and not any(second.updated.values())
    names = region_names(
        ["GM0796", "WK0363AA", "RE09", "VR21", "NL01", "PV30", "XX", "GM0844", "GM0305"]
    )
    assert names["GM0796"] == "'s-Hertogenbosch"
    assert names["GM0844"] == "Schijndel" and names["GM0305"] == "Abcoude"  # former gemeenten
    assert names["RE09"] == "Oost-Brabant"
    assert names["NL01"] == "Nederland"
    assert "XX" not in names
