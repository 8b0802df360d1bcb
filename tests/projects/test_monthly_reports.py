"""Monthly reports: on time, late, zero and missing; zero reports are not the same as none."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import reports
from projects.models import MonthlyReport, ProjectSettings
from tests.factories import FundsEntryFactory, MonthlyInvestmentFactory, MonthlyReportFactory

pytestmark = pytest.mark.django_db

OCT = datetime.date(2026, 10, 1)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def report(unit, month, submitted_on, is_zero=False):
    return MonthlyReportFactory(
        unit=unit, month=month, is_zero=is_zero, submitted_at=at(submitted_on)
    )


def test_states_around_the_deadline(unit_a):
    today = datetime.date(2026, 11, 25)
    on_time = report(unit_a, OCT, datetime.date(2026, 11, 5))
    late = report(unit_a, datetime.date(2026, 9, 1), datetime.date(2026, 10, 6))
    zero = report(unit_a, datetime.date(2026, 8, 1), datetime.date(2026, 9, 2), is_zero=True)
    assert reports.state_of(on_time, OCT, 5, today) == reports.ON_TIME
    assert reports.state_of(late, datetime.date(2026, 9, 1), 5, today) == reports.LATE
    assert reports.state_of(zero, datetime.date(2026, 8, 1), 5, today) == reports.ZERO
    assert reports.state_of(None, OCT, 5, datetime.date(2026, 11, 6)) == reports.MISSING
    assert reports.state_of(None, OCT, 5, datetime.date(2026, 11, 5)) == reports.NOT_DUE


def test_the_deadline_day_is_configurable(unit_a):
    submitted = report(unit_a, OCT, datetime.date(2026, 11, 8))
    assert reports.state_of(submitted, OCT, 5, datetime.date(2026, 11, 25)) == reports.LATE
    assert reports.state_of(submitted, OCT, 10, datetime.date(2026, 11, 25)) == reports.ON_TIME


def test_a_unit_files_its_report_gathering_the_months_entries(login, staff_a, project_a):
    MonthlyInvestmentFactory(project=project_a, month=OCT, amount=Decimal("1200"))
    FundsEntryFactory(project=project_a, date=datetime.date(2026, 10, 9), amount=Decimal("300"))
    client = login(staff_a)
    response = client.post(reverse("projects:report_list"), {"month": "2026-10", "note": ""})
    assert response.status_code == 302
    filed = MonthlyReport.objects.get()
    assert (filed.unit, filed.month, filed.is_zero) == (project_a.unit, OCT, False)
    page = client.get(reverse("projects:report_list")).content.decode()
    assert "1,200.00" in page and "300.00" in page


def test_zero_report_only_when_there_is_nothing_to_report(login, staff_a, project_a):
    client = login(staff_a)
    url = reverse("projects:report_list")
    response = client.post(url, {"month": "2026-10"})
    assert "如确无进展请报送零报告" in response.content.decode()
    assert not MonthlyReport.objects.exists()
    assert client.post(url, {"month": "2026-10", "is_zero": "on"}).status_code == 302
    assert MonthlyReport.objects.get().is_zero
    response = client.post(url, {"month": "2026-10", "is_zero": "on"})
    assert "已经报送，不能重复报送" in response.content.decode()
    MonthlyInvestmentFactory(project=project_a, month=datetime.date(2026, 9, 1))
    response = client.post(url, {"month": "2026-09", "is_zero": "on"})
    assert "不能报送零报告" in response.content.decode()
    assert MonthlyReport.objects.count() == 1


def test_a_future_month_cannot_be_reported(login, staff_a, today):
    response = login(staff_a).post(
        reverse("projects:report_list"), {"month": f"{today.year + 1}-01", "is_zero": "on"}
    )
    assert "不能报送未来月份的月报" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_reviewer_sees_late_and_missing_reports_across_units(login, reviewer, unit_a, unit_b):
    ProjectSettings.load()
    report(unit_a, OCT, datetime.date(2026, 11, 3), is_zero=True)
    response = login(reviewer).get(reverse("projects:report_list"), {"year": 2026})
    overdue = {(u.name, c.month, c.state) for u, c in response.context["overdue"]}
    assert ("乙县", OCT, reports.MISSING) in overdue
    assert ("甲县", OCT, reports.ZERO) not in overdue
    page = response.content.decode()
    assert "零报告" in page and "未报送" in page


def test_reviewers_cannot_file_reports(login, reviewer):
    response = login(reviewer).post(reverse("projects:report_list"), {"month": "2026-10"})
    assert response.status_code == 403
