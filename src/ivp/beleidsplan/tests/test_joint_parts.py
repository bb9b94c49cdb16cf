"""Shared and local parts of a joint plan: who edits what, and the theme rules per scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.accounts.factories import member_of
from ivp.beleidsplan import services as bp
from ivp.plans.factories import GemeenteFactory, PlanFactory, UserFactory, give_role
from ivp.plans.models import Rol

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(db):
    return PlanFactory(joint=True)  # 's-Hertogenbosch and Heusden


def _gemeente(plan, code):
    return plan.gemeenten.get(code=code)


def test_each_coordinator_edits_the_shared_parts_and_only_their_own_local_part(joint):
    root = joint.rollen.get(rol=Rol.COORDINATOR).user
    heusden = _gemeente(joint, "GM0797")
    bosch = _gemeente(joint, "GM0796")
    shared = bp.add_prioriteit(joint, by=root, titel="Ondermijning", themas=["5.2"])
    local_heusden = bp.add_prioriteit(
        joint, by=root, titel="Uitgaan Heusden", themas=["2.3"], gemeente=heusden
    )
    coordinator_bosch = UserFactory(username="bosch")
    member_of(coordinator_bosch, [bosch], rol="coordinator")
    give_role(joint, coordinator_bosch, Rol.REDACTEUR)
    # the shared part: yes, with the usual protection against overwriting
    bp.update_part(shared, by=coordinator_bosch, expected_version=shared.version, ambitie="Samen")
    with pytest.raises(bp.StaleEditError):
        bp.update_part(shared, by=root, expected_version=shared.version, ambitie="Ouder")
    # another gemeente's local part: no, and nothing changes
    with pytest.raises(PermissionDenied):
        bp.update_part(
            local_heusden, by=coordinator_bosch, expected_version=local_heusden.version, doel="X"
        )
    local_heusden.refresh_from_db()
    assert local_heusden.doel == ""
    with pytest.raises(PermissionDenied):
        bp.add_prioriteit(
            joint, by=coordinator_bosch, titel="Van een ander", themas=["4.1"], gemeente=heusden
        )
    # its own local part: yes
    own = bp.add_prioriteit(
        joint, by=coordinator_bosch, titel="Winkelgebied", themas=["2.1"], gemeente=bosch
    )
    assert own.gemeente == bosch


def test_two_gemeenten_may_both_have_a_theme_as_local_priority(joint):
    root = joint.rollen.get(rol=Rol.COORDINATOR).user
    heusden = _gemeente(joint, "GM0797")
    bosch = _gemeente(joint, "GM0796")
    bp.add_prioriteit(joint, by=root, titel="Uitgaan Heusden", themas=["2.3"], gemeente=heusden)
    bp.add_prioriteit(joint, by=root, titel="Uitgaan Bosch", themas=["2.3"], gemeente=bosch)
    with pytest.raises(ValidationError):  # a shared priority on a theme already local
        bp.add_prioriteit(joint, by=root, titel="Uitgaan samen", themas=["2.3"])
    stranger = GemeenteFactory(code="GM0363", naam="Amsterdam")
    with pytest.raises(ValidationError):
        bp.add_prioriteit(joint, by=root, titel="Elders", themas=["4.1"], gemeente=stranger)


def test_actions_have_a_short_or_long_term(joint):
    from ivp.beleidsplan.joint import parse_acties

    root = joint.rollen.get(rol=Rol.COORDINATOR).user
    acties = parse_acties("kort: één meldroute\nlang: een gezamenlijk beeld\nzonder termijn")
    assert [a["termijn"] for a in acties] == ["kort", "lang", ""]
    p = bp.add_prioriteit(joint, by=root, titel="Zorg", themas=["1.1"], acties=acties)
    assert p.acties[0] == {"tekst": "één meldroute", "termijn": "kort"}
    with pytest.raises(ValidationError):
        bp.update_part(
            p, by=root, expected_version=p.version, acties=[{"tekst": "x", "termijn": "morgen"}]
        )


def test_a_police_analyst_can_be_given_read_access(joint, client):
    from ivp.accounts.models import Lidmaatschap, Organisatie

    analyst = UserFactory(username="analist")
    politie = Organisatie.objects.create(naam="Politie", soort=Organisatie.Soort.POLITIE)
    Lidmaatschap.objects.create(user=analyst, organisatie=politie, rol="medewerker")
    client.force_login(analyst)
    assert client.get(f"/plannen/{joint.pk}/").status_code == 404
    give_role(joint, analyst, Rol.LEZER)
    assert client.get(f"/plannen/{joint.pk}/").status_code == 200
    root = joint.rollen.get(rol=Rol.COORDINATOR).user
    shared = bp.add_prioriteit(joint, by=root, titel="Ondermijning", themas=["5.2"])
    with pytest.raises(PermissionDenied):
        bp.update_part(shared, by=analyst, expected_version=shared.version, doel="X")
