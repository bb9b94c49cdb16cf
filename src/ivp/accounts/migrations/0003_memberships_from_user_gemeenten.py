"""Data: every user linked to gemeenten (``User.organisaties``) becomes a member of the
organisation of each of those gemeenten ("Gemeente <naam>", created here); a user who
coordinates a plan becomes a coordinator of the organisation, so that who could start plans
before this change still can. Reversing removes the organisations made here."""

from django.db import migrations


def forward(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Organisatie = apps.get_model("accounts", "Organisatie")
    Lidmaatschap = apps.get_model("accounts", "Lidmaatschap")
    PlanRol = apps.get_model("plans", "PlanRol")
    coordinators = set(
        PlanRol.objects.filter(rol="coordinator").values_list("user_id", flat=True)
    )
    for user in User.objects.filter(is_superuser=False).prefetch_related("organisaties"):
        for gemeente in user.organisaties.all():
            organisatie, _ = Organisatie.objects.get_or_create(
                naam=f"Gemeente {gemeente.naam}", defaults={"soort": "gemeente"}
            )
            organisatie.gemeenten.add(gemeente)
            Lidmaatschap.objects.get_or_create(
                user=user,
                organisatie=organisatie,
                defaults={
                    "rol": "coordinator" if user.pk in coordinators else "medewerker"
                },
            )


def backward(apps, schema_editor):
    apps.get_model("accounts", "Organisatie").objects.filter(
        naam__startswith="Gemeente ", soort="gemeente"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisations_invitations_sso"),
        ("plans", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
