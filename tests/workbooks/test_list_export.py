"""Every ObjectListView list exports the rows it would show, filters applied, as .xlsx."""

import io

import django_tables2 as tables
import pytest
from django.urls import reverse
from django.utils.html import format_html
from openpyxl import load_workbook

from tests.factories import GroupFactory, UnitFactory, add_member
from units.filtersets import UnitFilterSet
from units.models import Unit
from zhaoshang.web.generic import ObjectListView

pytestmark = pytest.mark.django_db


def sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(wb.active.iter_rows(min_row=2, values_only=True))  # row 1: the title


def test_units_list_exports_filtered_rows_with_chinese_headers(login, reviewer):
    UnitFactory(name="东湖区", unit_type="county", head_name="王建华")
    UnitFactory(name="市商务局", unit_type="city_dept")
    UnitFactory(name="西山区", unit_type="county")

    response = login(reviewer).get(
        reverse("units:unit_list"), {"unit_type": "county", "_export": "xlsx"}
    )

    rows = sheet_rows(response)
    assert rows[0][:3] == ("单位名称", "单位类型", "协作组")
    assert [r[0] for r in rows[1:]] == ["东湖区", "西山区"]
    assert rows[1][1] == "县区"  # the choice label, not the stored code
    assert rows[1][3] == "王建华"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=utf-8''" in disposition


def test_export_covers_every_page_not_just_the_first(login, reviewer):
    UnitFactory.create_batch(30)
    rows = sheet_rows(login(reviewer).get(reverse("units:unit_list"), {"_export": "xlsx"}))
    assert len(rows) == 31


def test_export_respects_the_access_policy(login, staff_a, unit_b):
    rows = sheet_rows(login(staff_a).get(reverse("units:unit_list"), {"_export": "xlsx"}))
    assert [r[0] for r in rows[1:]] == ["甲县"]


def test_numbers_stay_numbers(login, reviewer):
    group = GroupFactory(year=2026, name="第一招商协作组")
    add_member(group, group.lead_unit)
    add_member(group, UnitFactory())
    rows = sheet_rows(
        login(reviewer).get(reverse("units:group_list"), {"year": 2026, "_export": "xlsx"})
    )
    header, first = rows[0], rows[1]
    assert first[header.index("年度")] == 2026
    assert first[header.index("成员单位数")] == 2


def test_list_page_has_an_export_button_keeping_the_filters(login, reviewer):
    response = login(reviewer).get(reverse("units:unit_list"), {"unit_type": "county", "page": 1})
    body = response.content.decode()
    assert "导出 Excel" in body
    assert 'href="?unit_type=county&amp;_export=xlsx"' in body


def test_formula_looking_names_export_as_text(login, reviewer):
    UnitFactory(name='=HYPERLINK("http://evil")')
    response = login(reviewer).get(reverse("units:unit_list"), {"_export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = wb.active["A3"]  # row 1: the title, row 2: the header
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.data_type == "s"


@pytest.mark.parametrize("count", [10, 200])
def test_export_query_count_does_not_grow_with_rows(
    login, reviewer, count, django_assert_max_num_queries
):
    UnitFactory.create_batch(count)
    client = login(reviewer)
    with django_assert_max_num_queries(8):
        rows = sheet_rows(client.get(reverse("units:unit_list"), {"_export": "xlsx"}))
    assert len(rows) == count + 1


class BadgeTable(tables.Table):
    """Renders HTML for the page, as many of the app's tables do."""

    name = tables.Column()
    sort_order = tables.Column(verbose_name="排序")

    def render_name(self, value):
        return format_html('<span class="badge">{}</span> &amp; 附属', value)

    def render_sort_order(self, value):
        return format_html("<b>第 {} 位</b>", value)


class BadgeListView(ObjectListView):
    table_class = BadgeTable
    filterset_class = UnitFilterSet
    title = "单位"

    def get_base_queryset(self):
        return Unit.objects.all()


def test_rendered_html_becomes_plain_text_and_numbers_stay_numeric(rf, reviewer):
    UnitFactory(name="东湖区", sort_order=7)
    request = rf.get("/units/", {"_export": "xlsx"})
    request.user = reviewer
    rows = sheet_rows(BadgeListView.as_view()(request))
    assert rows[1] == ("东湖区 & 附属", 7)
