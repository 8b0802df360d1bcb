"""零报告 (issue 15 item 11): a zero report only for a month that has ended, and no figure may be
entered afterwards for a zero-reported month — through the forms or the workbook import."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.workbooks.importer import import_workbook
from projects import reports
from projects.models import FundsEntry, MonthlyInvestment, MonthlyReport
from tests.factories import IndustryFactory
from tests.workbooks.conftest import build_workbook, project_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month(today):
    return reports.add_months(today.replace(day=1), -1)


def file_zero(client, month):
    return client.post(
        reverse("projects:report_list"), {"month": f"{month:%Y-%m}", "is_zero": "on"}
    )


def add_funds(client, project, day, amount="800"):
    url = reverse("projects:claim_add", args=[project.pk, "funds"])
    data = {"date": day.isoformat(), "source": "enterprise", "amount": amount, "note": ""}
    return client.post(url, data)


def test_a_zero_report_for_the_running_month_is_refused(login, staff_a, project_a, today):
    response = file_zero(login(staff_a), today)
    assert response.status_code == 200
    assert "零报告只能在该月结束后报送" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_funds_dated_in_a_zero_reported_month_are_refused(login, staff_a, project_a, last_month):
    client = login(staff_a)
    assert file_zero(client, last_month).status_code == 302
    response = add_funds(client, project_a, last_month + datetime.timedelta(days=9))
    assert response.status_code == 200
    assert f"已报送{last_month:%Y年%m月}的零报告" in response.content.decode()
    assert not FundsEntry.objects.exists()
    page = client.get(reverse("projects:report_list"), {"year": last_month.year})
    rows = {cell.month: totals for cell, totals in page.context["own_rows"]}
    assert rows[last_month] is None  # still a month with nothing in it, as reported


def test_investment_of_a_zero_reported_month_is_refused(login, staff_a, project_a, last_month):
    client = login(staff_a)
    assert file_zero(client, last_month).status_code == 302
    url = reverse("projects:claim_add", args=[project_a.pk, "investment"])
    response = client.post(url, {"month": f"{last_month:%Y-%m}", "amount": "300", "note": ""})
    assert "零报告" in response.content.decode()
    assert not MonthlyInvestment.objects.exists()


def test_other_months_and_other_units_are_not_affected(
    login, staff_a, project_a, project_b, staff_b, last_month
):
    assert file_zero(login(staff_a), last_month).status_code == 302
    earlier = reports.add_months(last_month, -1)
    assert add_funds(login(staff_a), project_a, earlier).status_code == 302
    assert add_funds(login(staff_b), project_b, last_month).status_code == 302
    assert FundsEntry.objects.count() == 2


def test_the_workbook_import_refuses_funds_in_a_zero_reported_month(unit_a):
    IndustryFactory(name="装备制造")
    MonthlyReport.objects.create(
        unit=unit_a, month=datetime.date(2025, 2, 1), is_zero=True, submitted_at=timezone.now()
    )
    workbook = build_workbook(
        {
            "项目": [project_row(unit="甲县")],
            "到位资金": [["新能源电机项目", "2025-02-10", "企业和个人投资", 800]],
        }
    )
    report = import_workbook(workbook)
    assert not report.ok
    assert any("2025年02月的零报告" in e.message for e in report.errors)
    assert not FundsEntry.objects.exists()
