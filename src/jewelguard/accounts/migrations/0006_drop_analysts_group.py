"""Admin access now follows the room policies alone; the Analysts group has no more use."""

from django.db import migrations

ANALYSTS_GROUP = "Analysts"


def drop_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ANALYSTS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_analyst_grants"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(drop_group, migrations.RunPython.noop)]
