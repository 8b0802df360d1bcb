"""Structure analysis (三多一少): projects and investment by size, category, industry, origin,
high-tech flag and stage, filterable by year, group and unit."""

import datetime

import pytest
from django.urls import reverse

from projects.models import ClaimStatus
from tests.assessment.factories import signed_project
from tests.dashboard.helpers import chart
from tests.factories import IndustryFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def projects(group, unit_a, unit_b):
    energy = IndustryFactory(name="新能源")

    def signed(unit, day, total, **kw):
        return signed_project(unit, day, total_investment=total, contracted_investment=total, **kw)

    signed(unit_a, D(2026, 3, 1), 3000, is_high_tech=True)  # < 5000 万元, 内资
    signed(
        unit_a,
        D(2026, 4, 1),
        5000,  # the band's lower bound belongs to 5000万–1亿
        status=ClaimStatus.SUBMITTED,  # reported signings count in the structure
        category="infrastructure",
        industry=energy,
        origin="hk",
    )
    signed(unit_b, D(2026, 5, 1), 10000, category="social", origin="taiwan", stage="started")
    signed(unit_a, D(2026, 6, 1), 500000, origin="foreign", is_high_tech=True)
    ProjectFactory(
        unit=unit_b,
        stage="negotiating",
        total_investment=1000000,
        category="policy",
        origin="macao",
    )
    signed(unit_a, D(2025, 6, 1), 9000)  # another year
    signed(unit_a, D(2026, 2, 1), 9000, stage="terminated", termination_reason="投资方撤资")


def test_breakdowns_for_the_year(login, leader, projects):
    response = login(leader).get(reverse("dashboard:structure"), {"year": 2026})
    sizes = chart(response, "chart-sizes")
    assert sizes["categories"][0] == "5000万元以下"
    assert sizes["series"][0]["data"] == [1, 1, 1, 0, 1, 1]
    # Investment in 亿元: 0.3, 0.5, 1, 0, 50, 100.
    assert sizes["series"][1]["data"] == ["0.30", "0.50", "1.00", "0.00", "50.00", "100.00"]
    categories = chart(response, "chart-categories")
    assert dict(zip(categories["categories"], categories["series"][0]["data"], strict=True)) == {
        "产业类（工业创税型）": 2,
        "基础设施类": 1,
        "社会事业类": 1,
        "政策性资金类": 1,
        "房地产类": 0,
    }
    industries = chart(response, "chart-industries")
    assert industries["categories"] == ["装备制造", "新能源"]
    assert industries["series"][0]["data"] == [4, 1]
    origins = chart(response, "chart-origins")
    assert origins["data"] == [
        {"name": "内资", "value": 1},
        {"name": "港资", "value": 1},
        {"name": "台资", "value": 1},
        {"name": "其他外资", "value": 2},
    ]
    stages = chart(response, "chart-stages")
    assert stages["series"][0]["data"] == [1, 3, 1, 0]
    high_tech = response.context["d"]["high_tech"]
    # 2 of 5 projects; 503000 of 1518000 万元.
    assert (str(high_tech["count_share"]), str(high_tech["investment_share"])) == (
        "40.00",
        "33.14",
    )


def test_filter_by_unit_and_by_group(login, reviewer, projects, unit_b, group):
    client = login(reviewer)
    by_unit = client.get(reverse("dashboard:structure"), {"year": 2026, "unit": unit_b.pk})
    assert by_unit.context["d"]["count"] == 2
    by_group = client.get(reverse("dashboard:structure"), {"year": 2026, "group": group.pk})
    assert by_group.context["d"]["count"] == 3  # 甲县's projects; 乙县 is in no group


def test_unit_user_sees_own_projects_only_and_cannot_pick_another_unit(
    login, staff_b, projects, unit_a
):
    response = login(staff_b).get(reverse("dashboard:structure"), {"unit": unit_a.pk})
    assert response.status_code == 200
    assert response.context["d"]["count"] == 2
    assert "所选单位不存在或无权查看" in response.content.decode()


def test_bad_year_is_a_message_not_an_error(login, leader, projects):
    response = login(leader).get(reverse("dashboard:structure"), {"year": "二〇二六"})
    assert response.status_code == 200
    assert "年度应为四位数字" in response.content.decode()


@pytest.mark.parametrize("n_projects", [5, 60])
def test_structure_query_count_is_constant(
    n_projects, login, leader, unit_a, django_assert_max_num_queries
):
    for n in range(n_projects):
        signed_project(unit_a, D(2026, 3, 1), total_investment=1000 * (n + 1))
    client = login(leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboard:structure"), {"year": 2026})
    assert response.context["d"]["count"] == n_projects
