"""The template's examples never import (issue 16, case 5).

An office downloads the template, deletes the 协作组 sheet (its notes allow it), adds one project
and uploads it. The template's example rows once imported with it: 东湖区's 负责人 became 王建华,
its 2026 signed_100m target 6 → 4, and a 5.2亿元 example project appeared with milestones and
8,000 万元 of funds. Now the examples live on the 填写说明 sheet, and a row equal to an example (a
file made from an older template) is skipped with a note.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessment.models import Target
from assessment.workbooks.contract import (
    EXAMPLES,
    LEGACY_EXAMPLES,
    OPTIONAL_COLUMNS,
    PROJECTS,
    SHEETS,
)
from assessment.workbooks.importer import import_workbook
from projects.models import FundsEntry, Milestone, Project
from tests.factories import default_year, set_targets
from tests.workbooks.conftest import import_through_page, project_row, saved
from units.models import Unit

pytestmark = pytest.mark.django_db
EXAMPLE_PROJECT = LEGACY_EXAMPLES[PROJECTS]["项目名称"]


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.TEMP_DIR = tmp_path


@pytest.fixture
def donghu(city):
    unit = city["a"]
    unit.head_name = "张明华"
    unit.save()
    set_targets(default_year(2026), unit, signed_100m=6)
    return unit


def office_file(client):
    """The template as downloaded from the web, 协作组 deleted, one project added in row 2."""
    response = client.get(reverse("workbook:template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    del wb["协作组"]
    wb["项目"].append(project_row(name="滨江物流园项目"))
    return saved(wb)


def assert_only_the_office_project(donghu):
    assert list(Project.objects.values_list("name", flat=True)) == ["滨江物流园项目"]
    donghu.refresh_from_db()
    assert donghu.head_name == "张明华"
    target = Target.objects.get(
        unit=donghu, indicator__code="signed_100m", indicator__year__year=2026
    )
    assert target.value == Decimal(6)
    assert not FundsEntry.objects.exists()
    assert not Milestone.objects.filter(project__name=EXAMPLE_PROJECT).exists()
    assert set(Unit.objects.values_list("name", flat=True)) == {
        "东湖区",
        "西山区",
        "市发展和改革委员会",
    }


def test_the_sheets_to_fill_hold_only_headers_and_the_notes_show_the_examples(login, reviewer):
    response = login(reviewer).get(reverse("workbook:template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    for sheet, headers in SHEETS.items():
        rows = list(wb[sheet].iter_rows(values_only=True))
        # The header row (with the optional columns, e.g. 项目编号) and nothing under it.
        assert rows == [tuple(headers + OPTIONAL_COLUMNS.get(sheet, []))], sheet
    notes = [c for row in wb["填写说明"].iter_rows(values_only=True) for c in row if c]
    assert any("从第 2 行起每行填写一条记录" in str(c) for c in notes)
    assert any("不会导入" in str(c) for c in notes)
    assert EXAMPLES[PROJECTS]["项目名称"] in notes and EXAMPLES["单位"]["负责人"] in notes


def test_a_filled_in_template_imports_only_the_office_rows_from_the_command(
    donghu, login, reviewer, tmp_path, capsys
):
    path = tmp_path / "office.xlsx"
    path.write_bytes(office_file(login(reviewer)).getvalue())
    call_command("import_workbook", str(path))
    assert "项目：新增 1" in capsys.readouterr().out
    assert_only_the_office_project(donghu)


def test_a_filled_in_template_imports_only_the_office_rows_from_the_web(donghu, login, reviewer):
    client = login(reviewer)
    response = import_through_page(client, office_file(client))
    assert "导入成功" in response.content.decode()
    assert_only_the_office_project(donghu)


def test_an_older_templates_example_rows_are_skipped_with_a_note(donghu):
    """A file made from the template as it was: every sheet's example in row 2."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, headers in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append(headers)
        ws.append([LEGACY_EXAMPLES[sheet].get(h) or None for h in headers])
    wb["项目"].append(project_row(name="滨江物流园项目"))
    report = import_workbook(saved(wb))
    assert report.ok, report.errors
    assert_only_the_office_project(donghu)
    skipped = {(n.sheet, n.row) for n in report.notes if "示例行" in n.message}
    assert skipped == {(sheet, 2) for sheet in SHEETS}


def test_a_real_row_equal_to_an_example_still_imports(donghu):
    """Without the example project the file is not an old template: 东湖区 may be led by 王建华."""
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("单位")
    ws.append(SHEETS["单位"])
    ws.append(["东湖区", "县区", "王建华"])
    report = import_workbook(saved(wb))
    assert report.ok and not report.notes
    donghu.refresh_from_db()
    assert donghu.head_name == "王建华"
