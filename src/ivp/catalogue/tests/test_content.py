"""The shipped content against the handbook (Kernbeleid Veiligheid 2021, deel 2): the table
of themes with exact titles, the raakvlakken, which attributes the handbook leaves empty,
and spot checks of specific facts. No database needed."""

from __future__ import annotations

import pytest

from ivp.catalogue import schema as s
from ivp.catalogue.content_loader import load_catalogue

# The handbook's table of fields and themes (deel 2, opening table), typed in from the
# handbook; the content files must match it exactly.
HANDBOOK_TABLE = {
    ("1", "Veilige woon- en leefomgeving"): [
        ("1.1", "Sociale kwaliteit"),
        ("1.2", "Fysieke kwaliteit"),
        ("1.3", "Objectieve veiligheid/veel voorkomende en 'high impact'-criminaliteit"),
        ("1.4", "Subjectieve veiligheid"),
    ],
    ("2", "Bedrijvigheid en veiligheid"): [
        ("2.1", "Veilig winkelgebied"),
        ("2.2", "Veilige bedrijventerreinen"),
        ("2.3", "Veilig uitgaan"),
        ("2.4", "Veilige evenementen"),
        ("2.5", "Veilig toerisme"),
    ],
    ("3", "Jeugd en veiligheid"): [
        ("3.1", "Jeugdoverlast"),
        ("3.2", "Jeugdcriminaliteit/individuele probleemjongeren"),
        ("3.3", "Jeugd, alcohol en drugs"),
        ("3.4", "Veilig in en om de school"),
    ],
    ("4", "Fysieke veiligheid"): [
        ("4.1", "Verkeersveiligheid"),
        ("4.2", "Brandveiligheid"),
        ("4.3", "Externe veiligheid/Omgevingsveiligheid"),
        ("4.4", "Rampenbestrijding en crisisbeheersing"),
    ],
    ("5", "Integriteit en veiligheid"): [
        ("5.1", "Polarisatie en radicalisering"),
        ("5.2", "Georganiseerde/ondermijnende criminaliteit"),
        ("5.3", "Weerbare overheid/weerbaar bestuur"),
        ("5.4", "Informatieveiligheid"),
        ("5.5", "Ambtelijke en bestuurlijke integriteit"),
    ],
}

HANDBOOK_ASPECTS = [
    ("A1.1", "Infrastructuur"),
    ("A1.2", "Investeren in fysieke kwaliteit"),
    ("A1.3", "Investeren in sociale kwaliteit"),
    ("A1.4", "Betrekken bewoners bij veiligheid en leefbaarheid"),
    ("A1.5", "Toezicht en handhaving"),
    ("A1.6", "Aanpak van specifieke criminaliteitsfenomenen"),
]

PER_ASPECT = dict.fromkeys(sorted(s.PER_ASPECT_ATTRIBUTES), "per_aspect")

# Every attribute the handbook leaves empty ("leeg") or has no row for ("ontbreekt"), read
# off the handbook theme by theme. Every other attribute must have content.
HANDBOOK_GAPS = {
    "1.1": PER_ASPECT,
    "1.2": PER_ASPECT,
    "1.3": PER_ASPECT,
    "1.4": PER_ASPECT,
    "2.1": {"wet_en_regelgeving": "leeg", "ontwikkelingen": "ontbreekt"},
    "2.2": {"wet_en_regelgeving": "leeg", "ontwikkelingen": "ontbreekt"},
    "2.3": {},
    "2.4": {"ontwikkelingen": "ontbreekt"},
    "2.5": {"wet_en_regelgeving": "leeg"},
    "3.1": {},
    "3.2": {},
    "3.3": {},
    "3.4": {"effectindicatoren": "leeg", "ontwikkelingen": "leeg"},
    "4.1": {"ontwikkelingen": "ontbreekt"},
    "4.2": {},
    "4.3": {},
    "4.4": {},
    "5.1": {},
    "5.2": {},
    "5.3": {},
    "5.4": {"wet_en_regelgeving": "leeg", "effectindicatoren": "leeg"},
    "5.5": {"effectinformatie": "leeg"},
    "A1.1": {"wet_en_regelgeving": "leeg"},
    "A1.2": {"wet_en_regelgeving": "leeg"},
    "A1.3": {},
    "A1.4": {"wet_en_regelgeving": "leeg"},
    "A1.5": {},
    "A1.6": {},
}

