"""Issue 16, cases 1–4: an office corrects its workbook and sends it again. Rows are matched by a
stable identity (项目编号, else name + 统一社会信用代码, never the unit; funds by 编号, else by
project, date, source and position), so a correction is an update; what the file no longer has
is listed and removed only when the user confirms; the report says what changes, cell by cell."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from assessment.workbooks.changes import PREVIEW_LINES
from assessment.workbooks.contract import FUNDS_CODE, OPTIONAL_COLUMNS, PROJECT_CODE, SHEETS
from assessment.workbooks.importer import import_workbook
from projects import locks
from projects.models import (
    CreditShare,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    Project,
    Stage,
)
from tests.factories import ProjectFactory
from tests.workbooks.conftest import build_workbook, project_row
from zhaoshang.guarded import trusted

pytestmark = pytest.mark.django_db

NAME = "新能源电机项目"
HEADERS = {sheet: SHEETS[sheet] + OPTIONAL_COLUMNS.get(sheet, []) for sheet in SHEETS}


def workbook(projects=None, funds=None, investments=None):
    """A workbook of projects and claims (year: the current one, 2026 on this clock's dates)."""
    sheets = {"项目": projects if projects is not None else [row()]}
    if funds is not None:
        sheets["到位资金"] = funds
    if investments is not None:
        sheets["固定资产投资"] = investments
    return build_workbook(sheets, headers=HEADERS)


def row(code="", **overrides):
    overrides.setdefault("签约日期", "2026-01-15")
    overrides.setdefault("开工日期", "2026-03-20")
    return [*project_row(**overrides), code]


def fund(amount, day="2026-02-10", source="企业和个人投资", code="", name=NAME):
    return [name, day, source, amount, code]


def amounts():
    return sorted(FundsEntry.objects.values_list("amount", flat=True))


def lines(report, sheet):
    return report.changes.get(sheet, {}).get("lines", [])


# Case 1: a corrected funds row is an update, not a second entry.


def test_a_corrected_funds_amount_updates_the_entry(city):
    assert import_workbook(workbook(funds=[fund(8000)])).ok
    report = import_workbook(workbook(funds=[fund(800)]))
    assert report.ok, report.errors
    assert amounts() == [Decimal(800)]
    assert report.counts["到位资金"]["updated"] == 1
    assert report.counts["到位资金"]["created"] == 0
    assert lines(report, "到位资金") == [
        f"第2行 项目“{NAME}” 2026-02-10 到位资金：金额(万元) 8000 → 800"
    ]


def test_a_funds_row_with_its_code_keeps_it_when_its_date_is_corrected(city):
    assert import_workbook(workbook(funds=[fund(8000, code="ZJ-A1")])).ok
    report = import_workbook(workbook(funds=[fund(8000, day="2026-02-12", code="ZJ-A1")]))
    assert report.ok, report.errors
    entry = FundsEntry.objects.get()
    assert (entry.code, entry.date) == ("ZJ-A1", datetime.date(2026, 2, 12))
    assert "日期 2026-02-10 → 2026-02-12" in lines(report, "到位资金")[0]


def test_reordered_tranches_of_one_day_change_nothing(city):
    assert import_workbook(workbook(funds=[fund(100), fund(200)])).ok
    report = import_workbook(workbook(funds=[fund(200), fund(100)]))
    assert report.ok
    assert report.counts["到位资金"]["unchanged"] == 2 and not report.changes


def test_a_funds_code_of_another_project_is_refused(city):
    other = ProjectFactory(name="另一个项目", unit=city["b"])
    taken = FundsEntry.objects.create(
        project=other, date=datetime.date(2026, 2, 1), source="enterprise", amount=5
    )
    report = import_workbook(workbook(funds=[fund(8000, code=taken.code)]))
    assert not report.ok
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("到位资金", 2, FUNDS_CODE)]
    assert "另一个项目" in report.errors[0].message
    assert not Project.objects.filter(name=NAME).exists()


# Case 4: two equal tranches on one day are two entries.


def test_two_equal_tranches_on_the_same_day_are_both_imported_once(city):
    report = import_workbook(workbook(funds=[fund(500), fund(500)]))
    assert report.ok, report.errors
    assert amounts() == [Decimal(500), Decimal(500)]
    again = import_workbook(workbook(funds=[fund(500), fund(500)]))
    assert again.ok and again.counts["到位资金"]["unchanged"] == 2
    assert amounts() == [Decimal(500), Decimal(500)]


# Case 2: a corrected 责任单位 is the same project.


