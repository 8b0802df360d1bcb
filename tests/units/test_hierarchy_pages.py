"""Issue 20 item 3: the 下属单位 pages — the roll-up (each sub-unit's figures, their sum, the
sub-units ranked among themselves), targets passed down with the shortfall warning, who may open
and change them, and a query count that does not grow with the number of sub-units."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import targets as grid
from assessment.models import Target
from tests.assessment.factories import SnapshotFactory, default_year, funds, set_targets
from tests.factories import ProjectFactory, UnitFactory, UserFactory
from units.models import Role, UnitType

D = Decimal


@pytest.fixture
def year(db):
    return default_year(2026)


@pytest.fixture
def county(db):
    return UnitFactory(name="甲县")


@pytest.fixture
def towns(county):
    return [
        UnitFactory(name="甲县城关镇", unit_type=UnitType.TOWN, parent=county, sort_order=1),
        UnitFactory(name="甲县经开区", unit_type=UnitType.PARK, parent=county, sort_order=2),
    ]


@pytest.fixture
def county_staff(county):
    return UserFactory(username="county_staff", role=Role.UNIT_STAFF, unit=county)


@pytest.fixture
def town_staff(towns):
    return UserFactory(username="town_staff", role=Role.UNIT_STAFF, unit=towns[0])


def cell(ay, unit, code="funds"):
    return f"t-{unit.pk}-{ay.indicators.get(code=code).pk}"


def test_rollup_shows_each_sub_unit_their_sum_and_ranks_them(
    year, county, towns, county_staff, client, login
):
    town, park = towns
    set_targets(year, county, funds=1000)
    set_targets(year, town, funds=400)
    set_targets(year, park, funds=400)
    funds(ProjectFactory(unit=town), datetime.date(2026, 2, 1), 100)  # 25 %
    funds(ProjectFactory(unit=park), datetime.date(2026, 3, 1), 300)  # 75 %
    funds(ProjectFactory(unit=county), datetime.date(2026, 3, 1), 50)  # the county's own
    login(county_staff)
    resp = client.get(f"/units/{county.pk}/subunits/?year=2026")
    assert resp.status_code == 200
    rows = resp.context["rollup"].rows
    assert [(r.name, r.rank, r.overall) for r in rows] == [
        ("甲县经开区", 1, D("75.00")),
        ("甲县城关镇", 2, D("25.00")),
    ]
    total = resp.context["rollup"].total["funds"]
    assert (total.actual, total.target, total.completion_pct) == (D(400), D(1000), D("40.00"))
    page = resp.content.decode()
    assert "下属单位合计" in page and "分解下达目标" in page


def test_passing_targets_down_warns_when_they_fall_short(
    year, county, towns, county_staff, client, login
):
    town, park = towns
    set_targets(year, county, funds=1000, signed_100m=2)
    login(county_staff)
    url = f"/units/{county.pk}/subunits/2026/targets/"
    resp = client.post(url, {cell(year, town, "funds"): "300", cell(year, park, "funds"): "500"})
    assert resp.status_code == 302
    values = dict(Target.objects.filter(unit__in=towns).values_list("unit__name", "value"))
    assert values == {"甲县城关镇": D(300), "甲县经开区": D(500)}
    page = client.get(url).content.decode()
    assert "下属单位目标之和低于本级目标" in page
    # Funds show in 亿元: 300 + 500 = 0.08 亿 against 0.10 亿.
    assert "实际到位资金：本级目标 0.10 亿元，下属单位合计 0.08 亿元" in page
    # Passed down in full: the funds warning goes; signed (not passed down) still warns.
    client.post(url, {cell(year, park, "funds"): "700"})
    shortfalls = client.get(url).context["shortfalls"]
    assert [s.parent_target for s in shortfalls] == [D(2)]


def test_bad_input_saves_nothing(year, county, towns, county_staff, client, login):
    town, park = towns
    login(county_staff)
    resp = client.post(
        f"/units/{county.pk}/subunits/2026/targets/",
        {cell(year, town): "300", cell(year, park): "很多"},
    )
    assert resp.status_code == 200
    assert "全部未保存" in resp.content.decode()
    assert not Target.objects.filter(unit__in=towns).exists()


def test_passed_down_targets_stay_out_of_the_offices_grid(year, county, towns, reviewer):
    set_targets(year, towns[0], funds=100)
    assert county in grid.owners(year, "unit")
    assert towns[0] not in grid.owners(year, "unit")
    # Saving the office's grid leaves the sub-units' targets alone.
    grid.save_grid(year, "unit", {}, reviewer)
    assert Target.objects.filter(unit=towns[0]).exists()


def test_who_may_open_and_change_passed_down_targets(
    year, county, towns, county_staff, town_staff, staff_b, reviewer, leader, client, login
):
    town = towns[0]
    url = f"/units/{county.pk}/subunits/2026/targets/"
    data = {cell(year, town): "100"}
    for user, get, post in [
        (county_staff, 200, 302),
        (reviewer, 200, 302),
        (leader, 200, 403),  # reads everything, changes no data
        (town_staff, 404, 404),  # a sub-unit does not read its parent's breakdown
        (staff_b, 404, 404),
    ]:
        login(user)
        assert client.get(url).status_code == get, user
        assert client.post(url, data).status_code == post, user
    login(town_staff)  # the town reads its own sub-units' page (empty), not its parent's
    assert client.get(f"/units/{town.pk}/subunits/").status_code == 200


def test_a_published_years_passed_down_targets_are_frozen(
    year, county, towns, county_staff, client, login
):
    SnapshotFactory(year=year, quarter=1, status="published")
    login(county_staff)
    url = f"/units/{county.pk}/subunits/2026/targets/"
    page = client.get(url)
    assert "目标已锁定" in page.content.decode() and not page.context["may_edit"]
    client.post(url, {cell(year, towns[0]): "100"})
    assert not Target.objects.filter(unit=towns[0]).exists()


def _build(county, year, n):
    for k in range(n):
        sub = UnitFactory(name=f"{county.name}镇{k}", unit_type=UnitType.TOWN, parent=county)
        set_targets(year, sub, funds=100 + k, signed_100m=1)
        funds(ProjectFactory(unit=sub), datetime.date(2026, 2, 1), 10 + k)


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_both_pages_cost_the_same_queries_with_2_and_6_sub_units(year, reviewer, client, login):
    small, large = UnitFactory(name="小县"), UnitFactory(name="大县")
    _build(small, year, 2)
    _build(large, year, 6)
    login(reviewer)
    for path in ("/units/{}/subunits/?year=2026", "/units/{}/subunits/2026/targets/"):
        assert _page_queries(client, path.format(small.pk)) == _page_queries(
            client, path.format(large.pk)
        )
