"""Stable row codes (issue 16): 项目编号 on projects and 编号 on funds entries, unique. Existing
rows get a code each; history rows keep an empty one (the code was not part of them)."""

from django.db import migrations, models

import projects.models.fields


def fill_codes(apps, schema_editor):
    for model, new in (
        ("Project", projects.models.fields.new_project_code),
        ("FundsEntry", projects.models.fields.new_funds_code),
    ):
        Model = apps.get_model("projects", model)  # noqa: N806
        taken = set()
        rows = list(Model.objects.only("pk"))
        for row in rows:
            code = new()
            while code in taken:
                code = new()
            taken.add(code)
            row.code = code
        Model.objects.bulk_update(rows, ["code"], batch_size=500)


def field(default, verbose_name, what, unique=True):
    return models.CharField(
        default=default,
        error_messages={"unique": f"编号已被其他{what}使用，请换一个编号。"},
        max_length=20,
        unique=unique,
        db_index=not unique,
        validators=[projects.models.fields.row_code_validator],
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_newness_per_year")]

    operations = [
        migrations.AddField("project", "code", models.CharField(max_length=20, default="")),
        migrations.AddField("fundsentry", "code", models.CharField(max_length=20, default="")),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            "project", "code", field(projects.models.fields.new_project_code, "项目编号", "项目")
        ),
        migrations.AlterField(
            "fundsentry", "code", field(projects.models.fields.new_funds_code, "编号", "到位资金")
        ),
        migrations.AddField(
            "historicalproject", "code", models.CharField(max_length=20, default="")
        ),
        migrations.AddField(
            "historicalfundsentry", "code", models.CharField(max_length=20, default="")
        ),
        migrations.AlterField(
            "historicalproject",
            "code",
            field(projects.models.fields.new_project_code, "项目编号", "项目", unique=False),
        ),
        migrations.AlterField(
            "historicalfundsentry",
            "code",
            field(projects.models.fields.new_funds_code, "编号", "到位资金", unique=False),
        ),
    ]
