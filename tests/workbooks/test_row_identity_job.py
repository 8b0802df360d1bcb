"""Issue 16, cases 1–4 through the web: upload → preview of the change (old → new, removals and
clears listed) → confirm, with the 同时删除 checkbox deciding whether removals are applied."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.workbooks.importer import import_workbook
from projects import locks
from projects.models import FundsEntry, Milestone, Project
from tests.workbooks.conftest import import_through_page
from tests.workbooks.test_row_identity import NAME, fund, row, workbook

pytestmark = pytest.mark.django_db


def amounts():
    return sorted(FundsEntry.objects.values_list("amount", flat=True))


def preview(client, content):
    response = import_through_page(client, content, confirm=False)
    job = response.context["job"]
    assert job.status == "preview", job.errors
    return response, job


def confirm(client, job, removals=False):
    data = {"apply_removals": "1"} if removals else {}
    return client.post(reverse("workbook:import_confirm", args=[job.pk]), data, follow=True)


def test_a_corrected_amount_is_shown_and_imported_as_an_update(login, reviewer, city):
    client = login(reviewer)
    assert "导入成功" in import_through_page(client, workbook(funds=[fund(900)])).content.decode()
    response, job = preview(client, workbook(funds=[fund(9000)]))
    page = response.content.decode()
    assert f"第2行 项目“{NAME}” 2026-02-10 到位资金：金额(万元) 900 → 9000" in page
    assert 'data-testid="apply-removals"' not in page  # nothing to remove: no checkbox
    assert "导入成功" in confirm(client, job).content.decode()
    assert amounts() == [Decimal(9000)]


def test_two_equal_tranches_and_a_corrected_unit_import_through_the_page(login, reviewer, city):
    client = login(reviewer)
    import_through_page(client, workbook(funds=[fund(500)]))
    response = import_through_page(client, workbook([row(unit="西山区")], [fund(500), fund(500)]))
    assert "导入成功" in response.content.decode()
    assert amounts() == [Decimal(500), Decimal(500)]
    assert list(Project.objects.values_list("unit__name", flat=True)) == ["西山区"]


def test_a_cleared_date_is_listed_and_cleared_only_with_the_checkbox(login, reviewer, city):
    client = login(reviewer)
    import_through_page(client, workbook([row(竣工日期="2026-06-30")], funds=[fund(100)]))
    response, job = preview(client, workbook([row()], funds=[]))
    page = response.content.decode()
    assert f"第2行 “{NAME}”：竣工日期 2026-06-30 → （清空）" in page
    assert "项目节点 1 项；到位资金 1 项" in page
    assert "同时删除文件中已没有的数据（共 2 项）" in page

    assert "导入成功" in confirm(client, job).content.decode()  # not ticked: kept
    assert Milestone.objects.filter(kind="completed").exists() and amounts() == [Decimal(100)]

    _response, job = preview(client, workbook([row()], funds=[]))
    page = confirm(client, job, removals=True).content.decode()
    assert "已删除或清空以下数据" in page
    assert not Milestone.objects.filter(kind="completed").exists() and amounts() == []


def test_a_removal_the_guard_refuses_cannot_be_confirmed(login, reviewer, city, published_q1):
    client = login(reviewer)
    assert import_workbook(workbook(funds=[fund(100), fund(200)])).ok
    published_q1()
    response, job = preview(client, workbook(funds=[fund(100)]))
    assert "不能删除：" + locks.LOCKED_DATE_MESSAGE in response.content.decode()
    page = confirm(client, job, removals=True).content.decode()
    assert "待删除或清空的数据中有 1 项不能删除" in page
    job.refresh_from_db()
    assert job.status == "preview"
    assert amounts() == [Decimal(100), Decimal(200)]
    assert "导入成功" in confirm(client, job).content.decode()  # without removals it goes in
    assert amounts() == [Decimal(100), Decimal(200)]
