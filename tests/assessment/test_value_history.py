"""Configuration has a value history (issue 15, path 14): who changed a target, a weight, a year
rule, a score adjustment, a unit or a group's membership, from which value to which — shown in
the 变更记录 of the year's, the unit's and the group's page."""

import datetime
import html
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Campaign, CampaignTarget, Target
from tests.assessment.factories import default_year, set_targets, year_form_data
from tests.factories import UnitFactory
from tests.workbooks.conftest import build_workbook, import_through_page
from units.models import GroupMembership
from zhaoshang.ops.demo import assessment as demo
from zhaoshang.ops.demo import city as units_demo

YEAR_URL = reverse("assessment:year_detail", args=[2026])
GRID_URL = reverse("assessment:targets", args=[2026])


@pytest.fixture
def year(db):
    return default_year(2026)


@pytest.fixture
def office(reviewer):
    reviewer.display_name = "吴考核"
    reviewer.save()
    return reviewer


def history_rows(client, url):
    """A page's 变更记录 table: one text line per row (time, user, subject, kind, changes)."""
    page = client.get(url).content.decode()
    table = re.search(r'data-testid="value-history">(.*?)</table>', page, re.S)
    assert table, "the page has no 变更记录"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def row_with(rows, *parts):
    found = [row for row in rows if all(part in row for part in parts)]
    assert found, f"no row with {parts} in {rows}"
    return found[0]


def cell(year, owner, code):
    return f"t-{owner.pk}-{year.indicators.get(code=code).pk}"


def test_a_target_changed_in_the_grid(year, login, office, unit_a):
    set_targets(year, unit_a, signed_100m=6)
    client = login(office)
    client.post(GRID_URL, {cell(year, unit_a, "signed_100m"): "4"})
    rows = history_rows(client, YEAR_URL)
    row_with(rows, "吴考核", "单位目标 甲县 · 新引进亿元合同项目", "修改", "年度目标：6.00 → 4.00")


def test_targets_set_and_cleared_in_the_grid(year, login, office, unit_a, unit_b):
    set_targets(year, unit_a, funds=100)
    client = login(office)
    client.post(GRID_URL, {cell(year, unit_a, "funds"): "", cell(year, unit_b, "funds"): "50"})
    rows = history_rows(client, YEAR_URL)
    row_with(rows, "吴考核", "单位目标 甲县 · 实际到位资金", "删除", "年度目标：100.00 → —")
    row_with(rows, "吴考核", "单位目标 乙县 · 实际到位资金", "新建", "年度目标：— → 50.00")


def test_a_group_target_changed_in_the_grid(year, login, office, group):
    set_targets(year, group, funds=1000)
    client = login(office)
    client.post(
        reverse("assessment:group_targets", args=[2026]), {cell(year, group, "funds"): "800"}
    )
    rows = history_rows(client, YEAR_URL)
    row_with(rows, "吴考核", "协作组目标 第一招商协作组 · 实际到位资金", "1,000.00 → 800.00")


def test_grid_history_costs_the_same_queries_for_any_grid_size(year, login, office):
    codes = list(year.indicators.values_list("code", flat=True))
    client = login(office)

    def post(units, value):
        data = {cell(year, unit, code): value for unit in units for code in codes}
        with CaptureQueriesContext(connection) as ctx:
            client.post(GRID_URL, data)
        return len(ctx.captured_queries)

    small = UnitFactory.create_batch(2)
    big = UnitFactory.create_batch(30)
    counts = [post(small, "1"), post(big, "1")]  # created
    counts += [post(small, "2"), post(big, "2")]  # changed
    counts += [post(small, ""), post(big, "")]  # cleared
    assert counts[0] == counts[1] and counts[2] == counts[3] and counts[4] == counts[5]
    history = Target.history.all()
    assert history.filter(history_type="+").count() == 32 * len(codes)
    assert history.filter(history_type="~", history_user=office).count() == 32 * len(codes)
    assert history.filter(history_type="-", history_user=office).count() == 32 * len(codes)


def test_a_weight_changed_through_the_indicator_form(year, login, office):
    indicator = year.indicators.get(code="funds")
    data = {
        "code": "funds",
        "name": indicator.name,
        "kind": indicator.kind,
        "milestone": "",
        "investment_basis": "",
        "threshold": "",
        "funds_source": "",
        "display_unit": indicator.display_unit,
        "weight": "20",
        "order": indicator.order,
    }
    client = login(office)
    response = client.post(reverse("assessment:indicator_edit", args=[2026, indicator.pk]), data)
    assert response.status_code == 302
    rows = history_rows(client, YEAR_URL)
    row_with(rows, "吴考核", "指标 实际到位资金", "修改", "权重：15.00 → 20.00")


def test_a_year_rule_changed(year, login, office):
    client = login(office)
    data = year_form_data(
        year="2026",
        score_cap="1.5",
        echelon_first="1/4",
        excluded_categories=["real_estate", "policy"],
    )
    response = client.post(reverse("assessment:year_edit", args=[2026]), data)
    assert response.status_code == 302
    row = row_with(history_rows(client, YEAR_URL), "吴考核", "年度设置", "修改")
    assert "单项得分上限（完成率封顶）：1.20 → 1.50" in row
    assert "第一方阵比例：1/3 → 1/4" in row
    assert "不计入考核的项目类别：房地产类 → 房地产类、政策性资金类" in row


def test_a_score_adjustment(year, login, office, unit_a):
    client = login(office)
    add = reverse("assessment:adjustment_add", args=[2026, 1, unit_a.pk])
    client.post(add, {"points": "-2", "reason": "数据报送不及时"})
    row = row_with(history_rows(client, YEAR_URL), "吴考核", "加减分 甲县", "新建")
    assert "分值：— → -2.00" in row and "理由：— → 数据报送不及时" in row


