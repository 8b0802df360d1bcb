"""Forecast and gap, on cases whose answers are worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.dashboard.forecast import elapsed_months, forecast_page, trend_projection
from assessment.engine import compute
from assessment.gap import GapRules, next_echelon_gap
from assessment.models import AssessmentYear
from projects.models import MilestoneKind
from tests.assessment.factories import (
    adjust,
    default_year,
    funds,
    investment,
    milestone,
    set_targets,
    signed_project,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_elapsed_months_and_the_funds_trend():
    assert elapsed_months(D(2026, 3, 31)) == 3
    assert elapsed_months(D(2026, 6, 30)) == 6
    assert trend_projection(Decimal(600), D(2026, 6, 30)) == Decimal(1200)
    assert trend_projection(Decimal(600), D(2026, 12, 31)) == Decimal(600)


@pytest.fixture
def pipeline(unit_a):
    """甲县 at 30 June 2026, targets 亿元新开工 2, 竣工项目固投 1000 万元, 到位资金 1200 万元.

    - started 1 (p1); p2 plans to start in September (counts); p3's plan is overdue, p4's is next
      year and p5 is under 1 亿元 (none counts) → started 1 + 1 = 2;
    - p1 plans to complete in October with 800 万元 invested → 竣工项目固投 0 + 800;
    - funds 600 in six months → 1200 by year end.
    R = 100 × (25·1 + 15·0.8 + 15·1) / 55 = 94.55 → 过半.
    """
    year = default_year(2026)
    set_targets(year, unit_a, started_100m=2, completed_fai=1000, funds=1200)
    p1 = signed_project(unit_a, D(2026, 1, 10), planned_completion=D(2026, 10, 31))
    milestone(p1, MilestoneKind.STARTED, D(2026, 3, 1))
    investment(p1, D(2026, 4, 1), 600)
    investment(p1, D(2026, 5, 1), 200)
    signed_project(unit_a, D(2026, 2, 1), planned_start=D(2026, 9, 15))
    signed_project(unit_a, D(2026, 2, 1), planned_start=D(2026, 5, 1))
    signed_project(unit_a, D(2026, 2, 1), planned_start=D(2027, 2, 1))
    signed_project(unit_a, D(2026, 2, 1), planned_start=D(2026, 8, 1), total_investment=8000)
    funds(p1, D(2026, 3, 10), 300)
    funds(p1, D(2026, 6, 10), 300)
    return year


def test_projected_year_end_from_the_pipeline(pipeline, leader, unit_a):
    data = forecast_page(leader, 2026, 2, today=D(2026, 11, 25))
    (row,) = data["rows"]
    forecast = row["forecast"]
    projected = {i.code: i.projected for i in forecast.indicators}
    assert projected == {
        "started_100m": Decimal("2.00"),
        "completed_fai": Decimal("800.00"),
        "funds": Decimal("1200.00"),
    }
    assert forecast.overall == Decimal("36.36")  # now: 100 × (12.5 + 0 + 7.5) / 55
    assert forecast.projected_overall == Decimal("94.55")
    assert forecast.projected_status == "过半"
    assert data["as_of"] == D(2026, 6, 30)


def test_forecast_page_says_it_is_an_estimate(login, pipeline, leader):
    response = login(leader).get(reverse("dashboard:forecast"), {"year": 2026, "quarter": 2})
    html = response.content.decode()
    assert "估算，仅供参考" in html
    assert "计划开工日期已过仍未开工的不计" in html
    assert 'data-testid="projected-overall">94.55%' in html


def _score_with_extra_funds(unit, amount):
    from tests.factories import ProjectFactory

    funds(ProjectFactory(unit=unit), D(2026, 6, 1), amount)
    result = compute(2026, 2)
    return next(u for u in result.units if u.id == unit.pk)


def test_gap_to_the_next_echelon(city, lead_unit, unit_b):
    ay = AssessmentYear.objects.get(year=2026)
    result = compute(ay, 2)
    lead = next(u for u in result.units if u.id == lead_unit.pk)
    gap = next_echelon_gap(result, lead, GapRules.of_year(ay, 2))
    # 第二方阵 is ranks ≤ ⌈3·2/3⌉ = 2; it takes 乙县's 31.25.
    assert (gap.echelon, gap.needed_score) == (2, Decimal("31.25"))
    steps = {s.code: s.additional for s in gap.steps}
    # 1 亿元 project: 100 × 25 × 1 / 40 = 62.5 ≥ 31.25; funds: with the tie-break (issue 17)
    # 乙县's exact 31.25 must be reached: 31.25 × 40 / 15 / 100 × 500 = 416.666… → 416.67.
    assert steps == {"signed_100m": Decimal(1), "funds": Decimal("416.67")}
    # 乙县 cannot reach 甲县's 81.25 with one indicator alone: both would need more than 120 %.
    b = next(u for u in result.units if u.id == unit_b.pk)
    gap_b = next_echelon_gap(result, b, GapRules.of_year(ay, 2))
    assert gap_b.echelon == 1 and all(s.additional is None for s in gap_b.steps)


def test_gap_is_exactly_enough(city, lead_unit):
    assert _score_with_extra_funds(lead_unit, "416.66").echelon == 3  # S 31.2495 shows 31.25
    assert _score_with_extra_funds(lead_unit, "0.01").echelon == 2  # 416.67 in all


def test_without_the_tie_break_reaching_the_rounded_score_is_enough(city, lead_unit):
    # The rule before issue 17, which years published before it keep: equal rounded S share a
    # rank, so 31.245 × 40 / 15 / 100 × 500 = 416.60 is enough.
    ay = AssessmentYear.objects.get(year=2026)
    ay.tie_break = False
    ay.save()
    gap = next_echelon_gap(
        compute(ay, 2),
        next(u for u in compute(ay, 2).units if u.id == lead_unit.pk),
        GapRules.of_year(ay, 2),
    )
    assert {s.code: s.additional for s in gap.steps}["funds"] == Decimal("416.60")
    assert _score_with_extra_funds(lead_unit, "416.59").echelon == 3
    assert _score_with_extra_funds(lead_unit, "0.01").echelon == 2  # 416.60 in all


def test_unit_user_sees_only_its_own_forecast_and_the_published_gap(
    login, staff_a, city, published_q2
):
    response = login(staff_a).get(reverse("dashboard:forecast"), {"year": 2026, "quarter": 2})
    rows = response.context["d"]["rows"]
    assert [r["forecast"].name for r in rows] == ["甲县"]
    assert "已处于第一方阵" in response.content.decode()


def test_leaders_gap_is_measured_against_the_published_ranking(
    login, leader, city, published_q2, unit_b
):
    """A published quarter shows its published ranking on every page (SPEC §5): the forecast's
    rank and gap are the ranking page's, even when a later 加减分 changes the live ranking."""
    adjust(city["year"], unit_b, 60)  # live: 乙县 31.25 + 60 = 91.25, above 甲县's 81.25
    client = login(leader)
    ranking = client.get(reverse("assessment:ranking", args=[2026, 2]))
    shown = next(u for u in ranking.context["result"].units if u.id == unit_b.pk)
    response = client.get(reverse("dashboard:forecast"), {"year": 2026, "quarter": 2})
    row = next(r for r in response.context["d"]["rows"] if r["forecast"].unit_id == unit_b.pk)
    assert (row["ranked"].rank, row["ranked"].echelon) == (shown.rank, shown.echelon) == (2, 2)
    assert row["gap"].needed_score == Decimal("81.25")
    assert "第2名（第二方阵）" in response.content.decode()


def test_unit_user_gets_no_gap_before_publication(login, staff_b, city):
    response = login(staff_b).get(reverse("dashboard:forecast"), {"year": 2026, "quarter": 2})
    assert [r["forecast"].name for r in response.context["d"]["rows"]] == ["乙县"]
    assert "本季度排名尚未发布" in response.content.decode()


def test_year_without_rules(login, leader):
    response = login(leader).get(reverse("dashboard:forecast"), {"year": 2025, "quarter": 4})
    assert response.status_code == 200
    assert "2025年尚未设置考核指标" in response.content.decode()
