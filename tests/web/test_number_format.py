"""One number format (issue 22): amounts in 万元 with thousands separators, never a column that
mixes 万元 and 亿元; 亿元 only for headline figures and 亿元 indicators; counts as integers,
shares with two places; — for an empty amount and for a contract a 洽谈 project does not have;
Django's form messages in office wording; units chosen by checkboxes, not a Ctrl-click list."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.formatting import figure
from projects.forms.projects import ProjectForm
from projects.forms.work import LeadForm
from tests.assessment.factories import (
    default_year,
    funds,
    set_targets,
    signed_project,
    split_credit,
)
from tests.factories import ProjectFactory
from units.forms import GroupForm
from units.models import GroupMembership
from units.templatetags.zs import count, pct, wan, wan_plain, yi
from zhaoshang.web.forms import CheckboxList

D = Decimal
Q2 = {"year": 2026, "quarter": 2}
RAW_AMOUNT = re.compile(r"(?<![\d,.])\d{4,}\.\d\d(?!\d)")  # 166500.00: no separators
COUNT_WITH_CENTS = re.compile(r"(?<![\d.,])\d+\.00 个")


# --- the rule itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("166500"), "166,500.00 万元"),  # above 1 亿: still 万元
        (D("10000"), "10,000.00 万元"),  # exactly 1 亿
        (D("9999.995"), "10,000.00 万元"),  # rounds half up across the boundary
        (D("1234.5"), "1,234.50 万元"),
        (D("0"), "0.00 万元"),  # a reported zero reads as one
        (D("-1500"), "-1,500.00 万元"),
        (D("-0.001"), "0.00 万元"),  # never "-0.00"
        (None, "—"),
        ("", "—"),
        ("abc", "—"),
        (12.5, "12.50 万元"),  # a float reads as written, not as its binary value
    ],
)
def test_wan_is_always_wan_with_separators(value, expected):
    assert wan(value) == expected


def test_wan_plain_has_no_unit_word_and_a_zero_may_read_as_a_dash():
    assert wan_plain(D("166500")) == "166,500.00"
    assert wan_plain(D("0")) == "0.00"
    assert wan_plain(D("0"), "—") == "—"  # nothing reported
    assert wan(D("0"), "—") == "—"
    assert wan(D("5"), "—") == "5.00 万元"
    assert wan_plain(None) == "—"


def test_yi_is_for_headline_figures_given_whole_in_yi():
    assert yi(D("166500")) == "16.65 亿元"
    assert yi(D("10000")) == "1.00 亿元"
    assert yi(D("50")) == "0.01 亿元"
    assert yi(D("1234567890")) == "123,456.79 亿元"
    assert yi(None) == "—"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "1"),
        (D("1.00"), "1"),  # the bug: "1.00" for a count
        (D("24"), "24"),
        (D("1200"), "1,200"),
        (D("0"), "0"),
        (D("0.4"), "0.40"),  # a collaboration project's share
        (D("2.125"), "2.13"),
        (None, "—"),
    ],
)
def test_counts_are_integers_and_shares_have_two_places(value, expected):
    assert count(value) == expected


def test_figures_follow_the_indicator_display_unit():
    assert figure(D("2"), "个") == "2 个"
    assert figure(D("0.40"), "个") == "0.40 个"
    assert figure(D("166500"), "万元") == "166,500.00 万元"
    assert figure(D("166500"), "亿元") == "16.65 亿元"
    assert figure(D("50"), "亿元") == "0.01 亿元"  # a small figure stays in its column's unit
    assert figure(None, "亿元") == "—"


def test_percentages_have_two_places():
    assert pct(D("87.505")) == "87.51%"
    assert pct(D("1324.891")) == "1,324.89%"
    assert pct(None) == "—"


# --- the pages ------------------------------------------------------------------------------


@pytest.fixture
def city(db, unit_a, unit_b):
    """2026: 甲县 signs a 166,500 万元 project and has 120,000 万元 funds in place; a 500 万元
    project of 乙县; a project shared 40/60 between them (0.40 个 to 甲县); a 洽谈 project of 甲县
    without a contract."""
    year = default_year(2026)
    for unit in (unit_a, unit_b):
        set_targets(year, unit, signed_100m=2, funds=200000)
    big, small, shared = (
        signed_project(
            unit,
            datetime.date(2026, month, day),
            name=name,
            total_investment=D(total),
            contracted_investment=D(contracted),
        )
        for unit, month, day, name, total, contracted in [
            (unit_a, 2, 1, "甲县大项目", "166500", "150000"),
            (unit_b, 3, 1, "乙县小项目", "800", "500"),
            (unit_b, 3, 5, "合作项目", "30000", "20000"),
        ]
    )
    funds(big, datetime.date(2026, 4, 1), 120000)
    funds(small, datetime.date(2026, 4, 2), 300)
    split_credit(shared, {unit_a: 40, unit_b: 60})
    talks = ProjectFactory(
        unit=unit_a,
        name="甲县洽谈项目",
        stage="negotiating",
        total_investment=D("24200"),
        contracted_investment=D("0"),
    )
    return {"year": year, "big": big, "talks": talks}


def _tbody(page, testid=None):
    start = page.index(f'data-testid="{testid}"') if testid else 0
    body = page[page.index("<tbody", start) : page.index("</tbody>", start)]
    # The phone layout repeats each column's header on its cells (data-label): not a value.
    return re.sub(r'data-label="[^"]*"', "", body)


def _cells(html):
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


def test_project_list_reads_every_amount_in_wan(city, login, reviewer):
    page = login(reviewer).get(reverse("projects:project_list")).content.decode()
    assert "总投资（万元）" in page and "合同投资（万元）" in page
    body = _tbody(page)
    assert "166,500.00" in body and "150,000.00" in body and "800.00" in body
    assert "亿元" not in body and "万元" not in body  # the header carries the unit
    assert not RAW_AMOUNT.search(body)
    # The 洽谈 project has no contract: — rather than a reported "0.00".
    row = body[body.index("甲县洽谈项目") :].split("</tr>")[0]
    cells = _cells(row)
    assert "24,200.00" in cells and "—" in cells and "0.00" not in cells


def test_project_page_amounts_in_wan_and_nothing_reported_reads_a_dash(city, login, reviewer):
    client = login(reviewer)
    page = client.get(city["big"].get_absolute_url()).content.decode()
    assert 'data-testid="total">166,500.00 万元<' in page
    assert "150,000.00 万元" in page
    assert re.search(r'data-testid="funds-total">120,000.00 万元<', page)
    assert re.search(r'data-testid="fai-total">—<', page)  # no fixed-asset return yet
    page = client.get(city["talks"].get_absolute_url()).content.decode()
    assert re.search(r"<dt[^>]*>合同投资</dt><dd[^>]*>—</dd>", page)
    assert not re.search(r"(?<![\d,])0\.00 万元", page)


def test_ranking_columns_keep_their_indicator_unit(city, login, reviewer):
    page = login(reviewer).get(reverse("assessment:ranking", args=[2026, 2])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "12.00 亿元" in text  # 甲县's funds: the indicator is shown in 亿元
    assert "0.03 亿元" in text  # 乙县's 300 万元 stays in the same unit as its column
    assert "1.40 个 / 2 个" in text  # 1 project + a 40 % share: 2 places; the target a count
    assert "0.60 个 / 2 个" in text
    assert not COUNT_WITH_CENTS.search(text)
    assert not RAW_AMOUNT.search(text)
    assert "万元" not in _tbody(page)


def test_dashboard_headlines_in_their_unit_and_counts_as_integers(city, login, leader):
    page = login(leader).get(reverse("dashboard:index"), Q2).content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "12.03 亿元" in text  # the funds card: the indicator's 亿元
    assert not COUNT_WITH_CENTS.search(text)
    # The data table under the chart: counts plain, amounts in 万元 as its note says.
    cells = _cells(_tbody(page, "totals-table"))
    at = cells.index("新引进亿元合同项目")
    assert cells[at + 1 : at + 3] == ["2", "4"]  # the shares add up to 2 signings; never "2.00"
    at = cells.index("实际到位资金")
    assert cells[at + 1 : at + 3] == ["120,300.00", "400,000.00"]
    assert not RAW_AMOUNT.search(text)


def test_structure_table_is_wholly_in_yi_like_its_chart(city, login, leader):
    page = login(leader).get(reverse("dashboard:structure"), {"year": 2026}).content.decode()
    assert "总投资（亿元）" in page
    cells = _cells(_tbody(page, "sizes-table"))
    assert "亿元" not in "".join(cells[2::3]) and "万元" not in "".join(cells[2::3])
    assert "—" in cells  # a size band without projects sums nothing
    assert not RAW_AMOUNT.search(page)


def test_history_shows_amounts_with_separators(city, login, reviewer):
    project = city["talks"]
    project.total_investment = D("166500")
    project.save()
    page = login(reviewer).get(project.get_absolute_url()).content.decode()
    assert "总投资（万元）：24,200.00 → 166,500.00" in page
    assert "166500.00" not in page


# --- form messages and the unit checkboxes --------------------------------------------------


def test_a_form_error_reads_in_office_chinese(login, staff_a):
    data = {"name": "", "total_investment": "一千", "contracted_investment": "-5"}
    page = login(staff_a).post(reverse("projects:project_add"), data).content.decode()
    assert "请填写此项。" in page
    assert "请输入数字，例如 1200.50。" in page
    assert "金额不能为负数。" in page
    assert "输入一个数字" not in page and "这个字段是必填项" not in page


def test_amount_too_large_says_one_wan_yi_not_yi_wan(login, staff_a):
    page = (
        login(staff_a)
        .post(reverse("projects:project_add"), {"total_investment": "200000000"})
        .content.decode()
    )
    assert "超过 1 万亿元（100,000,000 万元）" in page
    assert "亿万" not in page


def test_unit_choices_are_checkboxes_not_a_ctrl_click_list(unit_a, staff_a):
    assert isinstance(GroupForm().fields["members"].widget, CheckboxList)
    assert isinstance(LeadForm(unit=unit_a).fields["shared_with"].widget, CheckboxList)
    assert isinstance(ProjectForm(user=staff_a).fields["cooperating_units"].widget, CheckboxList)


def test_group_page_offers_checkboxes_and_the_server_checks_them(login, admin_user, group, unit_b):
    client = login(admin_user)
    url = reverse("units:group_edit", args=[group.pk])
    page = client.get(url).content.decode()
    assert '<div id="id_members" class="checkbox-list">' in page
    assert re.search(r'<input type="checkbox" name="members" value="\d+"', page)
    assert '<select name="members"' not in page and "Ctrl" not in page
    assert "<legend" in page and "成员单位" in page
    data = {
        "year": "2026",
        "name": group.name,
        "leader_name": group.leader_name,
        "leader_title": group.leader_title,
        "lead_unit": group.lead_unit.pk,
        "sort_order": group.sort_order,
        "members": [group.lead_unit.pk, "99999"],  # an id no box offers
    }
    page = client.post(url, data).content.decode()
    assert "不是有效的选项" in page or "不在可选范围内" in page
    assert set(GroupMembership.objects.filter(group=group).values_list("unit", flat=True)) != {
        group.lead_unit.pk
    }
    data["members"] = [group.lead_unit.pk, unit_b.pk]
    assert client.post(url, data).status_code == 302
    members = set(GroupMembership.objects.filter(group=group).values_list("unit", flat=True))
    assert members == {group.lead_unit.pk, unit_b.pk}
