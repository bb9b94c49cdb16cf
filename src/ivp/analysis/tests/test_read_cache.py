"""The analysis' read cache (ADR 0029): a warm veiligheidsbeeld reads no figures from the
database, and every write — an import of official or own figures, a change of a region —
is in the next one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ivp import readcache
from ivp.analysis import area
from ivp.analysis import veiligheidsbeeld as vb
from ivp.areas.models import Gemeente
from ivp.datasets import services
from ivp.datasets.tests.test_ownership import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

# a StatLine download of 47018NED with one revised figure: Ridderkerk's burglaries in 2018
STATLINE = (
    '"Soort misdrijf";"Wijken en buurten";"Perioden";"Geregistreerde misdrijven (aantal)";'
    '"Gemeentenaam (naam)";"Soort regio (omschrijving)"\n'
    '"1.1.1 Diefstal/inbraak woning";"Ridderkerk";"2018";"{value}";"Ridderkerk";"Gemeente"\n'
)
OWN = (
    "regio;periode;indicator;waarde;eenheid;bron\n"
    "GM0796;2017;Meldingen openbare ruimte;1234;aantal;Gemeente\n"
    "GM0796;2018;Meldingen openbare ruimte;{value};aantal;Gemeente\n"
)
FIGURE_TABLES = ("datasets_observation", "datasets_series", "datasets_importrun")


@pytest.fixture(autouse=True)
def _empty_cache():
    readcache.clear()
    yield
    readcache.clear()


def _burglaries_2018(code: str = "GM0597") -> float | None:
    return vb.build(code, 2018, with_wijken=False).category("1.1.1").counts["2018"]


def _meldingen(picture) -> dict:
    found = [o for t in picture.themes for o in t.other_series if o.indicator.startswith("Meld")]
    return found[0].values if found else {}


def test_a_warm_build_reads_no_figures_and_gives_the_same_picture(bundle):
    cold = vb.to_json(vb.build("GM0796", 2018))
    with CaptureQueriesContext(connection) as queries:
        warm = vb.to_json(vb.build("GM0796", 2018))
    assert warm == cold
    read = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in read if any(table in sql for table in FIGURE_TABLES)], read
    assert len(read) <= 2  # the data version (and nothing else on the demo data)


def test_an_import_of_official_figures_is_in_the_next_build(bundle):
    before = _burglaries_2018()
    assert before in (88, 89)
    assert _burglaries_2018() == before  # warm
    run = services.import_file(STATLINE.format(value=95).encode(), "47018NED.csv")
    assert run.status == "opgeslagen", run.problems
    assert _burglaries_2018() == 95
    # a gemeente whose group holds Ridderkerk sees it too: its store is read again
    bosch = vb.build("GM0597", 2018, with_wijken=False)
    assert bosch.category("1.1.1").counts["2018"] == 95


def test_a_rolled_back_import_leaves_no_trace_in_the_cache(bundle):
    from django.db import transaction

    before = _burglaries_2018()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.import_file(STATLINE.format(value=7).encode(), "47018NED.csv")
        assert _burglaries_2018() == 7  # the transaction sees its own write
        raise RuntimeError("roll back")
    assert _burglaries_2018() == before
    # the same key again (SQLite reuses the rolled-back primary keys), other figures
    services.import_file(STATLINE.format(value=8).encode(), "47018NED.csv")
    assert _burglaries_2018() == 8


def test_an_import_of_own_series_is_in_the_next_build_and_access_is_per_call(world):  # noqa: F811
    bosch = world["bosch"]
    coordinator = world["users"]["bosch-coordinator"]
    services.import_file(OWN.format(value=1301).encode(), "eigen.csv", owner=bosch)
    assert _meldingen(vb.build("GM0796", 2018, with_wijken=False))["2018"] == 1301
    # the cached read is the same for everyone; who may see it is asked on every call
    outsider = world["users"]["adam-lezer"]
    assert _meldingen(vb.build("GM0796", 2018, with_wijken=False, viewer=outsider)) == {}
    seen = vb.build("GM0796", 2018, with_wijken=False, viewer=coordinator)
    assert _meldingen(seen)["2018"] == 1301
    run = services.import_file(OWN.format(value=1400).encode(), "eigen.csv", owner=bosch)
    assert run.changed == 1
    assert _meldingen(vb.build("GM0796", 2018, with_wijken=False, viewer=coordinator)) == {
        "2017": 1234,
        "2018": 1400,
    }


def test_a_change_of_a_region_is_in_the_next_build(bundle):
    assert vb.build("GM0597", 2018, with_wijken=False).area_name == "Ridderkerk"
    ridderkerk = Gemeente.objects.get(code="GM0597")
    ridderkerk.naam = "Ridderkerk (hernoemd)"
    ridderkerk.save()
    assert vb.build("GM0597", 2018, with_wijken=False).area_name == "Ridderkerk (hernoemd)"
    # an update() sends no signal: the service that does one bumps the version itself
    Gemeente.objects.filter(code="GM0597").update(naam="Ridderkerk")
    readcache.bump()
    assert vb.build("GM0597", 2018, with_wijken=False).area_name == "Ridderkerk"


def test_the_joint_analysis_is_unchanged_by_warm_builds_of_its_members(bundle):
    codes = ["GM0597", "GM0642"]  # Ridderkerk and Zwijndrecht
    members = area.members_of(codes)
    for code in codes:
        vb.build(code, 2018)  # warm the members' stores
    first = area.build_aggregate(members, 2018)
    again = area.build_aggregate(members, 2018)
    assert vb.to_json(first) == vb.to_json(again)
    # the aggregate added its region to figures of its own, not to a cached member's
    for code in codes:
        picture = vb.build(code, 2018, with_wijken=False)
        assert area.area_code(codes) not in {m for _n, _k, ms in picture.group_members for m in ms}
    burglary = first.category("1.1.1").counts["2018"]
    parts = [vb.build(c, 2018).category("1.1.1").counts["2018"] for c in codes]
    assert burglary == sum(parts)


def test_the_cache_is_bounded(bundle):
    for code in ("GM0597", "GM0796", "GM0363", "GM0599", "GM0344", "GM0518"):
        vb.build(code, 2018, with_wijken=False)
    assert len(readcache._cache.large) <= readcache.LARGE
    assert len(readcache._cache.small) <= readcache.SMALL


def test_without_a_version_nothing_is_cached(bundle):
    from ivp.readcache.models import DataVersion

    DataVersion.objects.all().delete()  # as a flush between tests leaves it
    vb.build("GM0597", 2018, with_wijken=False)
    with CaptureQueriesContext(connection) as queries:
        vb.build("GM0597", 2018, with_wijken=False)
    assert any("datasets_observation" in q["sql"] for q in queries.captured_queries)
    readcache.bump()  # a write makes the row again
    assert readcache.version() is not None
