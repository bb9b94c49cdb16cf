import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    ImportRun = apps.get_model("datasets", "ImportRun")
    for run in ImportRun.objects.filter(uuid__isnull=True).only("pk"):
        run.uuid = uuid.uuid4()
        run.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("datasets", "0002_dataset_and_importrun_owner")]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="importrun",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
