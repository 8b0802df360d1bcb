"""Monthly fixed-asset investment and funds in place: entry, bad input, and the project page's
curve and totals."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import FundsEntry, MonthlyInvestment
from tests.factories import FundsEntryFactory, MonthlyInvestmentFactory

pytestmark = pytest.mark.django_db


def add_investment(client, project, month, amount):
    url = reverse("projects:claim_add", args=[project.pk, "investment"])
    return client.post(url, {"month": month, "amount": amount, "note": ""})


def add_funds(client, project, day, amount, source="enterprise"):
    url = reverse("projects:claim_add", args=[project.pk, "funds"])
    return client.post(url, {"date": day, "source": source, "amount": amount, "note": ""})


def test_monthly_investment_is_entered_per_month_as_a_draft(login, staff_a, project_a, today):
    client = login(staff_a)
    month = today.replace(day=1)
    response = add_investment(client, project_a, month.strftime("%Y-%m"), "1234.50")
    assert response.status_code == 302
    entry = MonthlyInvestment.objects.get()
    assert (entry.month, entry.amount, entry.status) == (month, Decimal("1234.50"), "draft")


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-1", "金额不能为负数"),
        ("一千", "请输入数字，例如 1200.50"),
        ("100000001", "金额超过 1 万亿元"),
    ],
)
def test_bad_investment_amounts_are_refused(login, staff_a, project_a, today, amount, message):
    client = login(staff_a)
    response = add_investment(client, project_a, today.strftime("%Y-%m"), amount)
    assert message in response.content.decode()
    assert not MonthlyInvestment.objects.exists()


def test_future_month_and_duplicate_month_are_refused(login, staff_a, project_a, today):
    client = login(staff_a)
    next_year = f"{today.year + 1}-01"
    response = add_investment(client, project_a, next_year, "10")
    assert "不能填报未来月份的投资" in response.content.decode()
    add_investment(client, project_a, "2026-01", "10")
    response = add_investment(client, project_a, "2026-01", "20")
    assert "2026年01月的投资已填报" in response.content.decode()
    assert list(MonthlyInvestment.objects.values_list("amount", flat=True)) == [Decimal("10")]


def test_bad_month_text_is_refused(login, staff_a, project_a):
    response = add_investment(login(staff_a), project_a, "2026-13", "10")
    assert "请输入月份" in response.content.decode()


def test_funds_in_place_with_source_and_no_future_date(login, staff_a, project_a, days_ago):
    client = login(staff_a)
    response = add_funds(client, project_a, days_ago(-2).isoformat(), "500")
    assert "日期不能晚于今天" in response.content.decode()
    response = add_funds(client, project_a, days_ago(3).isoformat(), "500", source="loan")
    assert response.status_code == 302
    entry = FundsEntry.objects.get()
    assert (entry.source, entry.amount, entry.date) == ("loan", Decimal("500"), days_ago(3))


def test_negative_funds_are_refused(login, staff_a, project_a, days_ago):
    response = add_funds(login(staff_a), project_a, days_ago(3).isoformat(), "-500")
    assert "金额不能为负数" in response.content.decode()
    assert not FundsEntry.objects.exists()


def test_project_page_shows_the_curve_and_totals(login, staff_a, project_a):
    for month, amount in [(1, "3000"), (2, "4000"), (3, "5000")]:
        MonthlyInvestmentFactory(
            project=project_a, month=datetime.date(2026, month, 1), amount=Decimal(amount)
        )
    FundsEntryFactory(project=project_a, amount=Decimal("8000"))
    FundsEntryFactory(project=project_a, amount=Decimal("7000"), date=datetime.date(2026, 4, 1))
    response = login(staff_a).get(project_a.get_absolute_url())
    page = response.content.decode()
    chart = response.context["chart"]
    assert chart["months"] == ["2026-01", "2026-02", "2026-03"]
    assert chart["cumulative"] == ["3000.00", "7000.00", "12000.00"]
    assert 'id="fai-data"' in page and json.dumps("2026-03") in page
    assert "12,000.00 万元" in page  # cumulative fixed-asset investment (万元, issue 22)
    assert "15,000.00 万元" in page  # funds in place
    assert "echarts.min.js" in page


def test_another_unit_cannot_add_investment_to_my_project(login, staff_b, project_a, today):
    response = add_investment(login(staff_b), project_a, today.strftime("%Y-%m"), "10")
    assert response.status_code == 404
    assert not MonthlyInvestment.objects.exists()
