"""The export reads each column the way django-tables2 shows it (`BoundRow.get_cell_value`),
with numbers and dates kept typed — only decided once per column instead of per cell."""

import datetime
import html
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.utils.html import format_html, strip_tags

from projects import newness
from projects.models import Project
from projects.tables import ProjectTable
from tests.factories import MilestoneFactory, NewnessOverrideFactory, ProjectFactory
from zhaoshang.web.generic import XlsxExportMixin

pytestmark = pytest.mark.django_db


def reference_cell(table, record, column):
    """The per-cell rule the export used before (django-tables2's own path for every cell)."""
    from django_tables2 import A
    from django_tables2.rows import BoundRow

    if not hasattr(table, f"value_{column.name}"):
        try:
            raw = A(column.accessor).resolve(record)
        except Exception:
            raw = None
        if isinstance(raw, int | Decimal | float | datetime.date) and not isinstance(raw, bool):
            return raw
    value = BoundRow(record, table=table).get_cell_value(column.name)
    if isinstance(value, str) and "<" in value:
        value = html.unescape(strip_tags(value)).strip()
    return value


class DictTable(tables.Table):
    kind = tables.Column(accessor="r_kind")
    amount = tables.Column(accessor="r_amount")
    note = tables.Column(accessor="r_note")
    missing = tables.Column(accessor="r_missing", empty_values=())

    def render_kind(self, value):
        return format_html("<b>{}</b>", value.upper())

    def value_note(self, value, record):
        return f"备注：{value}"


def compare(table):
    columns = XlsxExportMixin.export_columns(table)
    records = list(table.data.data)
    got = list(XlsxExportMixin.export_rows(table, columns))
    want = [[reference_cell(table, r, c) for c in columns] for r in records]
    assert got == want
    return got


def test_project_table_cells_match_the_tables_own_values(rf, reviewer, unit_a):
    key = ProjectFactory(unit=unit_a, name="=HYPERLINK(1)", is_key=True, stage="started")
    MilestoneFactory(project=key, date=datetime.date(2026, 2, 1))
    carried = ProjectFactory(
        unit=unit_a,
        name="结转项目",
        total_investment=Decimal("100"),
        contracted_investment=Decimal(0),
    )
    NewnessOverrideFactory(project=carried, year=newness.current_year(), is_new=False)
    request = rf.get("/")
    request.user = reviewer
    qs = Project.objects.select_related("unit", "industry").order_by("pk")
    qs = newness.annotate_new(qs, newness.current_year())  # as the project list does
    table = ProjectTable(qs, request=request)
    rows = compare(table)
    assert rows[0][4] == "开工"  # the choice label, not the code
    assert "重点" in rows[0][-1] and "结转" in rows[1][-1]
    assert rows[0][5] == Decimal("20000")


def test_dict_rows_with_render_and_value_methods():
    data = [
        {"r_kind": "milestone", "r_amount": Decimal("12.50"), "r_note": "甲", "r_missing": None},
        {"r_kind": "", "r_amount": None, "r_note": "<i>乙</i>", "r_missing": 3},
    ]
    rows = compare(DictTable(data))
    assert rows[0][:3] == ["MILESTONE", Decimal("12.50"), "备注：甲"]
    assert rows[1][0] is None


def test_project_list_value_rows_match_the_tables_own_cells(rf, reviewer, unit_a, unit_b):
    """The project list exports from value rows (no model objects); every cell must still be what
    the table shows: labels, "—" for a missing 签约日期, the 标识 text, typed amounts and dates."""
    from django.db.models import Model

    from projects.tables import project_export_rows

    # Distinct totals: the table orders by 总投资, so ties would leave the row order to chance.
    signed = ProjectFactory(
        unit=unit_a,
        name="+86 项目",
        is_high_tech=True,
        head_enterprise="global500",
        total_investment=Decimal("30000"),
    )
    MilestoneFactory(project=signed, date=datetime.date(2026, 3, 5))
    carried = ProjectFactory(unit=unit_b, name="结转项目", category="infrastructure")
    NewnessOverrideFactory(project=carried, year=newness.current_year(), is_new=False)
    ProjectFactory(
        unit=unit_a,
        is_key=True,
        stage="started",
        total_investment=Decimal("10000"),
        contracted_investment=Decimal(0),
    )
    # 签约日期 is the project's verified signing date (issue 21), kept by the factory's sync.
    qs = Project.objects.select_related("unit", "industry").order_by("pk")
    qs = newness.annotate_new(qs, newness.current_year())
    request = rf.get("/")
    request.user = reviewer
    table = ProjectTable(qs, request=request)
    columns = XlsxExportMixin.export_columns(table)
    # The writer prints a unit or industry object as its name.
    want = [[str(v) if isinstance(v, Model) else v for v in row] for row in compare(table)]
    got = list(project_export_rows(qs, [c.name for c in columns]))
    assert got == want
    assert got[0][7] == datetime.date(2026, 3, 5) and got[1][7] == "—"
    assert got[0][-1] == "高新 世界500强" and got[1][-1] == "结转" and got[2][-1] == "重点"
    # Another column order (a table built with a different sequence) reads the same cells.
    assert list(project_export_rows(qs, ["stage", "name"]))[2] == ["开工", got[2][0]]
