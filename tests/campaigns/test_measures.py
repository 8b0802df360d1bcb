"""A campaign's own measures in the campaign score (issue 20 item 4), hand-computed.

The campaign fixture (tests/campaigns/conftest.py): 1 April → 9 July 2025; 甲县 signed_100m 1,
funds 400; 乙县 signed_100m 2, funds 400 (weights 25 and 15, the year's cap 1.2)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessment.campaigns import services
from assessment.formatting import figure
from assessment.models import CampaignMeasure
from projects.models import ClaimStatus, MilestoneKind
from tests.factories import (
    CampaignMeasureFactory,
    ProjectFactory,
    UnitFactory,
    band_measure,
    file_report,
    measure_target,
    milestone,
    set_campaign_targets,
    signed_project,
    split_credit,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def units_by_name(result):
    return {u.name: u for u in result.units}


@pytest.fixture
def after_end(today):
    today(D(2025, 7, 20))


def test_measures_enter_completion_and_score(campaign, unit_a, unit_b, after_end):
    info = CampaignMeasureFactory(campaign=campaign, name="招商信息条数", weight=10)
    band = band_measure(campaign, "5000万元以上签约项目", 5000, weight=20)
    measure_target(info, unit_a, 10)
    measure_target(band, unit_a, 2)
    measure_target(info, unit_b, 10)
    signed_project(unit_a, D(2025, 5, 1))  # 15000: counts for signed_100m and the band
    signed_project(unit_a, D(2025, 5, 2), contracted_investment=Decimal(6000))  # band only
    signed_project(unit_a, D(2025, 5, 3), contracted_investment=Decimal(4000))  # neither
    signed_project(unit_a, D(2025, 3, 1), contracted_investment=Decimal(8000))  # before it
    file_report(campaign, unit_a, 1, **{info.code: 4})
    file_report(campaign, unit_a, 3, **{info.code: 2})
    file_report(campaign, unit_b, 2, **{info.code: 15})

    result = services.standing(campaign).result
    a, b = units_by_name(result)["甲县"], units_by_name(result)["乙县"]

    assert a.indicators[band.code].actual == 2
    assert a.indicators[info.code].actual == 6
    assert a.indicators[info.code].completion_pct == Decimal("60.00")
    # 甲县: 100 × (25·1 + 15·0 + 10·0.6 + 20·1) / 70 = 72.857… → 72.86
    assert a.score == Decimal("72.86")
    assert a.overall == Decimal("72.86")
    # 乙县: 15 / 10 is capped at 1.2 in S, at 1 in R; no band target, so not assessed.
    # S = 100 × (10·1.2) / 50 = 24.00, R = 100 × 10 / 50 = 20.00
    assert b.score == Decimal("24.00")
    assert b.overall == Decimal("20.00")
    assert not b.indicators[band.code].assessed
    assert [u.name for u in result.units if u.ranked] == ["甲县", "乙县"]
    assert {s.code for s in result.indicators} >= {info.code, band.code}


def test_a_unit_with_only_measure_targets_takes_part(campaign, after_end):
    town = UnitFactory(name="丙镇")
    info = CampaignMeasureFactory(campaign=campaign, name="客商人次", unit_label="人次")
    measure_target(info, town, 100)
    file_report(campaign, town, 1, **{info.code: 30})
    entity = units_by_name(services.standing(campaign).result)["丙镇"]
    assert entity.score == Decimal("30.00")  # the measure is its only assessed indicator


def test_band_counts_follow_milestone_basis_status_and_shares(campaign, unit_a, unit_b, after_end):
    band = band_measure(
        campaign, "亿元以上开工项目", 10000, milestone=MilestoneKind.STARTED, basis="total"
    )
    measure_target(band, unit_a, 4)
    measure_target(band, unit_b, 4)
    big = ProjectFactory(unit=unit_a, total_investment=Decimal(12000))
    milestone(big, MilestoneKind.SIGNED, D(2025, 4, 2))
    milestone(big, MilestoneKind.STARTED, D(2025, 4, 20))
    exact = ProjectFactory(unit=unit_a, total_investment=Decimal(10000))  # the bound counts
    milestone(exact, MilestoneKind.STARTED, D(2025, 6, 1))
    small = ProjectFactory(unit=unit_a, total_investment=Decimal(9999.99))
    milestone(small, MilestoneKind.STARTED, D(2025, 6, 1))
    waiting = ProjectFactory(unit=unit_a, total_investment=Decimal(30000))
    milestone(waiting, MilestoneKind.STARTED, D(2025, 6, 2), status=ClaimStatus.SUBMITTED)
    shared = ProjectFactory(unit=unit_a, total_investment=Decimal(50000))
    split_credit(shared, {unit_a: 50, unit_b: 50})
    milestone(shared, MilestoneKind.STARTED, D(2025, 7, 1))
    late = ProjectFactory(unit=unit_b, total_investment=Decimal(50000))
    milestone(late, MilestoneKind.STARTED, D(2025, 7, 10))  # after the campaign

    result = services.standing(campaign).result
    a, b = units_by_name(result)["甲县"], units_by_name(result)["乙县"]
    assert a.indicators[band.code].actual == Decimal("2.5")
    assert a.indicators[band.code].pending == 1
    assert b.indicators[band.code].actual == Decimal("0.5")


def test_campaign_report_page_shows_the_measures(login, reviewer, campaign, unit_a, after_end):
    info = CampaignMeasureFactory(campaign=campaign, name="小分队数", unit_label="个")
    measure_target(info, unit_a, 3)
    response = login(reviewer).get(campaign.get_absolute_url())
    assert "小分队数" in response.content.decode()


def _queries(campaign):
    with CaptureQueriesContext(connection) as ctx:
        services.standing(campaign)
    return len(ctx.captured_queries)


def _add_units(campaign, measures, count, first=0):
    for n in range(first, first + count):
        unit = UnitFactory(name=f"会战单位{n:02d}")
        set_campaign_targets(campaign, unit, signed_100m=1)
        signed_project(unit, D(2025, 5, 1), contracted_investment=Decimal(6000))
        for measure in measures:
            measure_target(measure, unit, 5)
        reported = [m for m in measures if not m.is_band]
        file_report(campaign, unit, 1, **{m.code: 1 for m in reported})
        file_report(campaign, unit, 2, **{m.code: 2 for m in reported})


def test_engine_queries_are_fixed_in_units_reports_and_measures(campaign, after_end):
    plain = _queries(campaign)
    measures = [
        CampaignMeasureFactory(campaign=campaign, name="招商信息条数"),
        CampaignMeasureFactory(campaign=campaign, name="客商人次"),
        band_measure(campaign, "5000万元以上签约项目", 5000),
        band_measure(campaign, "亿元以上开工项目", 10000, milestone=MilestoneKind.STARTED),
    ]
    _add_units(campaign, measures, 2)
    small = _queries(campaign)
    _add_units(campaign, measures, 6, first=2)
    large = _queries(campaign)
    assert small == large
    # The measures, their targets and the reported sums are read whether or not there are any;
    # the bands join the year's milestone query, so measures add no query at all.
    assert small == plain


def test_measures_page_is_office_only(login, reviewer, leader, staff_a, campaign):
    url = reverse("assessment:campaign_measures", args=[campaign.pk])
    assert login(staff_a).get(url).status_code == 403
    assert login(leader).get(url).status_code == 403
    assert login(reviewer).get(url).status_code == 200


def test_office_adds_measures_with_chinese_messages(login, reviewer, campaign):
    client = login(reviewer)
    url = reverse("assessment:campaign_measures", args=[campaign.pk])
    data = {"form": "measure", "name": "亿元以上签约项目", "kind": "project_band"}
    data |= {"unit_label": "个", "weight": "20", "milestone": "signed", "order": "0"}
    data |= {"investment_basis": "contracted", "min_investment": ""}
    page = client.post(url, data).content.decode()
    assert "项目个数类指标须填写投资下限（万元）。" in page
    assert not CampaignMeasure.objects.exists()

    page = client.post(url, data | {"weight": "0", "min_investment": "10000"}).content.decode()
    assert "权重必须大于 0。" in page
    assert client.post(url, data | {"min_investment": "10000"}).status_code == 302
    measure = CampaignMeasure.objects.get()
    assert measure.min_investment == Decimal("10000") and measure.is_band

    page = client.post(url, data | {"min_investment": "5000"}).content.decode()
    assert "本会战已有同名专项指标。" in page
    assert CampaignMeasure.objects.count() == 1


def test_office_sets_measure_targets_all_or_nothing(login, reviewer, campaign, unit_a, unit_b):
    info = CampaignMeasureFactory(campaign=campaign, name="招商信息条数")
    client = login(reviewer)
    url = reverse("assessment:campaign_measure_targets", args=[campaign.pk])
    bad = {f"t-{unit_a.pk}-{info.pk}": "20", f"t-{unit_b.pk}-{info.pk}": "-3"}
    page = client.post(url, bad).content.decode()
    assert "全部未保存" in page
    assert not info.targets.exists()
    good = {f"t-{unit_a.pk}-{info.pk}": "20", f"t-{unit_b.pk}-{info.pk}": ""}
    assert client.post(url, good).status_code == 302
    assert {t.unit_id: t.value for t in info.targets.all()} == {unit_a.pk: Decimal(20)}


def test_cadence_is_fixed_once_a_unit_has_reported(login, reviewer, campaign, unit_a):
    client = login(reviewer)
    url = reverse("assessment:campaign_measures", args=[campaign.pk])
    assert client.post(url, {"form": "cadence", "report_cadence": "ten_day"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.report_cadence == "ten_day"
    file_report(campaign, unit_a, 1)
    page = client.post(url, {"form": "cadence", "report_cadence": "weekly"}).content.decode()
    assert "报送周期不能再修改" in page
    campaign.refresh_from_db()
    assert campaign.report_cadence == "ten_day"


def test_the_campaign_workbook_carries_the_measures(login, reviewer, campaign, unit_a, after_end):
    info = CampaignMeasureFactory(campaign=campaign, name="客商人次", unit_label="人次")
    measure_target(info, unit_a, 50)
    file_report(campaign, unit_a, 1, **{info.code: 20})
    response = login(reviewer).get(reverse("assessment:campaign_export", args=[campaign.pk]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheets = [wb[n] for n in wb.sheetnames if n.startswith("指标完成情况")]
    values = [c.value for s in sheets for row in s.iter_rows() for c in row if c.value is not None]
    assert "客商人次（人次）" in values
    assert 20 in values and 50 in values


def test_a_measure_figure_reads_in_its_own_unit():
    assert figure(Decimal(6), "条") == "6 条"
    assert figure(Decimal(1500), "人次") == "1,500 人次"
