"""The stable row codes (issue 16): every project and funds entry gets one on creation, whatever
path creates it; the year export writes them and the template offers the columns; an export
corrected and sent back updates the rows it names; the migration gives existing rows codes."""

import datetime
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps
from openpyxl import load_workbook

from assessment.workbooks.contract import FUNDS_CODE, PROJECT_CODE, SHEETS
from assessment.workbooks.importer import import_workbook
from assessment.workbooks.template import write_template
from assessment.workbooks.year_export import export_year_workbook
from projects.models import ClaimStatus, FundsEntry, Project
from tests.factories import FundsEntryFactory, MilestoneFactory, ProjectFactory
from tests.factories.base import unguarded
from tests.workbooks.test_row_identity import NAME, fund, row, workbook

pytestmark = pytest.mark.django_db


def test_an_imported_project_and_funds_entry_get_codes(city):
    assert import_workbook(workbook(funds=[fund(100), fund(100)])).ok
    project = Project.objects.get()
    assert project.code.startswith("XM") and len(project.code) == 10
    codes = set(FundsEntry.objects.values_list("code", flat=True))
    assert len(codes) == 2 and all(c.startswith("ZJ") for c in codes)


def test_codes_in_the_workbook_are_checked(city):
    report = import_workbook(
        workbook(
            [
                row(code="XM 1"),
                row(name="二号项目", code="XM-2"),
                row(name="三号项目", code="XM-2"),
            ],
            funds=[fund(1, code="ZJ-1", name="二号项目"), fund(2, code="ZJ-1", name="二号项目")],
        )
    )
    assert sorted((e.sheet, e.row, e.column) for e in report.errors) == [
        ("到位资金", 3, FUNDS_CODE),
        ("项目", 2, PROJECT_CODE),
        ("项目", 4, PROJECT_CODE),
    ]
    assert not Project.objects.exists()


def test_the_template_offers_the_code_columns_and_explains_the_matching():
    buf = io.BytesIO()
    write_template(buf)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    assert [c.value for c in wb["项目"][1]] == SHEETS["项目"] + [PROJECT_CODE]
    assert [c.value for c in wb["到位资金"][1]] == SHEETS["到位资金"] + [FUNDS_CODE, "资金来源地"]
    notes = "\n".join(str(c.value) for c in wb["填写说明"]["A"])
    assert "同名且责任单位相同" not in notes
    assert "与责任单位无关" in notes and "同时删除" in notes


def exported(year=2026):
    buf = io.BytesIO()
    export_year_workbook(year, buf)
    return load_workbook(io.BytesIO(buf.getvalue()))


def test_a_corrected_export_sent_back_updates_the_rows_it_names(city):
    project = ProjectFactory(name=NAME, unit=city["a"])
    MilestoneFactory(
        project=project, kind="signed", date=datetime.date(2026, 1, 15), status="approved"
    )
    entries = [
        FundsEntryFactory(project=project, date=datetime.date(2026, 2, 10), amount=Decimal(500),
                          source="enterprise", status=ClaimStatus.APPROVED)
        for _ in range(2)
    ]  # fmt: skip
    wb = exported()
    projects, funds = wb["项目"], wb["到位资金"]
    assert projects.cell(2, len(SHEETS["项目"]) + 1).value == project.code
    assert sorted(funds.cell(r, 5).value for r in (2, 3)) == sorted(e.code for e in entries)
    # The office corrects one tranche's date and the project's name, and sends it back.
    funds.cell(2, 2).value = "2026-02-12"
    projects.cell(2, 1).value = "新能源电机项目（一期）"
    for ws in (funds, wb["分成"], wb["固定资产投资"]):
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, 1).value == NAME:
                ws.cell(r, 1).value = "新能源电机项目（一期）"
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)

    report = import_workbook(buf, verified=True)
    assert report.ok, report.errors
    project.refresh_from_db()
    assert project.name == "新能源电机项目（一期）"
    moved = FundsEntry.objects.get(code=funds.cell(2, 5).value)
    assert moved.date == datetime.date(2026, 2, 12)
    assert FundsEntry.objects.count() == 2 and Project.objects.count() == 1


def test_the_migration_gives_every_existing_row_its_own_code(city):
    projects = [ProjectFactory(unit=city["a"]) for _ in range(3)]
    entry = FundsEntryFactory(project=projects[0])
    before = {p.code for p in projects}
    migration = importlib.import_module("projects.migrations.0007_row_codes")
    with unguarded():
        migration.fill_codes(apps, None)
    codes = set(Project.objects.values_list("code", flat=True))
    assert len(codes) == 3 and not codes & before and all(c.startswith("XM") for c in codes)
    assert (
        FundsEntry.objects.get().code.startswith("ZJ")
        and entry.code != FundsEntry.objects.get().code
    )


def test_listing_removals_takes_the_same_queries_however_many(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for size in (2, 6):
        names = [f"项目{size}-{n}" for n in range(size)]
        claims = [fund(100 + n, name=name) for n, name in enumerate(names)]
        assert import_workbook(workbook([row(name=n) for n in names], funds=claims)).ok
        with CaptureQueriesContext(connection) as queries:
            report = import_workbook(workbook([row(name=n) for n in names], funds=[]))
        assert report.ok and report.removed_rows() == [("到位资金", size)]
        counts[size] = len(queries)
    # Constant in the number of removals (the import lease's take and release included); the
    # absolute figure differs by backend (PostgreSQL's sequences and locks), so it is not pinned.
    assert counts[2] == counts[6], counts
    assert counts[6] <= 40, counts
