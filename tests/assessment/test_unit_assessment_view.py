"""A unit's own assessment page explains its score down to the claims, and the way up."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.explain import next_echelon_steps
from assessment.gap import GapRules
from assessment.models import ScoreAdjustment
from assessment.snapshots import compute_snapshot, publish
from projects.models import ClaimStatus
from tests.assessment.factories import default_year, set_targets, signed_project, split_credit


@pytest.fixture
def year(db, unit_a, unit_b):
    ay = default_year(2026)
    set_targets(ay, unit_a, signed_100m=4)
    set_targets(ay, unit_b, signed_100m=4)
    return ay


def url(unit, quarter=1):
    return reverse("assessment:unit_assessment", args=[2026, quarter, unit.pk])


def test_each_figure_links_down_to_its_claims(year, login, reviewer, unit_a, unit_b):
    shared = signed_project(unit_a, name="甲乙合建产业园")
    split_credit(shared, {unit_a: 50, unit_b: 50})
    signed_project(unit_a, name="待审项目", status=ClaimStatus.REVIEWED)
    page = login(reviewer).get(url(unit_a)).content.decode()
    claim = shared.milestones.get()
    assert "甲乙合建产业园" in page
    assert reverse("review:claim_detail", args=["milestone", claim.pk]) in page
    assert "50.00%" in page and "0.50 个" in page
    assert "待核实，不计入" in page


def test_claim_amounts_are_formatted_in_wan(year, login, reviewer, unit_a):
    from tests.factories import FundsEntryFactory, ProjectFactory

    FundsEntryFactory(
        project=ProjectFactory(unit=unit_a), date=datetime.date(2026, 2, 1), amount=Decimal(9000)
    )
    page = login(reviewer).get(url(unit_a)).content.decode()
    assert "9,000.00 万元" in page


def test_unit_user_sees_own_published_page_only(year, login, staff_a, reviewer, unit_b):
    client = login(staff_a)
    assert "尚未发布" in client.get(url(staff_a.unit)).content.decode()
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    assert client.get(url(staff_a.unit)).status_code == 200
    assert client.get(url(unit_b)).status_code == 404


def test_next_echelon_needs_the_smallest_lift_to_reach_the_last_score(year, unit_a, unit_b):
    from tests.factories import UnitFactory

    c = UnitFactory(name="丙县")
    set_targets(year, c, signed_100m=4)
    signed_project(unit_a)
    signed_project(unit_a)
    signed_project(unit_b)
    # Scores: 甲 50, 乙 25, 丙 0 → echelons 1, 2, 3. Equal scores share a rank (SPEC §5), so
    # reaching 乙's 25 is enough: one signing ties at 25, rank 2, 第二方阵. (This test used to
    # demand a score strictly above 25 — 1.01 signings — which the forecast page never did; both
    # pages now share assessment.dashboard.forecast.next_echelon_gap, and counts are whole
    # projects.)
    from assessment.engine import compute

    result = compute(year, 1)
    entity = next(e for e in result.units if e.id == c.pk)
    echelon, threshold, steps, _conditions = next_echelon_steps(
        result, entity, GapRules.of_year(year, 1)
    )
    assert (echelon, threshold) == (2, Decimal("25.00"))
    assert [(s.code, s.additional) for s in steps] == [("signed_100m", Decimal(1))]
    signed_project(c)
    after = next(e for e in compute(year, 1).units if e.id == c.pk)
    assert (after.score, after.rank, after.echelon) == (Decimal("25.00"), 2, 2)


def test_reviewer_adds_an_adjustment_with_a_reason(year, login, reviewer, unit_a):
    client = login(reviewer)
    add = reverse("assessment:adjustment_add", args=[2026, 1, unit_a.pk])
    response = client.post(add, {"points": "abc", "reason": ""}, follow=True)
    assert "加减分未保存" in response.content.decode()
    assert not ScoreAdjustment.objects.exists()
    response = client.post(add, {"points": "-2", "reason": "数据报送不及时"}, follow=True)
    page = response.content.decode()
    assert "数据报送不及时" in page
    assert ScoreAdjustment.objects.get().created_by == reviewer


def test_unit_user_cannot_add_adjustments(year, login, head_a, unit_a):
    add = reverse("assessment:adjustment_add", args=[2026, 1, unit_a.pk])
    assert login(head_a).post(add, {"points": "5", "reason": "自评"}).status_code == 403


def test_unit_page_shows_its_latest_published_rank(year, login, staff_a, reviewer, unit_a):
    signed_project(unit_a, date=datetime.date(2026, 2, 2))
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    page = login(staff_a).get(reverse("units:unit_detail", args=[unit_a.pk])).content.decode()
    assert "2026年第一季度（已发布）" in page
    assert "第一方阵" in page and url(unit_a) in page
