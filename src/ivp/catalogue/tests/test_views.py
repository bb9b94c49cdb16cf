"""The Themabibliotheek pages as a user sees them."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from ivp.catalogue.tests.test_content import HANDBOOK_ASPECTS, HANDBOOK_TABLE

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def text_of(page_html: str) -> str:
    """The visible text of a page, tags removed and white space collapsed."""
    without_breaks = page_html.replace("<wbr>", "")  # optional line breaks are not text
    return " ".join(re.sub(r"<[^>]+>", " ", without_breaks).split())


def test_anonymous_users_are_sent_to_login(client, synced):
    for url in (
        reverse("catalogue:overview"),
        reverse("catalogue:theme", args=["3.1"]),
        reverse("catalogue:search") + "?q=groepsscan",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_overview_is_the_handbooks_table_of_themes(browser):
    content = page(browser, reverse("catalogue:overview"))
    table = content[content.index("<table") : content.index("</table>")]
    headers = re.findall(r"<th [^>]*>(.*?)</th>", table, re.S)
    assert [text_of(h) for h in headers] == [
        f"Veld {code} {titel}" for code, titel in HANDBOOK_TABLE
    ]
    rows = re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :], re.S)
    cells = [[text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]
    columns = [[row[i] for row in cells if row[i]] for i in range(5)]
    assert columns == [
        [f"{code} {titel}" for code, titel in themes] for themes in HANDBOOK_TABLE.values()
    ]
    for code, _titel in HANDBOOK_ASPECTS:
        assert reverse("catalogue:aspect", args=[code]) in content
    for slug in ("gedigitaliseerde-criminaliteit", "zorg-en-veiligheid", "informatiemanagement"):
        assert reverse("catalogue:strategic", args=[slug]) in content
    assert "243 maatregelen en 87 effectindicatoren" in text_of(content)


def test_overview_before_the_catalogue_is_loaded(client, reader):
    client.force_login(reader)
    assert "nog niet in de database geladen" in page(client, reverse("catalogue:overview"))


def test_theme_page_shows_every_attribute(browser):
    content = text_of(page(browser, reverse("catalogue:theme", args=["3.1"])))
    assert "3.1 Jeugdoverlast" in content
    for heading in (
        "Uitleg",
        "Rol van de gemeente",
        "Partners in de aanpak",
        "Wet- en regelgeving",
        "Aanpak en maatregelen",
        "Bronnen voor effectinformatie",
        "Mogelijke effectindicatoren",
        "Instrumenten, formats en websites",
        "Raakvlakken met andere thema's",
        "Belangrijke ontwikkelingen",
    ):
        assert heading in content
    assert "Overlast door jongeren, meestal in groepen." in content
    assert "Regie voeren op de aanpak van jeugdgroepen" in content
    assert "Intern Jeugd en Welzijn, Zorg, Wijkgericht werken" in content
    assert "Wet MBVEO ('Voetbalwet'), Gemeentewet artikelen 172a en 172b" in content
    assert "3.1-m02 Groepsscan" in content
    assert "3.1-i07 Groepsscan aantal en kenmerken problematische jeugdgroepen" in content
    assert "Groepsscan, onderdeel van het 7-stappenmodel" in content
    assert "Lachgasgebruik onder jongeren." in content


def test_theme_page_shows_raakvlakken_in_both_directions(browser):
    content = page(browser, reverse("catalogue:theme", args=["3.1"]))
    names = content[content.index('id="raakvlakken"') :]
    outgoing = names[: names.index("Genoemd als raakvlak bij")]
    incoming = names[names.index("Genoemd als raakvlak bij") : names.index('id="ontwikkelingen"')]
    url = lambda code: reverse("catalogue:theme", args=[code])  # noqa: E731
    # 3.1 names 5.3; 5.4 names 3.1 but 3.1 does not name 5.4.
    assert url("5.3") in outgoing and url("5.3") in incoming
    assert url("5.4") in incoming and url("5.4") not in outgoing
    assert url("2.5") not in outgoing and url("2.5") not in incoming


def test_empty_attributes_are_named_not_hidden(browser):
    content = text_of(page(browser, reverse("catalogue:theme", args=["3.4"])))
    assert content.count("De handreiking laat dit onderdeel leeg.") == 2  # indicators, developments
    content = text_of(page(browser, reverse("catalogue:theme", args=["2.4"])))
    assert "De handreiking geeft dit onderdeel niet voor dit thema." in content
    content = page(browser, reverse("catalogue:theme", args=["1.1"]))
    assert text_of(content).count("werkt de handreiking dit onderdeel niet per thema uit") == 6
    assert reverse("catalogue:aspect", args=["A1.3"]) in content


def test_aspect_and_strategic_pages(browser):
    content = text_of(page(browser, reverse("catalogue:aspect", args=["A1.4"])))
    assert "1.4 Betrekken bewoners bij veiligheid en leefbaarheid" in content
    assert "A1.4-m07 Burgernet" in content
    assert "WhatsApp Buurtpreventie Nederland en België" in content
    content = text_of(page(browser, reverse("catalogue:strategic", args=["informatiemanagement"])))
    assert "Bestanddelen van het informatiemanagementplan" in content
    assert "3. Strategische uitgangspunten" in content
    assert "6. Coördinatie, beleidscyclus" in content
    assert "De handreiking geeft dit onderdeel niet voor dit thema." in content  # rol_gemeente


def test_unknown_codes_are_404(browser):
    assert browser.get(reverse("catalogue:theme", args=["6.1"])).status_code == 404
    assert browser.get(reverse("catalogue:aspect", args=["A1.9"])).status_code == 404
    assert browser.get(reverse("catalogue:strategic", args=["onbekend"])).status_code == 404


def _result_codes(content: str) -> list[str]:
    return re.findall(r'catalogue-result__title"><a href="/catalogus/thema/([0-9.]+)/', content)


def test_search_finds_a_theme_by_a_word_from_its_measures(browser):
    content = page(browser, reverse("catalogue:search") + "?q=kluisjescontroles")
    assert _result_codes(content) == ["3.4"]
    assert "<mark>Kluisjescontroles</mark>" in content
    assert "Maatregel 3.4-m08" in content


def test_search_all_words_must_match_and_accents_do_not_matter(browser):
    assert "5.4" in _result_codes(page(browser, reverse("catalogue:search") + "?q=ENSIA"))
    both = _result_codes(page(browser, reverse("catalogue:search") + "?q=lachgasverbod+scholen"))
    assert both == ["3.4"]
    folded = _result_codes(page(browser, reverse("catalogue:search") + "?q=casuistiek"))
    assert "1.1" in folded and "3.2" in folded
    # a former name of a theme puts that theme first
    assert (
        _result_codes(page(browser, reverse("catalogue:search") + "?q=Veilige+Publieke+Taak"))[0]
        == "5.3"
    )


def test_search_finds_aspects_and_strategic_themes(browser):
    content = page(browser, reverse("catalogue:search") + "?q=boa")
    assert reverse("catalogue:aspect", args=["A1.5"]) in content
    content = page(browser, reverse("catalogue:search") + "?q=ransomware")
    assert reverse("catalogue:strategic", args=["gedigitaliseerde-criminaliteit"]) in content


def test_search_without_results_and_with_markup(browser):
    content = page(browser, reverse("catalogue:search") + "?q=xyzzy")
    assert "Niets gevonden" in content
    raw = browser.get(reverse("catalogue:search") + "?q=<script>alert(1)</script>").content
    assert b"<script>alert(1)</script>" not in raw
    assert "minstens één woord" in page(browser, reverse("catalogue:search") + "?q=a")
