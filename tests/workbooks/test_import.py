"""A clean workbook imports all; re-import changes nothing; --verified migrates history."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from assessment.models import AssessmentYear, Indicator, Target
from assessment.workbooks.importer import import_workbook
from assessment.workbooks.writer import VERIFIED_REASON
from projects import newness
from projects.models import (
    ClaimEvent,
    ClaimStatus,
    CreditShare,
    FundsEntry,
    Industry,
    Milestone,
    MonthlyInvestment,
    Project,
    Stage,
)
from tests.factories import MilestoneFactory, ProjectFactory
from tests.workbooks.conftest import build_workbook, project_row
from units.models import CollaborationGroup, GroupMembership, Unit

pytestmark = pytest.mark.django_db


def year_workbook():
    return build_workbook(
        {
            "单位": [["南河县", "县区", "赵县长"], ["东湖区", "县区", "王建华"]],
            "协作组": [[2025, "第一招商协作组", "张建国", "市发展和改革委员会", "东湖区、南河县"]],
            "考核指标": [
                [
                    2025,
                    "signed_100m",
                    "新引进亿元合同项目",
                    "节点项目个数",
                    "签约",
                    "合同投资",
                    10000,
                    "是",
                    "",
                    25,
                ],
                [2025, "funds", "实际到位资金", "实际到位资金", "", "", None, "否", "", 15],
            ],  # fmt: skip
            "目标": [
                [2025, "东湖区", "signed_100m", 4],
                [2025, "第一招商协作组", "funds", 50000],
            ],
            "项目": [
                project_row(),
                project_row(
                    name="智能装备产业园",
                    unit="南河县",
                    产业="高端装备",
                    签约日期=None,
                    开工日期=None,
                    **{"新引进/结转": "结转"},
                ),
            ],  # fmt: skip
            "分成": [["新能源电机项目", "东湖区", 60], ["新能源电机项目", "西山区", 40]],
            "固定资产投资": [["新能源电机项目", "2025-03", 3200.5]],
            "到位资金": [["新能源电机项目", "2025-02-10", "企业和个人投资", 8000]],
        }
    )


def test_clean_workbook_creates_everything(city, reviewer):
    report = import_workbook(year_workbook(), user=reviewer)
    assert report.ok, report.errors

    assert Unit.objects.get(name="南河县").head_name == "赵县长"
    group = CollaborationGroup.objects.get(year=2025, name="第一招商协作组")
    assert group.lead_unit.name == "市发展和改革委员会"
    assert set(group.memberships.values_list("unit__name", flat=True)) == {"东湖区", "南河县"}
    assert AssessmentYear.objects.filter(year=2025).exists()
    assert Indicator.objects.get(code="signed_100m").threshold == Decimal("10000")
    assert Target.objects.get(group=group).value == Decimal("50000")

    project = Project.objects.get(name="新能源电机项目")
    assert project.unit.name == "东湖区" and newness.is_new_in(project, 2025)
    # The stage follows verified milestones only: imported dates wait for verification.
    assert project.stage == Stage.NEGOTIATING
    assert {(m.kind, m.status) for m in project.milestones.all()} == {
        ("signed", ClaimStatus.SUBMITTED),
        ("started", ClaimStatus.SUBMITTED),
    }
    shares = {s.unit.name: s.percent for s in project.credit_shares.select_related("unit")}
    assert shares == {"东湖区": Decimal("60"), "西山区": Decimal("40")}
    assert project.investments.get().amount == Decimal("3200.50")
    assert project.funds.get().amount == Decimal("8000")
    carried = Project.objects.get(name="智能装备产业园")
    assert not newness.is_new_in(carried, 2025) and carried.industry.name == "高端装备"
    assert report.new_industries == ["高端装备"]
    assert project.created_by == reviewer


def test_reimporting_the_same_workbook_changes_nothing(city):
    assert import_workbook(year_workbook()).ok
    models = [Unit, Project, Milestone, MonthlyInvestment, FundsEntry, CreditShare, Target,
              GroupMembership, ClaimEvent, Industry]  # fmt: skip
    before = {m.__name__: m.objects.count() for m in models}
    history_before = Project.history.count() + Milestone.history.count()

    report = import_workbook(year_workbook())

    assert report.ok
    assert {m.__name__: m.objects.count() for m in models} == before
    assert Project.history.count() + Milestone.history.count() == history_before
    assert all(c["created"] == 0 and c["updated"] == 0 for c in report.counts.values())


def test_existing_project_of_same_name_and_unit_is_updated_not_duplicated(city):
    existing = ProjectFactory(name="新能源电机项目", unit=city["a"], total_investment=1000,
                              contracted_investment=500)  # fmt: skip
    report = import_workbook(build_workbook({"项目": [project_row()]}))
    assert report.ok
    assert Project.objects.filter(name="新能源电机项目").count() == 1
    existing.refresh_from_db()
    assert existing.total_investment == Decimal("52000")
    assert report.counts["项目"]["updated"] == 1


def test_dry_run_counts_but_saves_nothing(city):
    report = import_workbook(year_workbook(), dry_run=True)
    assert report.ok
    assert report.counts["项目"]["created"] == 2
    assert report.counts["项目节点"]["created"] == 2
    assert not Project.objects.exists()
    assert not Unit.objects.filter(name="南河县").exists()
    assert not Industry.objects.filter(name="高端装备").exists()


def test_verified_import_approves_claims_with_history_reason_and_events(city, reviewer):
    report = import_workbook(year_workbook(), verified=True, user=reviewer)
    assert report.ok
    milestone = Milestone.objects.get(kind="signed")
    assert milestone.status == ClaimStatus.APPROVED
    assert milestone.history.first().history_change_reason == VERIFIED_REASON
    event = ClaimEvent.objects.get(milestone=milestone)
    assert event.to_status == ClaimStatus.APPROVED and event.comment == "历史数据导入"
    assert event.actor == reviewer
    assert FundsEntry.objects.get().status == ClaimStatus.APPROVED
    assert MonthlyInvestment.objects.get().status == ClaimStatus.APPROVED
    # Verified history moves the stage as an approval would.
    assert Project.objects.get(name="新能源电机项目").stage == Stage.STARTED


def test_an_approved_figure_is_not_changed_by_an_ordinary_import(city):
    project = ProjectFactory(name="新能源电机项目", unit=city["a"])
    MilestoneFactory(project=project, kind="signed", date="2025-01-01")  # approved
    report = import_workbook(build_workbook({"项目": [project_row()]}))
    assert not report.ok
    # Both the project's basis and its approved signing date are refused, each where it is.
    assert {(e.sheet, e.row, e.column) for e in report.errors} == {
        ("项目", 2, "总投资(万元)"),
        ("项目", 2, "新引进/结转"),  # 2026's: the project signed in 2025 is 结转 by default
        ("项目", 2, "签约日期"),
    }
    assert all("审定" in e.message for e in report.errors), report.errors
    assert str(Milestone.objects.get(project=project, kind="signed").date) == "2025-01-01"


def test_group_membership_follows_the_workbook(city):
    assert import_workbook(year_workbook()).ok
    changed = build_workbook(
        {"协作组": [[2025, "第一招商协作组", "张建国", "市发展和改革委员会", "西山区"]]}
    )
    assert import_workbook(changed).ok
    group = CollaborationGroup.objects.get(year=2025, name="第一招商协作组")
    assert list(group.memberships.values_list("unit__name", flat=True)) == ["西山区"]


def test_command_imports_and_reports_errors(city, tmp_path, capsys):
    path = tmp_path / "year.xlsx"
    path.write_bytes(year_workbook().getvalue())
    call_command("import_workbook", str(path), "--dry-run")
    assert not Project.objects.exists()
    call_command("import_workbook", str(path), "--verified")
    assert Milestone.objects.filter(status=ClaimStatus.APPROVED).count() == 2
    out = capsys.readouterr().out
    assert "项目：新增 2" in out

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(build_workbook({"项目": [project_row(name="x", unit="无此单位")]}).getvalue())
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_workbook", str(bad))
    assert "项目 第2行 [责任单位] 未知单位" in capsys.readouterr().err

    not_xlsx = tmp_path / "note.xlsx"
    not_xlsx.write_text("hello")
    with pytest.raises(CommandError, match="不是 Excel 工作簿"):
        call_command("import_workbook", str(not_xlsx))


def test_the_downloadable_template_as_it_is_imports_nothing(city):
    """Its examples are on the 填写说明 sheet (issue 16, case 5)."""
    from assessment.workbooks.template import write_template

    buf = io.BytesIO()
    write_template(buf)
    buf.seek(0)
    report = import_workbook(buf, dry_run=True)
    assert report.ok, report.errors
    assert not any(sum(c.values()) for c in report.counts.values())
    assert not Project.objects.exists()
