"""Factories for organisations and memberships, shared by the tests and the demo.

``member_of(user, gemeenten, rol=..., beheerder=...)`` makes ``user`` a member of the
organisation of each gemeente ("Gemeente <naam>", created when missing) and assigns the
gemeenten to the user, as a functioneel beheerder would.
"""

from __future__ import annotations

from collections.abc import Iterable

import factory
from factory.django import DjangoModelFactory

from ivp.accounts.models import Lidmaatschap, Organisatie, User
from ivp.areas.models import Gemeente


class OrganisatieFactory(DjangoModelFactory):
    class Meta:
        model = Organisatie
        django_get_or_create = ("naam",)
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Organisatie {n}")
    soort = Organisatie.Soort.GEMEENTE

    @factory.post_generation
    def gemeenten(self, create, extracted, **kwargs):
        if create and extracted:
            self.gemeenten.add(*extracted)


def gemeente_organisation(gemeente: Gemeente) -> Organisatie:
    """The organisation of a gemeente, created when missing."""
    organisatie, created = Organisatie.objects.get_or_create(
        naam=f"Gemeente {gemeente.naam}", defaults={"soort": Organisatie.Soort.GEMEENTE}
    )
    if created or not organisatie.gemeenten.filter(pk=gemeente.pk).exists():
        organisatie.gemeenten.add(gemeente)
    return organisatie


def member_of(
    user: User,
    gemeenten: Iterable[Gemeente],
    *,
    rol: str = Lidmaatschap.Rol.MEDEWERKER,
    beheerder: bool = False,
) -> User:
    for gemeente in gemeenten:
        organisatie = gemeente_organisation(gemeente)
        lid, created = Lidmaatschap.objects.get_or_create(
            user=user, organisatie=organisatie, defaults={"rol": rol, "beheerder": beheerder}
        )
        if not created and (lid.rol, lid.beheerder) != (rol, beheerder):
            # Never demote: a coordinator stays one, a beheerder stays one.
            lid.rol = Lidmaatschap.Rol.COORDINATOR if rol == "coordinator" else lid.rol
            lid.beheerder = lid.beheerder or beheerder
            lid.save(update_fields=["rol", "beheerder"])
        user.organisaties.add(gemeente)
    return user
