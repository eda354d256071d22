"""The shared rate-limit store without Redis: Django's database cache table."""

from typing import Any

from django.core.management import call_command
from django.db import migrations


def _create_cache_table(apps: Any, schema_editor: Any) -> None:
    # Creates the table of every database cache in CACHES; a no-op where it exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("playbook", "0001_initial")]

    operations = [migrations.RunPython(_create_cache_table, migrations.RunPython.noop)]
