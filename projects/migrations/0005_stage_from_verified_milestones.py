"""Issue 15: a project's stage follows its verified (approved) milestones only. Stages stored
while they followed drafts and pending claims are brought in line once; from then on
`projects.services.sync_stage` keeps them so. The rule is copied here (migrations must not
import the app's current code): terminated stays; 达效 stays while the completion is verified;
without a verified milestone a project is back in negotiation (or stays a lead)."""

from django.db import migrations

ORDER = [("completed", "completed"), ("started", "started"), ("signed", "signed")]


def stage_for(current, kinds):
    if current == "terminated":
        return current
    for kind, stage in ORDER:
        if kind in kinds:
            if stage == "completed" and current == "producing":
                return "producing"
            return stage
    return current if current in ("lead", "negotiating") else "negotiating"


def forwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Milestone = apps.get_model("projects", "Milestone")
    verified = {}
    for project_id, kind in Milestone.objects.filter(status="approved").values_list(
        "project_id", "kind"
    ):
        verified.setdefault(project_id, set()).add(kind)
    changed = []
    for project in Project.objects.exclude(stage="terminated").only("pk", "stage"):
        stage = stage_for(project.stage, verified.get(project.pk, set()))
        if stage != project.stage:
            project.stage = stage
            changed.append(project)
    Project.objects.bulk_update(changed, ["stage"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_evidence_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