# The raakvlakken as the handbook lists them per theme (4.2 also names itself; left out).
HANDBOOK_RAAKVLAKKEN = {
    "1.1": "1.2 1.3 1.4 2.1 2.3 3.1 3.2 3.3 5.1 5.2 5.3",
    "1.2": "1.1 1.3 1.4 2.1 2.2 2.3 3.1 3.3 3.4",
    "1.3": "1.1 1.2 1.4 2.1 2.2 2.3 2.4 2.5 3.2",
    "1.4": "1.1 1.2 1.3 3.1 4.1 5.1 5.2",
    "2.1": "1.3 2.2 2.3 2.5 3.1 3.2 3.3 3.4 4.1 4.2",
    "2.2": "1.3 2.1 2.4 3.2 4.1 4.2 4.3 4.4 5.2",
    "2.3": "1.1 1.2 1.4 2.1 2.4 2.5 3.1 3.2 3.3 4.1 4.2 4.4 5.2 5.3 5.5",
    "2.4": "1.1 1.2 1.4 2.1 2.2 2.3 2.5 3.1 3.2 3.3 4.1 4.2 4.3 4.4 5.2 5.3 5.5",
    "2.5": "1.1 1.3 2.1 2.3 2.4 3.2 3.3 4.1 4.2 4.3 4.4 5.2 5.5",
    "3.1": "1.1 1.2 1.3 1.4 2.1 2.3 2.4 3.2 3.3 3.4 5.1 5.2 5.3",
    "3.2": "1.1 1.3 1.4 2.1 2.2 2.3 2.4 3.1 3.3 5.1 5.2 5.3",
    "3.3": "1.1 1.2 1.4 2.1 2.3 2.4 3.1 3.2 4.1",
    "3.4": "1.1 1.2 1.3 2.1 3.1 3.2 3.3 4.1 4.2 5.1 5.3",
    "4.1": "1.1 1.2 1.4 2.1 2.2 2.3 2.4 2.5 3.3 3.4",
    "4.2": "1.2 2.1 2.2 2.3 2.4 2.5 3.4 4.3 4.4 5.5",
    "4.3": "1.4 2.2 2.3 2.4 2.5 4.2 4.4 5.1 5.2 5.5",
    "4.4": "2.1 2.2 2.3 2.4 2.5 4.2 4.3",
    "5.1": "1.1 1.4 2.1 2.3 2.4 3.2 4.2 4.3 4.4 5.2 5.3 5.4",
    "5.2": "1.1 1.3 1.4 3.2 3.3 5.1 5.3 5.4 5.5",
    "5.3": "1.3 1.4 2.3 2.4 3.1 3.2 3.3 5.1 5.2 5.5",
    "5.4": "1.4 2.1 2.2 2.3 2.4 2.5 3.1 3.2 3.3 3.4 4.4 5.1 5.2 5.3 5.5",
    "5.5": "1.1 1.2 1.3 1.4 2.1 2.2 2.4 2.5 4.2 4.3 5.2 5.3",
}


@pytest.fixture(scope="module")
def cat() -> s.Catalogus:
    return load_catalogue()


def _all_text(obj) -> str:
    """Every string inside a dataclass/tuple, joined (for spot checks)."""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, tuple | list):
        return "\n".join(_all_text(x) for x in obj)
    if hasattr(obj, "__dataclass_fields__"):
        return "\n".join(_all_text(getattr(obj, f)) for f in obj.__dataclass_fields__)
    return ""


def test_fields_and_themes_match_the_handbook_table(cat):
    found = {(v.code, v.titel): [(t.code, t.titel) for t in v.themas] for v in cat.velden}
    assert found == HANDBOOK_TABLE
    assert len(cat.themas) == 22


def test_field_1_has_exactly_the_six_aspects_of_approach(cat):
    assert [(a.code, a.titel) for a in cat.veld("1").aanpakaspecten] == HANDBOOK_ASPECTS
    assert all(not cat.veld(c).aanpakaspecten for c in "2345")


def test_every_raakvlak_points_to_an_existing_other_theme(cat):
    codes = {t.code for t in cat.themas}
    for thema in cat.themas:
        assert thema.raakvlakken, thema.code
        assert set(thema.raakvlakken) <= codes, thema.code
        assert thema.code not in thema.raakvlakken


def test_raakvlakken_are_the_handbooks(cat):
    assert {t.code: " ".join(t.raakvlakken) for t in cat.themas} == HANDBOOK_RAAKVLAKKEN


def test_links_in_both_directions(cat):
    # 5.4 Informatieveiligheid names 3.1 Jeugdoverlast, but 3.1 does not name 5.4.
    assert "3.1" in cat.thema("5.4").raakvlakken
    assert "5.4" not in cat.thema("3.1").raakvlakken
    assert "5.4" in cat.genoemd_bij("3.1")
    assert "4.2" not in cat.genoemd_bij("4.2")


@pytest.mark.parametrize("code", sorted(HANDBOOK_GAPS))
def test_attributes_filled_exactly_where_the_handbook_fills_them(cat, code):
    item = cat.thema(code) if s.THEMA_CODE.match(code) else cat.aanpakaspect(code)
    specs = s.THEMA_ATTRIBUTES if s.THEMA_CODE.match(code) else s.ASPECT_ATTRIBUTES
    assert dict(item.niet_in_handreiking) == HANDBOOK_GAPS[code]
    for spec in specs:
        if not spec.handbook or spec.name in HANDBOOK_GAPS[code]:
            continue
        value = getattr(item, spec.name)
        if isinstance(value, s.Partners):
            assert value.intern and value.extern, (code, spec.name)
        else:
            assert value, (code, spec.name)