def test_a_group_membership_on_the_group_and_year_pages(year, login, office, group, unit_b):
    lead = group.lead_unit
    data = {
        "year": "2026",
        "name": "第一招商协作组",
        "leader_name": group.leader_name,
        "leader_title": group.leader_title,
        "lead_unit": lead.pk,
        "sort_order": group.sort_order,
        "members": [lead.pk, unit_b.pk],  # 甲县 leaves, 乙县 joins
    }
    client = login(office)
    response = client.post(reverse("units:group_edit", args=[group.pk]), data)
    assert response.status_code == 302
    assert set(GroupMembership.objects.values_list("unit__name", flat=True)) == {"市发改委", "乙县"}
    rows = history_rows(client, reverse("units:group_detail", args=[group.pk]))
    row_with(rows, "吴考核", "成员单位", "新建", "成员单位：— → 乙县")
    row_with(rows, "吴考核", "成员单位", "删除", "成员单位：甲县 → —")
    rows = history_rows(client, YEAR_URL)
    row_with(rows, "吴考核", "协作组成员 第一招商协作组", "成员单位：甲县 → —")


def test_a_unit_renamed(db, login, office, unit_a):
    client = login(office)
    data = {
        "name": "甲县（新）",
        "short_name": "",
        "unit_type": unit_a.unit_type,
        "head_name": "",
        "head_title": "",
        "contact_name": "",
        "contact_phone": "",
        "sort_order": "0",
        "is_active": "on",
    }
    response = client.post(reverse("units:unit_edit", args=[unit_a.pk]), data)
    assert response.status_code == 302
    rows = history_rows(client, reverse("units:unit_detail", args=[unit_a.pk]))
    row_with(rows, "吴考核", "单位信息", "修改", "单位名称：甲县 → 甲县（新）")


def test_unit_pages_show_history_only_to_the_office(db, login, staff_a, unit_a):
    page = login(staff_a).get(reverse("units:unit_detail", args=[unit_a.pk])).content.decode()
    assert 'data-testid="value-history"' not in page


def test_the_year_page_shows_the_newest_entries(year, login, office):
    units = UnitFactory.create_batch(40)
    for unit in units:
        set_targets(year, unit, funds=10, signed_100m=1)
    client = login(office)
    page = client.get(YEAR_URL).content.decode()
    assert "显示最近 60 条" in page
    set_targets(year, units[0], funds=Decimal(20))
    rows = history_rows(client, YEAR_URL)
    assert "10.00 → 20.00" in rows[0]
    assert rows[0].startswith(timezone.localtime().strftime("%Y-%m-%d"))


def test_the_year_page_costs_the_same_queries_for_any_number_of_changes(year, login, office, group):
    client = login(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(YEAR_URL).status_code == 200
        return len(ctx.captured_queries)

    for unit in UnitFactory.create_batch(2):
        set_targets(year, unit, funds=10)
    small = count()
    for unit in UnitFactory.create_batch(20):
        set_targets(year, unit, funds=10, signed_100m=2)
        set_targets(year, unit, funds=20)
    assert count() == small


def test_a_workbook_import_records_who_changed_targets_and_members(
    year, login, office, group, unit_a, unit_b
):
    set_targets(year, unit_a, signed_100m=6)
    workbook = build_workbook(
        {
            "协作组": [[2026, "第一招商协作组", group.leader_name, "市发改委", "市发改委、乙县"]],
            "目标": [[2026, "甲县", "signed_100m", 4]],
        }
    )
    client = login(office)
    response = import_through_page(client, workbook)
    assert "导入成功" in response.content.decode()
    assert Target.objects.get(unit=unit_a).value == 4
    rows = history_rows(client, YEAR_URL)
    row_with(rows, "吴考核", "单位目标 甲县 · 新引进亿元合同项目", "6.00 → 4.00")
    row_with(rows, "吴考核", "协作组成员 第一招商协作组", "删除", "成员单位：甲县 → —")
    row_with(rows, "吴考核", "协作组成员 第一招商协作组", "新建", "成员单位：— → 乙县")


def test_the_demo_loader_records_its_targets(db):
    units_demo.load(StringIO())
    demo.load(StringIO())
    assert Target.objects.exists()
    assert Target.history.filter(history_type="+").count() == Target.objects.count()
    assert CampaignTarget.history.count() == CampaignTarget.objects.count()
    assert GroupMembership.history.count() >= GroupMembership.objects.count()


def test_campaign_targets_changed_in_their_grid(year, login, office, unit_a):
    campaign = Campaign.objects.create(
        year=year, name="百日会战", start=datetime.date(2026, 8, 1), end=datetime.date(2026, 11, 8)
    )
    funds = year.indicators.get(code="funds")
    client = login(office)
    url = reverse("assessment:campaign_targets", args=[campaign.pk])
    client.post(url, {f"t-{unit_a.pk}-{funds.pk}": "300"})
    client.post(url, {f"t-{unit_a.pk}-{funds.pk}": "450"})
    rows = history_rows(client, YEAR_URL)
    row_with(rows, "吴考核", "会战目标 百日会战 · 甲县 · 实际到位资金", "修改", "300.00 → 450.00")


def test_deactivating_units_in_the_admin_is_recorded(db, login, admin_user, reviewer, unit_a):
    client = login(admin_user)
    changelist = reverse("admin:units_unit_changelist")
    client.post(changelist, {"action": "deactivate", "_selected_action": [unit_a.pk]})
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    rows = history_rows(login(reviewer), reverse("units:unit_detail", args=[unit_a.pk]))
    row_with(rows, "admin", "单位信息", "修改", "启用：是 → 否")
