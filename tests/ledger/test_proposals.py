"""Proposals from the rules (issue 20 item 1), hand-computed, and their idempotency."""

import datetime
from decimal import Decimal

import pytest

from assessment.ledger import proposals, services
from assessment.models import DecisionStatus, LedgerDecision, UnitHead
from tests.factories import UnitFactory
from tests.ledger.helpers import ended_campaign, publish_q4, year_result

D = datetime.date
AFTER = D(2025, 7, 10)  # the day after the campaign ends


def kinds(**filters):
    rows = LedgerDecision.objects.filter(**filters).select_related("unit")
    return sorted((d.unit.name, d.get_kind_display(), d.status) for d in rows)


# --- a year: escalation from the published Q4 ---------------------------------------------------


@pytest.fixture
def city_2026(db, reviewer):
    """2026: 甲 misses for the 3rd year (R 0), 乙 for the 2nd (R 80), 丙 for the 1st (R 40),
    丁 completes (R 120). Q4 2026 is published."""
    units = {n: UnitFactory(name=n) for n in ("甲县", "乙县", "丙县", "丁县")}
    history = {
        "甲县": {2024: 10, 2025: 80, 2026: 0},
        "乙县": {2025: 80, 2026: 80},
        "丙县": {2025: 100, 2026: 40},
        "丁县": {2025: 10, 2026: 120},
    }
    for name, years in history.items():
        for y, amount in years.items():
            ay = year_result(units[name], y, amount)
    publish_q4(ay, reviewer)
    return ay, units


def test_year_escalation_proposes_its_three_levels(city_2026):
    ay, units = city_2026
    UnitHead.objects.create(unit=units["甲县"], name="张明", start=D(2020, 1, 1))
    generated = proposals.propose_for_year(ay)
    assert generated.added == 3
    assert kinds(year=ay) == [
        ("丙县", "批评诫勉", "proposed"),
        ("乙县", "黄牌警告", "proposed"),
        ("甲县", "建议调整主要负责人", "proposed"),
    ]
    jia = LedgerDecision.objects.get(unit=units["甲县"])
    assert jia.head.display_name == "张明"  # the head in post at the year's end
    assert jia.basis["overall"] == "0.00" and jia.basis["years_not_completed"] == 3
    assert jia.basis["escalation"] == "建议调整主要负责人"
    assert "连续 3 年未完成任务" in jia.reason
    yi = LedgerDecision.objects.get(unit=units["乙县"])
    assert yi.basis["overall"] == "80.00" and yi.head is None


def test_nothing_is_proposed_before_q4_is_published(db):
    ay = year_result(UnitFactory(), 2026, 10)
    with pytest.raises(proposals.NothingToPropose) as refused:
        proposals.propose_for_year(ay)
    assert "第四季度尚未发布" in refused.value.message
    assert not LedgerDecision.objects.exists()


def test_regenerating_a_year_adds_nothing_and_leaves_confirmed_decisions_alone(city_2026, reviewer):
    ay, units = city_2026
    proposals.propose_for_year(ay)
    again = proposals.propose_for_year(ay)
    assert (again.added, again.refreshed, again.removed) == (0, 0, 0)
    assert LedgerDecision.objects.count() == 3

    yi = LedgerDecision.objects.get(unit=units["乙县"])
    services.confirm(yi, reviewer, D(2027, 1, 20), "招考〔2027〕3号")
    confirmed = LedgerDecision.objects.get(pk=yi.pk)
    third = proposals.propose_for_year(ay)
    assert third.added == 0 and third.kept == 1
    yi.refresh_from_db()
    assert (yi.status, yi.doc_number, yi.decided_on, yi.basis, yi.reason) == (
        DecisionStatus.CONFIRMED,
        "招考〔2027〕3号",
        D(2027, 1, 20),
        confirmed.basis,
        confirmed.reason,
    )
    assert LedgerDecision.objects.count() == 3


# --- a campaign: its own rules ------------------------------------------------------------------


@pytest.fixture
def campaign(db):
    """R at campaign end: 甲 40 % (< 50), 乙 100 % (完成), 丙 60 %, 丁 49.99 %."""
    units = {n: UnitFactory(name=n) for n in ("甲局", "乙局", "丙局", "丁局")}
    amounts = {"甲局": 40, "乙局": 100, "丙局": 60, "丁局": Decimal("49.99")}
    c = ended_campaign(
        {units[n]: a for n, a in amounts.items()},
        sanction_below_rate=Decimal("50"),
        commend_on_completion=True,
        restore_salary_on_completion=True,
    )
    return c, units


def test_campaign_below_half_proposes_off_post_and_completion_a_commendation(campaign):
    c, units = campaign
    UnitHead.objects.create(unit=units["甲局"], name="赵刚", start=D(2024, 1, 1))
    generated = proposals.propose_for_campaign(c, today=AFTER)
    assert generated.added == 4
    assert kinds(campaign=c) == [
        ("丁局", "离岗招商", "proposed"),
        ("乙局", "恢复省标工资", "proposed"),
        ("乙局", "表彰（单位）", "proposed"),
        ("甲局", "离岗招商", "proposed"),
    ]
    jia = LedgerDecision.objects.get(unit=units["甲局"])
    assert jia.basis["overall"] == "40.00"
    assert jia.reason == "会战结束时总体完成率 40.00%，低于 50%"
    assert jia.head.display_name == "赵刚" and jia.year == c.year


def test_a_campaign_without_rules_proposes_nothing(db):
    unit = UnitFactory()
    c = ended_campaign({unit: 10})
    assert proposals.propose_for_campaign(c, today=AFTER).added == 0


def test_a_campaign_under_way_proposes_nothing(campaign):
    c, _units = campaign
    with pytest.raises(proposals.NothingToPropose) as refused:
        proposals.propose_for_campaign(c, today=c.end)
    assert "尚未结束" in refused.value.message


def test_regenerating_a_campaign_is_idempotent_and_drops_what_no_rule_supports(campaign, reviewer):
    c, units = campaign
    proposals.propose_for_campaign(c, today=AFTER)
    jia = LedgerDecision.objects.get(unit=units["甲局"])
    services.confirm(jia, reviewer, D(2025, 7, 20), "招指〔2025〕12号")
    # The office drops the commendation rule; the confirmed 离岗招商 stays as it was.
    c.commend_on_completion = False
    c.save()
    generated = proposals.propose_for_campaign(c, today=AFTER)
    assert (generated.added, generated.removed, generated.kept) == (0, 1, 1)
    assert kinds(campaign=c) == [
        ("丁局", "离岗招商", "proposed"),
        ("乙局", "恢复省标工资", "proposed"),
        ("甲局", "离岗招商", "confirmed"),
    ]
    assert proposals.propose_for_campaign(c, today=AFTER).added == 0
    assert LedgerDecision.objects.filter(campaign=c).count() == 3