def test_a_corrected_unit_updates_the_project_and_moves_its_credit(city):
    assert import_workbook(workbook(funds=[fund(100)])).ok
    report = import_workbook(workbook([row(unit="西山区")], funds=[fund(100)]))
    assert report.ok, report.errors
    project = Project.objects.get()
    assert project.unit == city["b"]
    assert list(CreditShare.objects.values_list("unit__name", "percent")) == [
        ("西山区", Decimal(100))
    ]
    assert report.counts["项目"]["updated"] == 1
    assert lines(report, "项目") == [f"第2行 “{NAME}”：责任单位 东湖区 → 西山区"]


def test_a_corrected_unit_of_a_verified_project_is_refused_with_the_reason(city):
    assert import_workbook(workbook(), verified=True).ok
    report = import_workbook(workbook([row(unit="西山区")]))
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("项目", 2, "责任单位")]
    assert locks.BASIS_LOCKED_MESSAGE in report.errors[0].message
    assert Project.objects.get().unit == city["a"]


def test_a_name_shared_by_two_projects_asks_for_the_code(city):
    first = ProjectFactory(name=NAME, unit=city["a"])
    ProjectFactory(name=NAME, unit=city["b"])
    report = import_workbook(workbook())
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("项目", 2, "项目名称")]
    assert "请在“项目编号”列填写编号" in report.errors[0].message
    assert first.code in report.errors[0].message

    report = import_workbook(workbook([row(code=first.code, **{"总投资(万元)": 52000})]))
    assert report.ok, report.errors
    first.refresh_from_db()
    assert first.total_investment == Decimal(52000)
    assert Project.objects.filter(name=NAME).count() == 2


def test_the_credit_code_tells_projects_of_one_name_apart(city):
    ProjectFactory(name=NAME, unit=city["a"], investor_credit_code="91320500MA1XXXXX0X")
    other = ProjectFactory(name=NAME, unit=city["b"], investor_credit_code="91320500MA1YYYYY0Y")
    report = import_workbook(workbook([row(统一社会信用代码="91320500MA1YYYYY0Y")]))
    assert report.ok, report.errors
    other.refresh_from_db()
    assert other.unit == city["a"]  # the row's unit: a corrected unit of that project
    assert Project.objects.filter(name=NAME).count() == 2


def test_the_project_code_identifies_a_renamed_project(city):
    assert import_workbook(workbook([row(code="XM-TEST-1")])).ok
    assert Project.objects.get().code == "XM-TEST-1"
    report = import_workbook(workbook([row(code="XM-TEST-1", name="新能源电机二期项目")]))
    assert report.ok, report.errors
    assert list(Project.objects.values_list("name", flat=True)) == ["新能源电机二期项目"]


def test_an_unknown_code_over_a_known_name_is_refused(city):
    existing = ProjectFactory(name=NAME, unit=city["a"])
    report = import_workbook(workbook([row(code="XM-TYPO")]))
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("项目", 2, PROJECT_CODE)]
    assert existing.code in report.errors[0].message


# Case 3: a cleared cell is listed, and cleared when the user confirms.


def test_a_cleared_completion_date_is_listed_and_cleared_only_when_confirmed(city):
    assert import_workbook(workbook([row(竣工日期="2026-06-30")])).ok
    report = import_workbook(workbook([row()]))
    assert report.ok
    assert Milestone.objects.filter(kind="completed").exists()
    assert report.removed_rows() == [("项目节点", 1)]
    assert lines(report, "项目") == [f"第2行 “{NAME}”：竣工日期 2026-06-30 → （清空）"]

    report = import_workbook(workbook([row()]), apply_removals=True)
    assert report.ok, report.errors
    assert not Milestone.objects.filter(kind="completed").exists()
    assert Milestone.objects.count() == 2


def test_an_approved_milestone_is_not_cleared_by_an_import(city):
    assert import_workbook(workbook([row(竣工日期="2026-06-30")]), verified=True).ok
    assert Project.objects.get().stage == Stage.COMPLETED
    report = import_workbook(workbook([row()]), apply_removals=True)
    # An approved milestone is never deleted by an import: refused, at its cell.
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("项目", 2, "竣工日期")]
    assert Project.objects.get().stage == Stage.COMPLETED


def test_rows_gone_from_the_file_are_listed_then_removed_when_confirmed(city):
    claims = {"funds": [fund(100), fund(200)], "investments": [[NAME, "2026-03", 50]]}
    assert import_workbook(workbook(**claims)).ok
    report = import_workbook(workbook(funds=[fund(100)], investments=[]))
    assert report.ok
    assert amounts() == [Decimal(100), Decimal(200)]
    assert MonthlyInvestment.objects.count() == 1
    assert report.removed_rows() == [("固定资产投资", 1), ("到位资金", 1)]
    assert "企业和个人投资 200 万元" in lines(report, "到位资金")[0]
    assert "将删除" in lines(report, "到位资金")[0]

    assert import_workbook(workbook(funds=[fund(100)], investments=[]), apply_removals=True).ok
    assert amounts() == [Decimal(100)]
    assert not MonthlyInvestment.objects.exists()


