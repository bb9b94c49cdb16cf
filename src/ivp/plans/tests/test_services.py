import pytest
from django.core.exceptions import PermissionDenied

from ivp.accounts.factories import member_of
from ivp.plans import services
from ivp.plans.factories import GemeenteFactory, PlanFactory, UserFactory
from ivp.plans.models import Plan, Rol, Wijziging

pytestmark = pytest.mark.django_db


def test_a_new_plan_has_six_unstarted_steps_and_its_creator_as_coordinator(gemeente):
    user = member_of(UserFactory(), [gemeente], rol="coordinator")
    plan = services.create_plan(
        by=user, titel="IVP 2027–2030", gemeenten=[gemeente], periode_start=2027, periode_eind=2030
    )
    assert [(s.nummer, s.status) for s in plan.stappen.all()] == [
        (n, "niet_gestart") for n in range(1, 7)
    ]
    assert plan.rollen.get().user == user
    assert plan.rollen.get().rol == Rol.COORDINATOR
    assert plan.wijzigingen.get().actie == "aangemaakt"


def test_a_medewerker_does_not_create_plans(gemeente):
    user = UserFactory(organisaties=[gemeente])
    with pytest.raises(PermissionDenied):
        services.create_plan(
            by=user, titel="X", gemeenten=[gemeente], periode_start=2027, periode_eind=2030
        )
    assert not Plan.objects.exists()


def test_nobody_creates_a_plan_for_another_municipality(gemeente):
    other = GemeenteFactory(code="GM0597", naam="Ridderkerk")
    user = member_of(UserFactory(), [gemeente], rol="coordinator")
    with pytest.raises(PermissionDenied):
        services.create_plan(
            by=user, titel="X", gemeenten=[other], periode_start=2027, periode_eind=2030
        )
    assert not Plan.objects.exists()


def test_an_edit_is_recorded_with_who_and_what(plan, coordinator):
    services.update_plan(
        plan, by=coordinator, expected_version=plan.version, titel="IVP Den Bosch 2027–2030"
    )
    change = plan.wijzigingen.first()
    assert change.user == coordinator
    assert change.velden == {
        "titel": ["Integraal Veiligheidsplan 2027–2030", "IVP Den Bosch 2027–2030"]
    }


def test_a_stale_edit_is_refused_and_changes_nothing(plan, coordinator, make_member):
    editor = make_member(Rol.REDACTEUR)
    read_version = plan.version
    services.update_plan(plan, by=coordinator, expected_version=read_version, toelichting="Eerste")
    stale = Plan.objects.get(pk=plan.pk)
    with pytest.raises(services.ConcurrentEditError):
        services.update_plan(stale, by=editor, expected_version=read_version, toelichting="Tweede")
    plan.refresh_from_db()
    assert plan.toelichting == "Eerste"
    assert not Wijziging.objects.filter(user=editor).exists()


def test_an_editor_edits_content_but_not_the_period(plan, make_member):
    editor = make_member(Rol.REDACTEUR)
    services.update_plan(plan, by=editor, expected_version=plan.version, toelichting="Nieuw")
    with pytest.raises(PermissionDenied):
        services.update_plan(plan, by=editor, expected_version=plan.version, periode_eind=2031)
    plan.refresh_from_db()
    assert (plan.toelichting, plan.periode_eind) == ("Nieuw", 2030)


def test_a_viewer_changes_nothing(plan, make_member):
    viewer = make_member(Rol.LEZER)
    with pytest.raises(PermissionDenied):
        services.update_plan(plan, by=viewer, expected_version=plan.version, titel="Gekaapt")
    with pytest.raises(PermissionDenied):
        services.add_reactie(plan, by=viewer, onderwerp="x", tekst="y")
    plan.refresh_from_db()
    assert plan.titel == "Integraal Veiligheidsplan 2027–2030"


def test_a_contributor_comments_but_does_not_edit(plan, make_member):
    contributor = make_member(Rol.BIJDRAGER)
    services.add_reactie(
        plan,
        by=contributor,
        onderwerp="Jeugdoverlast",
        tekst="Cijfers wijk Noord?",
        voorstel_tekst="…",
    )
    assert plan.reacties.get().auteur == contributor
    with pytest.raises(PermissionDenied):
        services.add_werkgroeplid(plan, by=contributor, naam="X", organisatie="Y")


def test_a_click_on_a_stale_step_changes_nothing(plan, coordinator):
    # step 2 is 'bezig' in this plan; a page that still shows 'niet_gestart' is stale
    with pytest.raises(services.StaleStepError):
        services.set_step_status(
            plan, by=coordinator, nummer=2, status="bezig", expected_status="niet_gestart"
        )
    assert plan.stappen.get(nummer=2).status == "bezig"


def test_the_last_coordinator_cannot_be_removed(plan, coordinator):
    with pytest.raises(ValueError):
        services.set_role(plan, by=coordinator, user=coordinator, rol=Rol.LEZER)


def test_a_joint_plan_belongs_to_two_municipalities(db):
    plan = PlanFactory(joint=True)
    assert sorted(plan.gemeenten.values_list("code", flat=True)) == ["GM0796", "GM0797"]
