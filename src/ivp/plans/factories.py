"""Factories for plans, shared by the tests and the demo.

Traits: ``PlanFactory(joint=True)`` — a plan of two gemeenten; ``PlanFactory(in_analysis=True)``
— step 1 done and step 2 under way.
"""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from ivp.accounts.factories import member_of
from ivp.accounts.models import User
from ivp.areas.models import Gemeente
from ivp.plans import services
from ivp.plans.models import Plan, PlanStap, Rol
from ivp.plans.workflow import StapStatus


class GemeenteFactory(DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("code",)

    code = "GM0796"
    naam = "'s-Hertogenbosch"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("wachtwoord-voor-tests")

    @factory.post_generation
    def organisaties(self, create, extracted, **kwargs):
        """``UserFactory(organisaties=[gemeente])``: a medewerker of that gemeente."""
        if create and extracted:
            member_of(self, extracted)


class PlanFactory(factory.Factory):
    """Builds a plan through ``services.create_plan`` so that it has its six steps, a
    coordinator and a first history entry, exactly as a real plan does."""

    class Meta:
        model = Plan

    class Params:
        joint = factory.Trait(
            extra_gemeenten=factory.LazyFunction(
                lambda: [GemeenteFactory(code="GM0797", naam="Heusden")]
            )
        )
        in_analysis = factory.Trait(stappen_status={1: "afgerond", 2: "bezig"})

    titel = "Integraal Veiligheidsplan 2027–2030"
    periode_start = 2027
    periode_eind = 2030
    toelichting = ""
    gemeente = factory.SubFactory(GemeenteFactory)
    extra_gemeenten: list = []
    coordinator = factory.LazyAttribute(lambda o: UserFactory(organisaties=[o.gemeente]))
    stappen_status: dict = {}

    @classmethod
    def _create(cls, model_class, **kwargs) -> Plan:
        gemeenten = [kwargs["gemeente"], *kwargs["extra_gemeenten"]]
        coordinator: User = kwargs["coordinator"]
        member_of(coordinator, gemeenten, rol="coordinator")
        plan = services.create_plan(
            by=coordinator,
            titel=kwargs["titel"],
            gemeenten=gemeenten,
            periode_start=kwargs["periode_start"],
            periode_eind=kwargs["periode_eind"],
            toelichting=kwargs["toelichting"],
        )
        for nummer, status in sorted(kwargs["stappen_status"].items()):
            path = {
                "bezig": [StapStatus.BEZIG],
                "afgerond": [StapStatus.BEZIG, StapStatus.AFGEROND],
            }
            for target in path[status]:
                current = PlanStap.objects.get(plan=plan, nummer=nummer).status
                services.set_step_status(
                    plan, by=coordinator, nummer=nummer, status=target, expected_status=current
                )
        plan.refresh_from_db()
        return plan


def give_role(plan: Plan, user: User, rol: str = Rol.LEZER) -> User:
    """Give ``user`` a role in ``plan`` as the plan's coordinator would."""
    coordinator = plan.rollen.filter(rol=Rol.COORDINATOR).first().user
    services.set_role(plan, by=coordinator, user=user, rol=rol)
    return user
