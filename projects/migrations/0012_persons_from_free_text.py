"""Make persons of the free-text 引资人 and 包扶领导 (issue 19); prints what it merged.

The rule and the report: `projects.person_migration`. Reversing keeps the persons (the texts
are still there) and only unlinks them, so 0011's columns can be dropped again.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from projects import person_migration

    person_migration.apply(apps, out=lambda line: print(f"  {line}"))


def backwards(apps, schema_editor):
    apps.get_model("projects", "Introducer").objects.update(person=None)
    apps.get_model("projects", "Project").objects.update(sponsor_leader=None)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0011_persons_registry"),
        ("units", "0002_value_history"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
