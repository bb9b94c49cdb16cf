import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.filter(uuid__isnull=True).only("pk"):
        plan.uuid = uuid.uuid4()
        plan.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_confidential_history_and_comments")]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="import_sha256",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                verbose_name="SHA-256 van het geïmporteerde bestand",
            ),
        ),
    ]
