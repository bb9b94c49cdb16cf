"""Organisations: who works for which gemeenten, who may start plans, and what a
functioneel beheerder may do."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ivp.accounts import gemeenten_of, plan_gemeenten_of, services
from ivp.accounts.factories import OrganisatieFactory, member_of
from ivp.accounts.models import Lidmaatschap, Organisatie, Uitnodiging, User
from ivp.plans import services as plan_services
from ivp.plans.access import Permission, can, plans_for_user
from ivp.plans.factories import GemeenteFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bosch(db):
    return GemeenteFactory()


@pytest.fixture
def ridderkerk(db):
    return GemeenteFactory(code="GM0597", naam="Ridderkerk")


@pytest.fixture
def beheerder(bosch):
    return member_of(UserFactory(username="beheerder"), [bosch], beheerder=True)


@pytest.fixture
def organisatie(beheerder):
    return Organisatie.objects.get(naam="Gemeente 's-Hertogenbosch")


def invite(organisatie, by, email="nieuw@example.org", **kwargs):
    return services.invite(
        organisatie,
        by=by,
        email=email,
        first_name="Nieuwe",
        last_name="Collega",
        gemeenten=kwargs.pop("gemeenten", list(organisatie.gemeenten.all())),
        base_url="http://testserver/",
        **kwargs,
    )


def test_a_medewerker_works_for_the_assigned_gemeenten_but_starts_no_plans(bosch, ridderkerk):
    user = member_of(UserFactory(), [bosch])
    assert list(gemeenten_of(user)) == [bosch]
    assert not plan_gemeenten_of(user).exists()


def test_a_coordinator_starts_plans_only_for_the_organisations_gemeenten(bosch, ridderkerk):
    user = member_of(UserFactory(), [bosch], rol="coordinator")
    assert list(plan_gemeenten_of(user)) == [bosch]
    with pytest.raises(PermissionDenied):
        plan_services.create_plan(
            by=user, titel="X", gemeenten=[ridderkerk], periode_start=2027, periode_eind=2030
        )


def test_an_organisation_covering_all_gemeenten_lets_its_coordinator_start_anywhere(
    bosch, ridderkerk
):
    demo = OrganisatieFactory(naam="Demo", alle_gemeenten=True)
    user = UserFactory()
    Lidmaatschap.objects.create(user=user, organisatie=demo, rol="coordinator")
    assert set(plan_gemeenten_of(user)) == {bosch, ridderkerk}
    plan = plan_services.create_plan(
        by=user,
        titel="IVP Ridderkerk",
        gemeenten=[ridderkerk],
        periode_start=2027,
        periode_eind=2030,
    )
    assert plan.rollen.get().user == user


def test_an_inactive_user_works_nowhere(bosch):
    user = member_of(UserFactory(is_active=False), [bosch], rol="coordinator")
    assert not gemeenten_of(user).exists()
    assert not plan_gemeenten_of(user).exists()


def test_a_beheerder_invites_and_the_mail_carries_a_link(organisatie, beheerder, bosch):
    result = invite(organisatie, beheerder, rol="coordinator")
    user = result.user
    assert user.email == "nieuw@example.org"
    assert not user.has_usable_password()
    assert list(gemeenten_of(user)) == [bosch]
    assert user.lidmaatschappen.get().rol == "coordinator"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@example.org"]
    assert "Gemeente 's-Hertogenbosch" in message.subject
    assert result.link in message.body
    # only a hash is stored
    token = result.link.rstrip("/").rsplit("/", 1)[-1]
    assert not Uitnodiging.objects.filter(token_hash=token).exists()
    assert services.open_invitation(token) == result.uitnodiging


def test_only_a_beheerder_of_the_organisation_invites(organisatie, bosch):
    colleague = member_of(UserFactory(), [bosch], rol="coordinator")
    with pytest.raises(PermissionDenied):
        invite(organisatie, colleague)
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert mail.outbox == []


def test_an_invitation_for_a_gemeente_outside_the_organisation_stores_nothing(
    organisatie, beheerder, ridderkerk
):
    with pytest.raises(ValueError, match="Ridderkerk hoort niet bij"):
        invite(organisatie, beheerder, gemeenten=[ridderkerk])
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert mail.outbox == []


def test_someone_already_in_the_organisation_is_not_invited_twice(organisatie, beheerder):
    invite(organisatie, beheerder)
    with pytest.raises(ValueError, match="al lid"):
        invite(organisatie, beheerder, email="NIEUW@example.org")
    assert User.objects.filter(email="nieuw@example.org").count() == 1


def test_an_organisation_keeps_a_beheerder(organisatie, beheerder, bosch):
    lid = beheerder.lidmaatschappen.get()
    with pytest.raises(ValueError, match="ten minste één functioneel beheerder"):
        services.update_member(
            lid, by=beheerder, rol="medewerker", beheerder=False, gemeenten=[bosch]
        )
    with pytest.raises(ValueError, match="ten minste één functioneel beheerder"):
        services.remove_member(lid, by=beheerder)
    lid.refresh_from_db()
    assert lid.beheerder


def test_removing_a_member_ends_access_to_the_organisations_plans(organisatie, beheerder, bosch):
    plan = PlanFactory(gemeente=bosch)
    result = invite(organisatie, beheerder)
    assert plan in plans_for_user(result.user)
    services.remove_member(result.lidmaatschap, by=beheerder)
    result.user.refresh_from_db()
    assert not result.user.is_active
    assert plan not in plans_for_user(result.user)


def test_a_beheerder_gives_roles_in_the_plans_of_the_organisation(
    organisatie, beheerder, bosch, ridderkerk
):
    plan = PlanFactory(gemeente=bosch)
    other = PlanFactory(gemeente=ridderkerk, coordinator=UserFactory(username="rk"))
    assert can(beheerder, plan, Permission.MANAGE_ROLES)
    assert not can(beheerder, plan, Permission.EDIT_CONTENT)
    assert not can(beheerder, other, Permission.VIEW)
    person = invite(organisatie, beheerder).user
    plan_services.set_roles(by=beheerder, changes=[(plan, person, "redacteur")])
    assert can(person, plan, Permission.EDIT_CONTENT)
    with pytest.raises(PermissionDenied):
        plan_services.set_roles(by=beheerder, changes=[(other, person, "redacteur")])


def test_the_data_migration_makes_members_of_linked_users(bosch):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "ivp.accounts.migrations.0003_memberships_from_user_gemeenten"
    )

    coordinator = PlanFactory(gemeente=bosch).rollen.get().user
    reader = UserFactory(username="oud")
    reader.organisaties.add(bosch)
    Lidmaatschap.objects.all().delete()
    Organisatie.objects.all().delete()
    migration.forward(apps, None)
    assert reader.lidmaatschappen.get().rol == "medewerker"
    assert coordinator.lidmaatschappen.get().rol == "coordinator"
    assert coordinator.lidmaatschappen.get().organisatie.naam == "Gemeente 's-Hertogenbosch"


# -- pages --------------------------------------------------------------------------------


def test_a_reader_sees_no_new_plan_button_and_cannot_open_the_form(client, bosch):
    reader = member_of(UserFactory(), [bosch])
    client.force_login(reader)
    assert "Nieuw plan" not in client.get(reverse("plans:home")).content.decode()
    response = client.get(reverse("plans:new"))
    assert response.status_code == 403
    assert "coördinator van een organisatie" in response.content.decode()
    response = client.post(
        reverse("plans:new"),
        {"titel": "X", "gemeenten": [bosch.pk], "periode_start": 2027, "periode_eind": 2030},
    )
    assert response.status_code == 403


def test_the_new_plan_form_names_the_missing_gemeente(client, bosch):
    coordinator = member_of(UserFactory(), [bosch], rol="coordinator")
    client.force_login(coordinator)
    page = client.post(
        reverse("plans:new"), {"titel": "X", "periode_start": 2027, "periode_eind": 2030}
    ).content.decode()
    assert 'href="#id_gemeenten_groep">Gemeenten: Kies ten minste één gemeente.</a>' in page
    assert '<legend class="ivp-field__label">Gemeenten</legend>' in page
    assert 'for=""' not in page
    assert 'for="id_gemeenten_0"' in page


def test_the_organisation_pages_are_for_its_beheerders_only(client, organisatie, bosch):
    client.force_login(member_of(UserFactory(), [bosch], rol="coordinator"))
    assert client.get(reverse("accounts:organisatie", args=[organisatie.pk])).status_code == 404
    assert client.get(reverse("accounts:uitnodigen", args=[organisatie.pk])).status_code == 404
    assert client.get(reverse("accounts:organisaties")).status_code == 403


def test_inviting_through_the_page(client, organisatie, beheerder, bosch):
    client.force_login(beheerder)
    response = client.post(
        reverse("accounts:uitnodigen", args=[organisatie.pk]),
        {
            "email": "jan@example.org",
            "first_name": "Jan",
            "last_name": "Jansen",
            "rol": "medewerker",
            "gemeenten": [bosch.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "jan@example.org is uitgenodigd" in page
    assert len(mail.outbox) == 1
    members = client.get(reverse("accounts:organisatie", args=[organisatie.pk])).content.decode()
    assert "Jan Jansen" in members
    assert "uitgenodigd, link geldig tot" in members


def test_the_invitation_link_sets_a_password_once(client, organisatie, beheerder):
    result = invite(organisatie, beheerder)
    path = result.link.replace("http://testserver", "")
    assert "Kies uw wachtwoord" in client.get(path).content.decode()

    weak = client.post(path, {"new_password1": "kort", "new_password2": "kort"})
    assert weak.status_code == 200
    assert "te kort" in weak.content.decode()  # Django's own message, in Dutch
    result.user.refresh_from_db()
    assert not result.user.has_usable_password()

    response = client.post(
        path, {"new_password1": "een-goed-wachtwoord-7", "new_password2": "een-goed-wachtwoord-7"}
    )
    assert response.status_code == 302
    assert client.get(reverse("plans:home")).status_code == 200  # logged in
    result.user.refresh_from_db()
    assert result.user.check_password("een-goed-wachtwoord-7")

    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()


def test_an_expired_invitation_is_refused_and_can_be_sent_again(client, organisatie, beheerder):
    from datetime import timedelta

    from django.utils import timezone

    result = invite(organisatie, beheerder)
    Uitnodiging.objects.update(verloopt_op=timezone.now() - timedelta(minutes=1))
    path = result.link.replace("http://testserver", "")
    response = client.get(path)
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    client.force_login(beheerder)
    client.post(
        reverse("accounts:lid_opnieuw_uitnodigen", args=[organisatie.pk, result.lidmaatschap.pk])
    )
    assert len(mail.outbox) == 2
    assert "Kies uw wachtwoord" not in client.get(path).content.decode()


def test_the_outbox_shows_sent_mail_only_when_switched_on(
    client, settings, tmp_path, organisatie, beheerder
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.IVP_MAIL_OUTBOX = False
    result = invite(organisatie, beheerder)
    assert client.get(reverse("accounts:postvak")).status_code == 404
    settings.IVP_MAIL_OUTBOX = True
    page = client.get(reverse("accounts:postvak")).content.decode()
    assert "Uitnodiging voor ivp van Gemeente" in page
    assert result.link in page
