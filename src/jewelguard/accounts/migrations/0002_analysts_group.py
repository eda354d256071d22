"""The Analysts group: association staff who read every accounts record in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANALYSTS_GROUP = "Analysts"
VIEWABLE_MODELS = [
    "user", "agency", "member", "store", "businesshours", "hoursexception", "staffgrant",
    "staffinvitation",
]


def create_analysts_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make accounts' ones now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=ANALYSTS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=[f"view_{model}" for model in VIEWABLE_MODELS],
        )
    )


def remove_analysts_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ANALYSTS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_analysts_group, remove_analysts_group)]
