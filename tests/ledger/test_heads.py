"""Heads in post (issue 20 item 2): terms never overlap; escalation may follow the head."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessment.engine import compute
from assessment.models import UnitHead
from tests.factories import UnitFactory
from tests.ledger.helpers import make_year, year_result

D = datetime.date


def term(unit, name, start, end=None):
    return UnitHead.objects.create(unit=unit, name=name, start=start, end=end)


def test_overlapping_terms_of_one_unit_are_refused_in_chinese(db):
    unit = UnitFactory()
    term(unit, "张明", D(2020, 1, 1), D(2025, 6, 30))
    clash = UnitHead(unit=unit, name="李华", start=D(2025, 6, 1))
    with pytest.raises(ValidationError) as refused:
        clash.full_clean()
    assert "重叠" in str(refused.value)
    # The day after the term ends is free; so is another unit.
    UnitHead(unit=unit, name="李华", start=D(2025, 7, 1)).full_clean()
    UnitHead(unit=UnitFactory(), name="王强", start=D(2025, 6, 1)).full_clean()


def test_a_term_needs_a_name_and_ends_after_it_starts(db):
    unit = UnitFactory()
    with pytest.raises(ValidationError) as refused:
        UnitHead(unit=unit, start=D(2025, 1, 1), end=D(2024, 1, 1)).full_clean()
    messages = str(refused.value)
    assert "请填写负责人姓名" in messages and "不能早于开始日期" in messages


def escalation(unit, y):
    row = next(e for e in compute(y, 4).units if e.id == unit.pk)
    return row.years_not_completed, row.escalation


@pytest.fixture
def missed_three_years(db):
    """A unit misses its target in 2024, 2025 and 2026 (R 10 %, 80 %, 0 %); its head changes in
    the middle of 2025 (张明 until 2025-06-30, 李华 from 2025-07-01)."""
    unit = UnitFactory()
    for y, amount in ((2024, 10), (2025, 80), (2026, 0)):
        year_result(unit, y, amount)
    term(unit, "张明", D(2019, 3, 1), D(2025, 6, 30))
    term(unit, "李华", D(2025, 7, 1))
    return unit


def test_by_unit_the_head_change_does_not_reset_the_count(missed_three_years):
    # The default: three consecutive years → 建议调整主要负责人, whoever was head.
    assert escalation(missed_three_years, 2026) == (3, "建议调整主要负责人")


def test_following_the_head_counts_only_the_years_of_the_head_in_post(missed_three_years):
    for y in (2025, 2026):
        ay = make_year(y)
        ay.escalation_follows_head = True
        ay.save()
    # 2026: 李华 was head at the end of 2025 and is now → 2025 and 2026 count; at the end of 2024
    # 张明 was head → the run stops: 2 years, 黄牌警告 (not 建议调整主要负责人).
    assert escalation(missed_three_years, 2026) == (2, "黄牌警告")
    # 2025: the head at its end (李华) was not head at the end of 2024 → the count restarts.
    assert escalation(missed_three_years, 2025) == (1, "批评诫勉")


def test_following_the_head_without_a_recorded_head_counts_by_unit(db):
    unit = UnitFactory()
    for y, amount in ((2025, 80), (2026, 80)):
        year_result(unit, y, amount)
    ay = make_year(2026)
    ay.escalation_follows_head = True
    ay.save()
    assert escalation(unit, 2026) == (2, "黄牌警告")


def test_a_new_head_changes_the_cached_ranking(missed_three_years):
    ay = make_year(2026)
    ay.escalation_follows_head = True
    ay.save()
    from assessment.engine import compute_cached

    assert compute_cached(2026, 4).units[0].escalation == "黄牌警告"
    # The head's term is corrected: 李华 only took over in 2026 → one year under this head.
    head = UnitHead.objects.get(name="李华")
    head.start = D(2026, 1, 1)
    head.save()
    assert compute_cached(2026, 4).units[0].escalation == "批评诫勉"
