"""One target grid per year: units as rows, indicators as columns; bad input saves nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Target
from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import default_year, set_targets

URL = reverse("assessment:targets", args=[2026])
GROUP_URL = reverse("assessment:group_targets", args=[2026])


@pytest.fixture
def year(db):
    return default_year(2026)


def cell(year, owner, code):
    return f"t-{owner.pk}-{year.indicators.get(code=code).pk}"


def test_reviewer_saves_the_grid(year, login, reviewer, unit_a, unit_b):
    client = login(reviewer)
    data = {cell(year, unit_a, "signed_100m"): "3", cell(year, unit_b, "funds"): "12,500.5"}
    response = client.post(URL, data, follow=True)
    assert "目标已保存" in response.content.decode()
    values = {(t.unit.name, t.indicator.code): t.value for t in Target.objects.all()}
    assert values == {("甲县", "signed_100m"): Decimal(3), ("乙县", "funds"): Decimal("12500.50")}


def test_bad_cells_are_listed_and_nothing_is_saved(year, login, reviewer, unit_a, unit_b):
    set_targets(year, unit_a, funds=100)
    client = login(reviewer)
    data = {
        cell(year, unit_a, "funds"): "200",
        cell(year, unit_a, "signed_100m"): "-1",
        cell(year, unit_b, "funds"): "十万",
    }
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "全部未保存" in page
    assert "甲县·新引进亿元合同项目：不能为负数" in page
    assert "乙县·实际到位资金：不是有效的数字" in page
    assert 'value="十万"' in page  # the user's input is kept for correction
    assert Target.objects.get().value == Decimal(100)


def test_empty_cell_removes_a_target(year, login, reviewer, unit_a):
    set_targets(year, unit_a, funds=100)
    login(reviewer).post(URL, {cell(year, unit_a, "funds"): ""})
    assert not Target.objects.exists()


def test_cells_left_out_of_the_post_are_kept(year, login, reviewer, unit_a, unit_b):
    set_targets(year, unit_a, funds=100)
    set_targets(year, unit_b, funds=50)
    client = login(reviewer)
    response = client.post(URL, {}, follow=True)  # an empty POST wipes nothing
    assert "目标已保存" in response.content.decode()
    assert Target.objects.count() == 2
    client.post(URL, {cell(year, unit_b, "funds"): "80"})
    values = {t.unit.name: t.value for t in Target.objects.all()}
    assert values == {"甲县": Decimal(100), "乙县": Decimal(80)}


def test_a_province_sized_grid_posts_in_one_go(year, login, reviewer):
    """More than Django's default 1,000 fields: 220 units × the year's indicators."""
    from tests.factories import UnitFactory

    units = [UnitFactory(name=f"考核单位{n:03d}") for n in range(220)]
    codes = list(year.indicators.values_list("code", flat=True))
    data = {cell(year, unit, code): "1" for unit in units for code in codes}
    assert len(data) > 1000
    response = login(reviewer).post(URL, data, follow=True)
    assert response.status_code == 200
    assert "目标已保存" in response.content.decode()
    assert Target.objects.count() == len(data)


def test_group_grid_warns_when_members_add_up_to_less(year, login, reviewer, group, unit_a):
    set_targets(year, unit_a, signed_100m=2)
    client = login(reviewer)
    client.post(GROUP_URL, {cell(year, group, "signed_100m"): "5"})
    page = client.get(GROUP_URL).content.decode()
    assert "成员单位目标之和低于协作组目标" in page
    assert "第一招商协作组 · 新引进亿元合同项目" in page
    set_targets(year, group.lead_unit, signed_100m=3)
    assert "成员单位目标之和低于协作组目标" not in client.get(GROUP_URL).content.decode()


@pytest.mark.parametrize("user_fixture", ["staff_a", "head_a", "coordinator", "leader"])
def test_only_reviewers_edit_targets(year, login, request, user_fixture, unit_a):
    client = login(request.getfixturevalue(user_fixture))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {cell(year, unit_a, "funds"): "1"}).status_code == 403
    assert not Target.objects.exists()


def test_targets_are_locked_after_publication(year, login, reviewer, unit_a):
    set_targets(year, unit_a, funds=100)
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    client = login(reviewer)
    assert "目标已锁定" in client.get(URL).content.decode()
    assert client.post(URL, {cell(year, unit_a, "funds"): "1"}).status_code == 403
    assert Target.objects.get().value == Decimal(100)
