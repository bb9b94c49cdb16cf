"""A small running plan: a priority with an item and two measures, a confidential priority
with one measure, an indicator without a series, a contributor assigned to one measure."""

from __future__ import annotations

import pytest

from ivp.beleidsplan import services as bp
from ivp.plans.factories import UserFactory, give_role
from ivp.sturing import services as st
from ivp.uitvoering import services as uv


@pytest.fixture
def running(plan, coordinator):
    c = coordinator
    prio = bp.add_prioriteit(plan, by=c, titel="Jeugdoverlast", themas=["3.1"])
    secret = bp.add_prioriteit(plan, by=c, titel="Ondermijning", themas=["5.2"])
    bp.update_part(secret, by=c, expected_version=secret.version, vertrouwelijk=True)
    up = uv.create_uitvoeringsplan(plan, by=c, jaar=plan.periode_start)
    item = uv.add_onderdeel(up, by=c, titel="Groepsaanpak", prioriteit=prio)
    mine = uv.add_maatregel(item, by=c, titel="Plan per jeugdgroep")
    other = uv.add_maatregel(item, by=c, titel="Jongerenwerk in de avond")
    secret_item = uv.add_onderdeel(up, by=c, titel="Barrièremodel", prioriteit=secret)
    hidden = uv.add_maatregel(secret_item, by=c, titel="Geheime toets vergunningen")
    indicator = bp.add_indicator(
        plan,
        by=c,
        naam="Rapportcijfer veiligheid in de buurt",
        bron="veiligheidsmonitor",
        eenheid="rapportcijfer",
        richting=">=",
        uitgangswaarde=6.8,
        uitgangsjaar=2023,
        streefwaarde=7.2,
        streefjaar=plan.periode_eind,
    )
    contributor = give_role(
        plan,
        UserFactory(
            username="bijdrager",
            first_name="Bea",
            last_name="Bijdrager",
            email="bea@example.org",
            organisaties=[plan.gemeenten.first()],
        ),
        "bijdrager",
    )
    st.assign(mine, by=c, user=contributor)
    return {
        "plan": plan,
        "c": c,
        "up": up,
        "mine": mine,
        "other": other,
        "hidden": hidden,
        "indicator": indicator,
        "contributor": contributor,
    }
