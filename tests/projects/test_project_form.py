"""Creating, editing and terminating projects, with optimistic concurrency."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import CreditShare, PersonKind, Project
from tests.factories import IndustryFactory, MilestoneFactory, PersonFactory

pytestmark = pytest.mark.django_db


def project_data(unit, **overrides):
    industry = IndustryFactory(name="新能源汽车")
    data = {
        "name": "新能源汽车零部件产业园",
        "investor_name": "江苏某汽车零部件有限公司",
        "investor_credit_code": "91320500MA1XXXXX8Y",
        "origin": "domestic",
        "origin_place": "江苏苏州",
        "industry": industry.pk,
        "category": "industrial",
        "is_key": "on",
        "head_enterprise": "",
        "is_new": "1",
        "unit": unit.pk,
        "sponsor_leader": "",
        "location": "高新园区",
        "total_investment": "50000",
        "contracted_investment": "42000",
        "planned_start": "2026-03-01",
        "planned_completion": "2027-12-31",
        "stage": "negotiating",
        "description": "",
    }
    data.update(overrides)
    return data


def test_unit_staff_creates_a_project_with_full_credit_to_their_unit(login, staff_a, unit_a):
    client = login(staff_a)
    response = client.post(reverse("projects:project_add"), project_data(unit_a))
    project = Project.objects.get(name="新能源汽车零部件产业园")
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.unit == unit_a
    assert project.created_by == staff_a
    assert project.is_key and project.total_investment == Decimal("50000")
    share = CreditShare.objects.get(project=project)
    assert (share.unit, share.percent) == (unit_a, Decimal("100"))
    page = client.get(project.get_absolute_url())
    assert "新能源汽车零部件产业园" in page.content.decode()
    assert "50,000.00 万元" in page.content.decode()
    # Its 项目编号 (issue 16: the workbook identity), given on creation and shown to the unit.
    assert project.code.startswith("XM") and project.code in page.content.decode()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"total_investment": "-5"}, "total_investment", "金额不能为负数"),
        ({"total_investment": "abc"}, "total_investment", "请输入数字，例如 1200.50"),
        ({"total_investment": "200000000"}, "total_investment", "金额超过 1 万亿元"),
        ({"contracted_investment": "60000"}, "contracted_investment", "合同投资不能大于总投资"),
        ({"planned_completion": "2025-01-01"}, "planned_completion", "计划竣工日期不能早于"),
        ({"investor_credit_code": "123"}, "investor_credit_code", "统一社会信用代码应为 18 位"),
        ({"name": ""}, "name", "请填写此项"),
    ],
)
def test_bad_project_input_is_refused_with_a_chinese_message(
    login, staff_a, unit_a, overrides, field, message
):
    client = login(staff_a)
    response = client.post(reverse("projects:project_add"), project_data(unit_a, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Project.objects.exists()


def test_staff_cannot_create_a_project_for_another_unit(login, staff_a, unit_a, unit_b):
    client = login(staff_a)
    response = client.post(reverse("projects:project_add"), project_data(unit_b))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Project.objects.exists()


def test_reviewer_and_leader_may_not_create_projects(login, reviewer, leader):
    for user in (reviewer, leader):
        client = login(user)
        assert client.get(reverse("projects:project_add")).status_code == 403


def test_edit_bumps_the_version_and_records_history(login, staff_a, project_a):
    client = login(staff_a)
    data = project_data(project_a.unit, name="甲县光伏组件二期", version=project_a.version)
    response = client.post(reverse("projects:project_edit", args=[project_a.pk]), data)
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.name == "甲县光伏组件二期"
    assert project_a.version == 2
    page = client.get(project_a.get_absolute_url()).content.decode()
    assert "甲县光伏组件项目 → 甲县光伏组件二期" in page
    assert "staff_a" in page


def test_a_stale_edit_is_refused(login, staff_a, project_a):
    client = login(staff_a)
    url = reverse("projects:project_edit", args=[project_a.pk])
    first = project_data(project_a.unit, name="第一次修改", version=1)
    second = project_data(project_a.unit, name="第二次修改", version=1)
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    assert "该项目已被他人修改，请刷新后重试。" in response.content.decode()
    project_a.refresh_from_db()
    assert project_a.name == "第一次修改"
    assert project_a.version == 2


def test_stage_cannot_be_chosen_once_milestones_decide_it(login, staff_a, project_a):
    MilestoneFactory(project=project_a, kind="signed")
    project_a.stage = "signed"
    project_a.save()
    client = login(staff_a)
    form = client.get(reverse("projects:project_edit", args=[project_a.pk])).context["form"]
    assert "stage" not in form.fields
    data = project_data(project_a.unit, stage="completed", version=project_a.version)
    client.post(reverse("projects:project_edit", args=[project_a.pk]), data)
    project_a.refresh_from_db()
    assert project_a.stage == "signed"


def test_terminating_needs_a_reason(login, staff_a, project_a, today):
    client = login(staff_a)
    url = reverse("projects:project_terminate", args=[project_a.pk])
    response = client.post(url, {"terminated_on": today.isoformat(), "reason": "  ", "version": 1})
    assert "请填写终止原因" in response.content.decode()
    project_a.refresh_from_db()
    assert project_a.stage == "negotiating"
    data = {"terminated_on": today.isoformat(), "reason": "投资方资金链断裂", "version": 1}
    response = client.post(url, data)
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.stage == "terminated"
    assert project_a.termination_reason == "投资方资金链断裂"
    assert "投资方资金链断裂" in client.get(project_a.get_absolute_url()).content.decode()


def test_terminating_a_project_changed_meanwhile_is_refused(login, staff_a, project_a, today):
    client = login(staff_a)
    url = reverse("projects:project_terminate", args=[project_a.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    Project.objects.filter(pk=project_a.pk).update(version=2)  # a colleague saved an edit
    response = client.post(
        url, {"terminated_on": today.isoformat(), "reason": "撤资", "version": 1}
    )
    assert "该项目已被他人修改" in response.content.decode()
    project_a.refresh_from_db()
    assert project_a.stage == "negotiating"
    response = client.post(url, {"terminated_on": today.isoformat(), "reason": "撤资"})
    assert "该项目已被他人修改" in response.content.decode()  # no version at all: refused too
    project_a.refresh_from_db()
    assert project_a.stage == "negotiating"


def test_termination_date_may_not_be_in_the_future(login, staff_a, project_a, days_ago):
    client = login(staff_a)
    url = reverse("projects:project_terminate", args=[project_a.pk])
    data = {"terminated_on": days_ago(-3).isoformat(), "reason": "撤资", "version": 1}
    response = client.post(url, data)
    assert "日期不能晚于今天" in response.content.decode()
    project_a.refresh_from_db()
    assert project_a.stage == "negotiating"


def shares_data(rows, existing=()):
    data = {
        "shares-TOTAL_FORMS": str(len(rows)),
        "shares-INITIAL_FORMS": str(len(existing)),
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
        "intro-TOTAL_FORMS": "1",
        "intro-INITIAL_FORMS": "0",
        "intro-MIN_NUM_FORMS": "0",
        "intro-MAX_NUM_FORMS": "1000",
        "intro-0-person": PersonFactory(
            name="王经理", kind=PersonKind.INTERMEDIARY, organisation="苏州商会"
        ).pk,
    }
    for i, (unit, percent) in enumerate(rows):
        data[f"shares-{i}-unit"] = unit.pk
        data[f"shares-{i}-percent"] = percent
        if i < len(existing):
            data[f"shares-{i}-id"] = existing[i].pk
    return data


def test_credit_shares_must_sum_to_exactly_100(login, staff_a, project_a, unit_b):
    client = login(staff_a)
    url = reverse("projects:project_shares", args=[project_a.pk])
    existing = list(project_a.credit_shares.all())
    response = client.post(url, shares_data([(project_a.unit, "60"), (unit_b, "39.99")], existing))
    assert "分成比例合计为 99.99%，必须恰好等于 100%" in response.content.decode()
    assert list(project_a.credit_shares.values_list("percent", flat=True)) == [Decimal("100")]
    assert not project_a.introducers.exists()

    response = client.post(url, shares_data([(project_a.unit, "60"), (unit_b, "40")], existing))
    assert response.status_code == 302
    shares = dict(project_a.credit_shares.values_list("unit__name", "percent"))
    assert shares == {"甲县": Decimal("60"), "乙县": Decimal("40")}
    assert project_a.introducers.get().name == "王经理"


def test_the_same_unit_twice_in_shares_is_refused(login, staff_a, project_a):
    client = login(staff_a)
    url = reverse("projects:project_shares", args=[project_a.pk])
    existing = list(project_a.credit_shares.all())
    response = client.post(
        url, shares_data([(project_a.unit, "50"), (project_a.unit, "50")], existing)
    )
    assert response.status_code == 200
    assert project_a.credit_shares.count() == 1


def test_the_project_page_names_the_new_responsible_unit(login, reviewer, project_a, unit_b):
    project_a.unit = unit_b
    project_a.save()
    page = login(reviewer).get(project_a.get_absolute_url()).content.decode()
    assert "责任单位：甲县 → 乙县" in page


def test_the_project_page_history_costs_the_same_for_2_or_20_changes(
    login, reviewer, project_a, unit_a, unit_b, django_assert_max_num_queries
):
    client = login(reviewer)
    counts = []
    for changes in (2, 18):
        for i in range(changes):
            project_a.unit = unit_b if i % 2 == 0 else unit_a
            project_a.total_investment += 1
            project_a.save()
        with django_assert_max_num_queries(60) as ctx:
            assert client.get(project_a.get_absolute_url()).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("total", ["21", "9" * 30])
def test_a_tampered_row_count_is_refused_after_20_forms(login, staff_a, project_a, total):
    existing = list(project_a.credit_shares.all())
    data = shares_data([(project_a.unit, "100")], existing)
    data["shares-TOTAL_FORMS"] = total
    response = login(staff_a).post(reverse("projects:project_shares", args=[project_a.pk]), data)
    assert "最多只能填写 20 行，请勿篡改表单" in response.content.decode()
    assert len(response.context["shares"].forms) == 20
    assert not project_a.introducers.exists()
