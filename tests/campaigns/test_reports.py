"""周报/旬报 of a campaign (issue 20 item 4): periods, one report per unit and period, filed by
the unit's own users, read by the office, frozen once the period's 简报 is issued."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.campaigns import briefs
from assessment.campaigns.periods import periods
from assessment.models import CampaignReport, CampaignReportFigure
from tests.factories import (
    CampaignMeasureFactory,
    UnitFactory,
    UserFactory,
    file_report,
    measure_target,
)
from units.models import Role
from zhaoshang.guarded import Frozen

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def info(campaign, unit_a, unit_b):
    measure = CampaignMeasureFactory(campaign=campaign, name="招商信息条数", unit_label="条")
    measure_target(measure, unit_a, 10)
    measure_target(measure, unit_b, 10)
    return measure


def edit_url(campaign, period):
    return reverse("assessment:campaign_report_edit", args=[campaign.pk, period])


def list_url(campaign, period=None):
    url = reverse("assessment:campaign_reports", args=[campaign.pk])
    return f"{url}?period={period}" if period else url


def test_weekly_periods_are_calendar_weeks_cut_to_the_campaign(campaign):
    found = periods(campaign)  # 1 April 2025 is a Tuesday; 9 July a Wednesday
    assert (found[0].start, found[0].end) == (D(2025, 4, 1), D(2025, 4, 6))
    assert (found[1].start, found[1].end) == (D(2025, 4, 7), D(2025, 4, 13))
    assert (found[-1].start, found[-1].end) == (D(2025, 7, 7), D(2025, 7, 9))
    assert len(found) == 15
    assert found[0].label == "第1周（04月01日—04月06日）"


def test_ten_day_periods_are_calendar_xun(campaign):
    campaign.report_cadence = "ten_day"
    found = periods(campaign)
    spans = [(p.start, p.end) for p in found[:4]]
    assert spans == [
        (D(2025, 4, 1), D(2025, 4, 10)),
        (D(2025, 4, 11), D(2025, 4, 20)),
        (D(2025, 4, 21), D(2025, 4, 30)),
        (D(2025, 5, 1), D(2025, 5, 10)),
    ]
    assert (found[-1].start, found[-1].end) == (D(2025, 7, 1), D(2025, 7, 9))
    assert len(found) == 10


def test_a_unit_files_one_report_per_period(login, staff_a, campaign, unit_a, info, today):
    today(D(2025, 4, 20))
    client = login(staff_a)
    data = {f"m{info.pk}": "4", "progress": "走访客商 3 家"}
    assert client.post(edit_url(campaign, 1), data).status_code == 302
    assert client.post(edit_url(campaign, 1), data | {f"m{info.pk}": "6"}).status_code == 302
    report = CampaignReport.objects.get()
    assert (report.unit, report.period, report.filed_by) == (unit_a, 1, staff_a)
    assert report.figures.get().value == Decimal(6)
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignReport.objects.create(campaign=campaign, unit=unit_a, period=1)


def test_bad_figures_are_refused_in_chinese(login, staff_a, campaign, info, today):
    today(D(2025, 4, 20))
    client = login(staff_a)
    page = client.post(edit_url(campaign, 1), {f"m{info.pk}": "-1"}).content.decode()
    assert "招商信息条数不能为负数。" in page
    page = client.post(edit_url(campaign, 1), {f"m{info.pk}": "很多"}).content.decode()
    assert "招商信息条数应为数字。" in page
    assert not CampaignReport.objects.exists()


def test_no_report_for_a_period_not_begun(login, staff_a, campaign, info, today):
    today(D(2025, 4, 20))
    assert login(staff_a).get(edit_url(campaign, 4)).status_code == 404  # from 21 April


def test_only_units_taking_part_file_and_only_their_own(
    login, staff_a, staff_b, reviewer, leader, campaign, unit_a, unit_b, info, today
):
    today(D(2025, 4, 20))
    login(staff_b).post(edit_url(campaign, 1), {f"m{info.pk}": "2"})
    assert CampaignReport.objects.get().unit == unit_b
    outsider = UserFactory(username="staff_c", role=Role.UNIT_STAFF, unit=UnitFactory(name="丙镇"))
    assert login(outsider).get(edit_url(campaign, 1)).status_code == 403
    assert login(outsider).get(list_url(campaign)).status_code == 403
    # The office and leaders read but do not file.
    assert login(reviewer).get(edit_url(campaign, 1)).status_code == 403
    assert login(leader).post(edit_url(campaign, 1), {f"m{info.pk}": "1"}).status_code == 403
    # 甲县's staff sees only 甲县's own reports.
    page = login(staff_a).get(list_url(campaign)).content.decode()
    assert "甲县" in page and "乙县" not in page


def test_the_office_reads_all_and_who_has_not_reported(
    login, reviewer, leader, campaign, unit_a, unit_b, info, today
):
    today(D(2025, 4, 20))
    file_report(campaign, unit_b, 1, progress="组建小分队 2 支", **{info.code: 3})
    for user in (reviewer, leader):
        response = login(user).get(list_url(campaign, 1))
        assert [r.unit for r in response.context["filed"]] == [unit_b]
        assert response.context["missing"] == [unit_a]
        assert "组建小分队 2 支" in response.content.decode()


def test_reports_freeze_when_the_brief_is_issued(
    login, staff_a, reviewer, campaign, unit_a, info, today
):
    today(D(2025, 4, 20))
    report = file_report(campaign, unit_a, 1, **{info.code: 4})
    file_report(campaign, unit_a, 2, **{info.code: 1})
    client = login(reviewer)
    assert client.post(reverse("assessment:campaign_brief_issue", args=[campaign.pk, 1]))
    assert campaign.briefs.get().number == 1

    response = login(staff_a).post(edit_url(campaign, 1), {f"m{info.pk}": "9"}, follow=True)
    assert "第1期（第1周（04月01日—04月06日））简报已印发" in response.content.decode()
    assert report.figures.get().value == Decimal(4)
    # Every path, not only the page: the guard refuses saves and deletes of the report and
    # its figures.
    report.progress = "改"
    with pytest.raises(Frozen):
        report.save()
    with pytest.raises(Frozen):
        report.delete()
    with pytest.raises(Frozen):
        CampaignReportFigure.objects.filter(report=report).delete()
    with pytest.raises(Frozen):
        CampaignReport.objects.create(campaign=campaign, unit=campaign.targets.first().unit,
                                      period=1)  # fmt: skip
    # The next period stays open until its own brief.
    assert login(staff_a).post(edit_url(campaign, 2), {f"m{info.pk}": "5"}).status_code == 302
    assert campaign.reports.get(period=2).figures.get().value == Decimal(5)


def test_a_later_brief_freezes_the_earlier_periods(campaign, unit_a, info, reviewer):
    report = file_report(campaign, unit_a, 1, **{info.code: 4})
    briefs.issue(campaign, 3, reviewer, today=D(2025, 4, 30))
    with pytest.raises(Frozen, match="第1期"):
        report.save()


def test_issuing_is_refused_twice_or_before_the_period_ends(campaign, reviewer):
    with pytest.raises(Frozen, match="结束后方可印发"):
        briefs.issue(campaign, 2, reviewer, today=D(2025, 4, 10))
    briefs.issue(campaign, 2, reviewer, today=D(2025, 4, 14))
    with pytest.raises(Frozen, match="不能重复印发"):
        briefs.issue(campaign, 2, reviewer, today=D(2025, 4, 14))


def _list_queries(client, campaign):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(list_url(campaign, 1))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more_units(campaign, info, count, first):
    for n in range(first, first + count):
        unit = UnitFactory(name=f"报送单位{n:02d}")
        measure_target(info, unit, 5)
        file_report(campaign, unit, 1, progress="进展", **{info.code: n})


def test_report_list_queries_do_not_grow_with_units(login, reviewer, campaign, info, today):
    today(D(2025, 4, 20))
    client = login(reviewer)
    _more_units(campaign, info, 2, 0)
    small = _list_queries(client, campaign)
    _more_units(campaign, info, 6, 2)
    assert _list_queries(client, campaign) == small
