"""Every introducer now has a person (0012 linked them); the free-text columns are dropped."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0012_persons_from_free_text"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="introducer",
            name="is_intermediary",
        ),
        migrations.RemoveField(
            model_name="introducer",
            name="organisation",
        ),
        migrations.AlterField(
            model_name="introducer",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="introductions",
                to="projects.person",
                verbose_name="引资人",
            ),
        ),
        migrations.AddConstraint(
            model_name="introducer",
            constraint=models.UniqueConstraint(
                fields=("project", "person"), name="one_credit_per_person"
            ),
        ),
    ]
