"""Reviewers' audit pages: flagged pairs with 重新扫描 and resolution, and the history search."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import claims
from projects.models import ClaimStatus, DuplicateFlag, FlagStatus, Stage
from projects.review import duplicates
from tests.factories import DuplicateFlagFactory, FundsEntryFactory, ProjectFactory

CODE = "91320500MA1XXXXX0Y"


@pytest.fixture
def pair(unit_a, unit_b):
    a = ProjectFactory(unit=unit_a, investor_credit_code=CODE, investor_name="恒通", name="甲项目")
    b = ProjectFactory(unit=unit_b, investor_credit_code=CODE, investor_name="远大", name="乙项目")
    return a, b


def test_rescan_button_finds_flags_and_lists_them(login, reviewer, pair):
    client = login(reviewer)
    response = client.post(reverse("review:flag_scan"), follow=True)
    page = response.content.decode()
    assert "同一投资方被两个单位申报 1 条" in page
    assert "甲项目（甲县）" in page and "乙项目（乙县）" in page


def test_reviewer_merges_a_pair_from_the_flag_page(login, reviewer, pair):
    duplicates.scan()
    flag = DuplicateFlag.objects.get()
    client = login(reviewer)
    url = reverse("review:flag_detail", args=[flag.pk])
    assert "恒通" in client.get(url).content.decode()
    response = client.post(url, {"decision": "merged", "reason": ""}, follow=True)
    page = response.content.decode()
    assert "作为重复项目终止" in page
    assert 'data-testid="resolution"' in page
    pair[1].refresh_from_db()
    assert pair[1].stage == Stage.TERMINATED


def test_keep_both_without_reason_is_a_form_error(login, reviewer, pair):
    duplicates.scan()
    flag = DuplicateFlag.objects.get()
    url = reverse("review:flag_detail", args=[flag.pk])
    response = login(reviewer).post(url, {"decision": "kept", "reason": " "})
    assert "请填写处理理由" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


@pytest.mark.parametrize("name", ["leader", "staff_a", "coordinator"])
def test_only_reviewers_see_flags_and_history(request, login, name, group):
    client = login(request.getfixturevalue(name))
    assert client.get(reverse("review:flag_list")).status_code == 403
    assert client.post(reverse("review:flag_scan")).status_code == 403
    assert client.get(reverse("review:history")).status_code == 403


def test_history_search_shows_who_changed_what_from_which_value(login, reviewer, unit_a):
    project = ProjectFactory(unit=unit_a, name="甲县生物医药产业园")
    funds = FundsEntryFactory(project=project, status=ClaimStatus.SUBMITTED)
    claims.transition(reviewer, funds, "review", "资料齐全")
    ProjectFactory(unit=unit_a, name="别的项目")
    client = login(reviewer)
    today = timezone.localdate().isoformat()
    response = client.get(
        reverse("review:history"),
        {
            "model": "funds",
            "user": reviewer.pk,
            "date_from": today,
            "date_to": today,
            "project": "生物",
        },
    )
    page = response.content.decode()
    assert "甲县生物医药产业园" in page
    assert '核实状态：<span class="text-secondary">已申报</span> → <strong>已审核</strong>' in page
    assert "别的项目" not in page


def test_history_search_refuses_reversed_dates(login, reviewer):
    response = login(reviewer).get(
        reverse("review:history"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "起始日期不能晚于截止日期" in response.content.decode()


def test_history_of_a_project_figure_change(login, reviewer, unit_a):
    project = ProjectFactory(unit=unit_a, name="甲县项目", total_investment=Decimal("20000"))
    project.total_investment = Decimal("35000")
    project.save()
    page = login(reviewer).get(reverse("review:history"), {"model": "project"}).content.decode()
    assert "20,000.00</span> → <strong>35,000.00" in page


# 60 rows fill the page of 50 (a query per row would show); 200 only cost time.
@pytest.mark.parametrize("rows", [10, 60])
def test_history_query_count_is_constant(login, reviewer, django_assert_max_num_queries, rows):
    project = ProjectFactory()
    for i in range(rows):
        FundsEntryFactory(project=project, date=datetime.date(2026, 1, 1 + i % 28))
    client = login(reviewer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("review:history"), {"model": "funds"}).status_code == 200


# 60 flags fill the page of 25 (a query per row would show); 200 only cost time.
@pytest.mark.parametrize("rows", [10, 60])
def test_flag_list_query_count_is_constant(login, reviewer, django_assert_max_num_queries, rows):
    for i in range(rows):
        project = ProjectFactory(investor_name=f"企业{i}", name=f"项目{i}")
        DuplicateFlagFactory(kind="shares_over", project_a=project, detail="合计 130%")
    client = login(reviewer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("review:flag_list")).status_code == 200


def test_history_search_names_the_new_responsible_unit(login, reviewer, unit_a, unit_b):
    project = ProjectFactory(unit=unit_a, name="甲县项目")
    project.unit = unit_b
    project.save()
    page = login(reviewer).get(reverse("review:history"), {"model": "project"}).content.decode()
    assert '责任单位：<span class="text-secondary">甲县</span> → <strong>乙县</strong>' in page


def test_flag_page_names_who_resolved_it(login, reviewer, pair):
    duplicates.scan()
    flag = DuplicateFlag.objects.get()
    client = login(reviewer)
    url = reverse("review:flag_detail", args=[flag.pk])
    client.post(url, {"decision": "kept", "reason": "不同项目"})
    page = client.get(url).content.decode()
    assert '<span class="text-secondary">—</span> → <strong>reviewer</strong>' in page
