"""submitted_at on claims (issue 21): the time of the latest move to 已申报, filled from the
ClaimEvent history (the same value the review queue computed by a correlated subquery)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# (claim model, its foreign key on ClaimEvent)
CLAIMS = [("milestone", "milestone"), ("monthlyinvestment", "investment"), ("fundsentry", "funds")]


def fill_submitted_at(apps, schema_editor):
    """One UPDATE per claim type; raw queryset update, so the write guard (a runtime signal and
    queryset of the live models) is not involved — the value carries no figure."""
    event = apps.get_model("projects", "ClaimEvent")
    for model_name, fk in CLAIMS:
        model = apps.get_model("projects", model_name)
        latest = (
            event.objects.filter(**{fk: OuterRef("pk")}, to_status="submitted")
            .order_by("-created", "-pk")
            .values("created")[:1]
        )
        model.objects.update(submitted_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0017_project_deputy_leader"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="fundsentry",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="申报时间"
            ),
        ),
        migrations.AddField(
            model_name="historicalfundsentry",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="申报时间"
            ),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="申报时间"
            ),
        ),
        migrations.AddField(
            model_name="historicalmonthlyinvestment",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="申报时间"
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="申报时间"
            ),
        ),
        migrations.AddField(
            model_name="monthlyinvestment",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="申报时间"
            ),
        ),
        migrations.AddIndex(
            model_name="fundsentry",
            index=models.Index(
                fields=["status", "submitted_at"], name="projects_fu_status_450bc4_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(
                fields=["status", "submitted_at"], name="projects_mi_status_ae71f9_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyinvestment",
            index=models.Index(
                fields=["status", "submitted_at"], name="projects_mo_status_0e6b1e_idx"
            ),
        ),
        migrations.RunPython(fill_submitted_at, migrations.RunPython.noop),
    ]
