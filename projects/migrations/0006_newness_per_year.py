"""Issue 15 path 10: 新引进/结转 becomes a fact of each assessment year (`projects.newness`).

`Project.is_new` was one flag per project, so next year's workbook marking last year's projects
结转 changed last year's recompute. From now on the default follows the signing date and a year may
record an override (`NewnessOverride`). So that every year with a snapshot recomputes to the
figures it had, each such year keeps, where it differs from the new default, the value it was
computed with:

- a project counted by a 仅新引进 indicator in one of the year's stored evidence lines (the
  standing snapshot of each quarter: its latest published version, else its latest version) was
  新引进 when the year was computed — whatever the flag says now (a later workbook may have
  flipped it, which is how the bug showed);
- otherwise the old flag is the best record there is.

An override is written only where that value differs from the default, with the reason
"迁移：保留原新引进/结转标记" and a history row. Then `Project.is_new` is dropped. The default rule
is copied here (migrations must not import the app's current code): 新引进 in a year unless the
project started before it — its submitted signing's date, else the year it was entered.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

REASON = "迁移：保留原新引进/结转标记"


def start_years(apps):
    """{project id: the year it started}: the submitted signing's, else its registration's."""
    Project = apps.get_model("projects", "Project")
    Milestone = apps.get_model("projects", "Milestone")
    signed = dict(
        Milestone.objects.filter(kind="signed")
        .exclude(status__in=["draft", "rejected"])
        .values_list("project_id", "date")
    )
    return {
        pk: signed[pk].year if pk in signed else timezone.localtime(created).year
        for pk, created in Project.objects.values_list("pk", "created")
    }


def counted_as_new(apps):
    """{year: {project ids}} counted by a 仅新引进 indicator in the year's standing snapshots."""
    Snapshot = apps.get_model("assessment", "Snapshot")
    SnapshotLine = apps.get_model("assessment", "SnapshotLine")
    Indicator = apps.get_model("assessment", "Indicator")
    standing = {}
    for pk, year, quarter, status in Snapshot.objects.order_by("version", "pk").values_list(
        "pk", "year__year", "quarter", "status"
    ):
        current = standing.get((year, quarter))
        if current is None or status == "published" or current[1] != "published":
            standing[(year, quarter)] = (pk, status)
    year_of = {pk: year for (year, _quarter), (pk, _status) in standing.items()}
    new_only = set(Indicator.objects.filter(new_only=True).values_list("year__year", "code"))
    out = {}
    lines = SnapshotLine.objects.filter(snapshot_id__in=list(year_of)).values_list(
        "snapshot_id", "indicator_code", "project_id"
    )
    for snapshot_id, code, project_id in lines.distinct().iterator():
        year = year_of[snapshot_id]
        if (year, code) in new_only:
            out.setdefault(year, set()).add(project_id)
    return out


def keep_computed_years(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Snapshot = apps.get_model("assessment", "Snapshot")
    NewnessOverride = apps.get_model("projects", "NewnessOverride")
    HistoricalNewnessOverride = apps.get_model("projects", "HistoricalNewnessOverride")
    years = sorted(set(Snapshot.objects.values_list("year__year", flat=True)))
    if not years:
        return
    starts = start_years(apps)
    counted = counted_as_new(apps)
    rows = []
    for pk, flag in Project.objects.values_list("pk", "is_new").iterator():
        for year in years:
            value = True if pk in counted.get(year, ()) else flag
            if value != (starts[pk] >= year):
                rows.append(NewnessOverride(project_id=pk, year=year, is_new=value, reason=REASON))
    NewnessOverride.objects.bulk_create(rows, batch_size=500)
    now = timezone.now()
    HistoricalNewnessOverride.objects.bulk_create(
        [
            HistoricalNewnessOverride(
                id=row.pk,
                project_id=row.project_id,
                year=row.year,
                is_new=row.is_new,
                reason=row.reason,
                updated=row.updated,
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for row in NewnessOverride.objects.all()
        ],
        batch_size=500,
    )




class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0005_stage_from_verified_milestones'),
        ('assessment', '0005_snapshot_evidence_lines'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalNewnessOverride',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='考核年度')),
                ('is_new', models.BooleanField(help_text='否表示结转', verbose_name='新引进')),
                ('reason', models.TextField(verbose_name='认定理由')),
                ('updated', models.DateTimeField(blank=True, editable=False, verbose_name='认定时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project', verbose_name='项目')),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='认定人')),
            ],
            options={
                'verbose_name': 'historical 新引进/结转年度认定',
                'verbose_name_plural': 'historical 新引进/结转年度认定',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='NewnessOverride',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='考核年度')),
                ('is_new', models.BooleanField(help_text='否表示结转', verbose_name='新引进')),
                ('reason', models.TextField(verbose_name='认定理由')),
                ('updated', models.DateTimeField(auto_now=True, verbose_name='认定时间')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='newness_overrides', to='projects.project', verbose_name='项目')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='认定人')),
            ],
            options={
                'verbose_name': '新引进/结转年度认定',
                'verbose_name_plural': '新引进/结转年度认定',
                'ordering': ['project', 'year'],
                'constraints': [models.UniqueConstraint(fields=('project', 'year'), name='one_newness_per_year')],
            },
        ),
        migrations.RunPython(keep_computed_years, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='historicalproject',
            name='is_new',
        ),
        migrations.RemoveField(
            model_name='project',
            name='is_new',
        ),
    ]