def test_a_sheet_left_out_removes_nothing(city):
    assert import_workbook(workbook(funds=[fund(100)])).ok
    report = import_workbook(workbook(), apply_removals=True)
    assert report.ok and report.removed_rows() == [] and amounts() == [Decimal(100)]


def test_a_removal_in_a_published_quarter_is_refused_with_its_location(city, published_q1):
    assert import_workbook(workbook(funds=[fund(100), fund(200)])).ok
    published_q1()
    listed = import_workbook(workbook(funds=[fund(100)]))
    assert listed.ok and listed.removal_refusals == 1
    assert "不能删除：" + locks.LOCKED_DATE_MESSAGE in lines(listed, "到位资金")[0]

    report = import_workbook(workbook(funds=[fund(100)]), apply_removals=True)
    assert [(e.sheet, e.row) for e in report.errors] == [("到位资金", None)]
    assert "2026-02-10 到位资金" in report.errors[0].message
    assert locks.LOCKED_DATE_MESSAGE in report.errors[0].message
    assert amounts() == [Decimal(100), Decimal(200)]


# The preview stays compact for big files.


def test_a_big_change_lists_the_first_changes_and_counts_the_rest(city):
    names = [f"项目{n:03d}" for n in range(PREVIEW_LINES + 5)]
    assert import_workbook(workbook([row(name=n) for n in names])).ok
    report = import_workbook(workbook([row(name=n, **{"总投资(万元)": 60000}) for n in names]))
    assert report.ok
    assert len(lines(report, "项目")) == PREVIEW_LINES
    assert report.changes["项目"]["more"] == 5
    assert lines(report, "项目")[0] == "第2行 “项目000”：总投资(万元) 52000 → 60000"


# Through the command line.


def test_the_command_shows_the_change_and_removes_only_with_the_option(city, tmp_path):
    path = tmp_path / "year.xlsx"
    path.write_bytes(workbook([row(竣工日期="2026-06-30")], funds=[fund(8000)]).getvalue())
    call_command("import_workbook", str(path), stdout=io.StringIO())
    path.write_bytes(workbook([row()], funds=[fund(800), fund(800)]).getvalue())

    out = io.StringIO()
    call_command("import_workbook", str(path), stdout=out)
    text = out.getvalue()
    assert "到位资金：新增 1，更新 1，无变化 0" in text
    assert "项目节点：待删除或清空（未执行） 1" in text
    assert f"项目 第2行 “{NAME}”：竣工日期 2026-06-30 → （清空）" in text
    assert "金额(万元) 8000 → 800" in text
    assert "--apply-removals" in text
    assert amounts() == [Decimal(800), Decimal(800)]
    assert Milestone.objects.filter(kind="completed").exists()

    out = io.StringIO()
    call_command("import_workbook", str(path), "--apply-removals", stdout=out)
    assert "项目节点：已删除或清空 1" in out.getvalue()
    assert not Milestone.objects.filter(kind="completed").exists()


def test_the_command_refuses_a_removal_in_a_published_quarter(city, tmp_path, published_q1):
    path = tmp_path / "year.xlsx"
    path.write_bytes(workbook(funds=[fund(100), fund(200)]).getvalue())
    call_command("import_workbook", str(path), stdout=io.StringIO())
    published_q1()
    path.write_bytes(workbook(funds=[fund(100)]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_workbook", str(path), "--apply-removals", stderr=err)
    assert "到位资金 项目“新能源电机项目” 2026-02-10 到位资金" in err.getvalue()
    assert amounts() == [Decimal(100), Decimal(200)]


# The database backs every identity the import relies on.


def test_codes_are_unique_in_the_database_with_a_chinese_message(city):
    first = ProjectFactory(unit=city["a"])
    second = ProjectFactory(unit=city["a"])
    assert first.code != second.code and first.code.startswith("XM")
    second.code = first.code
    with pytest.raises(ValidationError) as exc:
        second.validate_unique()
    assert exc.value.message_dict["code"] == ["编号已被其他项目使用，请换一个编号。"]
    with pytest.raises(IntegrityError), transaction.atomic(), trusted("test"):
        Project.objects.filter(pk=second.pk).update(code=first.code)
    entry = FundsEntry.objects.create(
        project=first, date=datetime.date(2026, 2, 1), source="enterprise", amount=5
    )
    assert entry.code.startswith("ZJ")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundsEntry.objects.create(
            project=second, date=entry.date, source="enterprise", amount=5, code=entry.code
        )
