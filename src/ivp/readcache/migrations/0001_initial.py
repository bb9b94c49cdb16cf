import uuid

from django.db import migrations, models


def first_version(apps, schema_editor):
    DataVersion = apps.get_model("readcache", "DataVersion")
    DataVersion.objects.using(schema_editor.connection.alias).create(pk=1, token=uuid.uuid4().hex)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={"verbose_name": "dataversie", "verbose_name_plural": "dataversie"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
