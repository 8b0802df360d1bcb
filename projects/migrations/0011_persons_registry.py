"""The persons registry (issue 19): Person, an introducer's person, a project's sponsor leader."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0010_amount_too_large_wording"),
        ("units", "0002_value_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The free-text 包扶领导 stays, renamed, until `0011` has made persons of it.
        migrations.RenameField("project", "sponsor_leader", "sponsor_leader_text"),
        migrations.RenameField("historicalproject", "sponsor_leader", "sponsor_leader_text"),
        migrations.AlterField(
            model_name="historicalproject",
            name="sponsor_leader_text",
            field=models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="包扶领导（原填写）"
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="sponsor_leader_text",
            field=models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="包扶领导（原填写）"
            ),
        ),
        migrations.AlterField(
            model_name="introducer",
            name="name",
            field=models.CharField(editable=False, max_length=100, verbose_name="姓名（记录时）"),
        ),
        migrations.CreateModel(
            name="HistoricalPerson",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="姓名")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("staff", "单位干部职工"),
                            ("leader", "市县领导"),
                            ("intermediary", "中介人"),
                        ],
                        max_length=20,
                        verbose_name="身份",
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=50, verbose_name="职务")),
                (
                    "organisation",
                    models.CharField(blank=True, max_length=200, verbose_name="单位/机构"),
                ),
                ("contact", models.CharField(blank=True, max_length=50, verbose_name="联系方式")),
                ("registered_on", models.DateField(blank=True, null=True, verbose_name="登记日期")),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "有效"), ("inactive", "停用")],
                        default="active",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                (
                    "created",
                    models.DateTimeField(blank=True, editable=False, verbose_name="登记时间"),
                ),
                (
                    "updated",
                    models.DateTimeField(blank=True, editable=False, verbose_name="更新时间"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="单位干部职工必填；县领导可填所在县区；中介人不填。",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="units.unit",
                        verbose_name="所属单位",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="系统账号",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 人员",
                "verbose_name_plural": "historical 人员库",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Person",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="姓名")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("staff", "单位干部职工"),
                            ("leader", "市县领导"),
                            ("intermediary", "中介人"),
                        ],
                        max_length=20,
                        verbose_name="身份",
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=50, verbose_name="职务")),
                (
                    "organisation",
                    models.CharField(blank=True, max_length=200, verbose_name="单位/机构"),
                ),
                ("contact", models.CharField(blank=True, max_length=50, verbose_name="联系方式")),
                ("registered_on", models.DateField(blank=True, null=True, verbose_name="登记日期")),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "有效"), ("inactive", "停用")],
                        default="active",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        help_text="单位干部职工必填；县领导可填所在县区；中介人不填。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="persons",
                        to="units.unit",
                        verbose_name="所属单位",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="person",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="系统账号",
                    ),
                ),
            ],
            options={
                "verbose_name": "人员",
                "verbose_name_plural": "人员库",
                "ordering": ["kind", "name", "pk"],
            },
        ),
        migrations.AddField(
            model_name="introducer",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="introductions",
                to="projects.person",
                verbose_name="引资人",
            ),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="sponsor_leader",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="projects.person",
                verbose_name="包扶领导",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="sponsor_leader",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sponsored_projects",
                to="projects.person",
                verbose_name="包扶领导",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["kind", "unit", "name"], name="person_kind_unit_name"),
        ),
    ]