def test_spot_check_31_lists_the_group_scan(cat):
    thema = cat.thema("3.1")
    assert any("Groepsscan" in i.naam for i in thema.instrumenten)
    assert any(m.tekst == "Groepsscan" for m in thema.maatregelen)
    assert any(i.bron == "Groepsscan" for i in thema.effectindicatoren)


def test_spot_check_54_names_ensia(cat):
    thema = cat.thema("5.4")
    assert any("ENSIA" in m.tekst for m in thema.maatregelen)
    assert any("ENSIA" in e for e in thema.effectinformatie)
    assert any(i.url == "https://www.ensia.nl" for i in thema.instrumenten)
    assert "Informatiebeveiligingsdienst voor gemeenten (IBD)" in thema.partners.extern


def test_spot_checks_of_laws_and_measures(cat):
    assert "Gemeentewet artikel 151b (preventief fouilleren)" in cat.thema("2.3").wet_en_regelgeving
    assert "Wet tijdelijk huisverbod" in cat.aanpakaspect("A1.6").wet_en_regelgeving
    assert "Besluit externe veiligheid inrichtingen (Bevi)" in cat.thema("4.3").wet_en_regelgeving
    assert [m.tekst for m in cat.aanpakaspect("A1.4").maatregelen][-1] == "Burgernet"
    measures_52 = _all_text(cat.thema("5.2").maatregelen)
    assert "Bedrijvenscans" in measures_52 and "Nachtregister (APV)" in measures_52
    assert len(cat.thema("5.2").maatregelen) == 25
    assert len(cat.aanpakaspect("A1.3").maatregelen) == 18


def test_spot_checks_of_indicators(cat):
    vm_14 = [i.tekst for i in cat.thema("1.4").effectindicatoren if i.bron == "Veiligheidsmonitor"]
    assert vm_14 == [
        "rapportcijfer veiligheid van de buurt",
        "veiligheidsgevoel in de eigen buurt",
        "inschatting kans op slachtofferschap",
        "vermijdingsgedrag",
    ]
    assert [i.tekst for i in cat.thema("4.4").effectindicatoren] == [
        "aantal bevolkingszorgprocessen waarvan de planvorming actueel is",
        "aantal bevolkingszorgprocessen dat jaarlijks wordt beoefend",
    ]
    assert {i.bron for i in cat.thema("5.5").effectindicatoren} == {None}


def test_former_name_of_53_is_searchable(cat):
    assert "Veilige Publieke Taak" in cat.thema("5.3").alternatieve_titels


def test_cross_cutting_strategic_themes(cat):
    sts = {st.code: st for st in cat.strategische_themas}
    assert [st.titel for st in cat.strategische_themas] == [
        "Gedigitaliseerde criminaliteit (waaronder cybercrime)",
        "Zorg en Veiligheid",
        "Informatiemanagement",
    ]
    digitaal = sts["gedigitaliseerde-criminaliteit"]
    assert len(digitaal.vormen) == 4  # the four modalities a … d
    assert len(digitaal.doelen) == 5
    assert [p.hoofdstukken for p in digitaal.plek_in_ivp] == [(2,), (4, 5)]
    zorg = sts["zorg-en-veiligheid"]
    assert len(zorg.themas) == 8
    assert [p.hoofdstukken for p in zorg.plek_in_ivp] == [(2,), (3,), (4, 5), (6,)]
    info = sts["informatiemanagement"]
    assert len(info.vormen) == 6  # the six components of the information plan
    assert [p.hoofdstukken for p in info.plek_in_ivp] == [(3,), (4, 5), (6,)]
    assert dict(info.niet_in_handreiking) == {"rol_gemeente": "ontbreekt"}
    for st in cat.strategische_themas:
        assert st.uitleg and st.vormen and st.doelen and st.plek_in_ivp and st.meer_informatie


def test_every_measure_and_indicator_has_a_unique_stable_id(cat):
    ids = [m.id for _owner, m in cat.maatregelen()] + [i.id for _owner, i in cat.indicatoren()]
    assert len(ids) == len(set(ids))
    for owner, m in cat.maatregelen():
        assert s.measure_id_pattern(owner).match(m.id)
    for owner, i in cat.indicatoren():
        assert s.indicator_id_pattern(owner).match(i.id)
    # the ids issued with content version 2021.1 (guards against renumbering)
    assert sum(1 for _ in cat.maatregelen()) == 243
    assert sum(1 for _ in cat.indicatoren()) == 87
    assert cat.thema("3.1").maatregelen[1].id == "3.1-m02"
    assert cat.thema("3.1").maatregelen[1].tekst == "Groepsscan"
    assert cat.thema("5.4").maatregelen[3].id == "5.4-m04"
    assert cat.thema("1.4").effectindicatoren[0].id == "1.4-i01"


def test_urls_are_absolute(cat):
    for thema in cat.themas:
        for i in thema.instrumenten:
            assert i.url is None or i.url.startswith("https://"), (thema.code, i)
