"""The 项目 sheet's 新引进/结转 is the value of the year the workbook is for (issue 15 path 10):
next year's workbook marking last year's projects 结转 leaves last year's figures alone; a value
other than the default records that year's override; the year export writes the year's value."""

import io

import pytest
from openpyxl import load_workbook

from assessment.engine import compute
from assessment.workbooks.importer import import_workbook
from assessment.workbooks.year_export import export_year_workbook
from projects import newness
from projects.models import NewnessOverride, Project
from tests.workbooks.conftest import build_workbook, project_row

pytestmark = pytest.mark.django_db


def year_rows(year):
    """The 考核指标 and 目标 sheets of `year`: 新引进亿元合同项目, 东湖区 to sign 2."""
    indicator = [year, "signed_100m", "新引进亿元合同项目", "节点项目个数", "签约", "合同投资",
                 10000, "是", "", 25]  # fmt: skip
    return {"考核指标": [indicator], "目标": [[year, "东湖区", "signed_100m", 2]]}


def workbook(year, *projects):
    return build_workbook({**year_rows(year), "项目": list(projects)})


def signed_100m(year, quarter, unit_name="东湖区"):
    result = compute(year, quarter)
    return next(u for u in result.units if u.name == unit_name).indicators["signed_100m"].actual


def test_next_years_workbook_marking_last_years_project_carried_leaves_last_year_alone(city):
    assert import_workbook(workbook(2025, project_row()), verified=True).ok
    assert signed_100m(2025, 4) == 1

    report = import_workbook(workbook(2026, project_row(**{"新引进/结转": "结转"})), verified=True)

    assert report.ok, report.errors
    assert signed_100m(2025, 4) == 1  # 2025 recomputes to the figure it had
    assert not NewnessOverride.objects.exists()  # 结转 is 2026's default for a 2025 signing
    assert report.counts["新引进/结转（2026 年度）"]["unchanged"] == 1
    project = Project.objects.get(name="新能源电机项目")
    assert (newness.is_new_in(project, 2025), newness.is_new_in(project, 2026)) == (True, False)


def test_a_value_other_than_the_default_records_that_years_override_only(city):
    this_year = project_row(签约日期="2026-01-15", 开工日期="2026-03-20", **{"新引进/结转": "结转"})
    report = import_workbook(workbook(2026, this_year), verified=True)
    assert report.ok, report.errors
    assert report.counts["新引进/结转（2026 年度）"]["created"] == 1
    override = NewnessOverride.objects.get()
    assert (override.year, override.is_new) == (2026, False)
    assert "2026 年度工作簿标为结转" in override.reason
    assert signed_100m(2026, 1) == 0  # 结转 in 2026: not a 新引进 signing
    project = Project.objects.get(name="新能源电机项目")
    assert newness.is_new_in(project, 2025)  # no other year is touched

    # The year export writes 2026's value; importing it again changes nothing.
    buf = io.BytesIO()
    export_year_workbook(2026, buf)
    sheet = load_workbook(io.BytesIO(buf.getvalue()))["项目"]
    assert [sheet["A2"].value, sheet["G2"].value] == ["新能源电机项目", "结转"]
    buf.seek(0)
    again = import_workbook(buf, verified=True)
    assert again.ok and again.counts["新引进/结转（2026 年度）"]["unchanged"] == 1
    assert NewnessOverride.history.count() == 1

    # The project's claims are verified now: its 2026 新引进/结转 is part of its frozen basis, so
    # a later workbook cannot take the override away (zhaoshang.guard) — it says why, and where.
    this_year = project_row(签约日期="2026-01-15", 开工日期="2026-03-20")
    back = import_workbook(workbook(2026, this_year), verified=True)
    assert not back.ok
    assert [(e.sheet, e.column) for e in back.errors] == [("项目", "新引进/结转")]
    assert "考核口径" in back.errors[0].message
    assert NewnessOverride.objects.get().is_new is False
    assert signed_100m(2026, 1) == 0


def test_a_workbook_naming_no_year_is_read_for_the_current_year(city):
    this = newness.current_year()
    row = project_row(签约日期=f"{this - 1}-01-15", 开工日期=None, **{"新引进/结转": "结转"})
    report = import_workbook(build_workbook({"项目": [row]}))
    assert report.ok, report.errors
    assert report.counts[f"新引进/结转（{this} 年度）"]["unchanged"] == 1
    assert not NewnessOverride.objects.exists()
