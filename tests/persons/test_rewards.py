"""Intermediary rewards (中介人引资奖励, issue 19 item 4): hand-computed cases with caps, the
minimum and shared projects; only verified funds and only intermediaries count; the workflow
拟奖励 → 公示 → 已审定 → 已发放 through the pages; a change after 公示 needs a reason; a paid
row is frozen on every path; the export; the list page's queries do not grow with the list."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import (
    ClaimStatus,
    Person,
    PersonKind,
    Reward,
    RewardChange,
    RewardList,
    RewardRule,
)
from projects.models.rewards import RewardStatus
from projects.rewards import workflow
from projects.rewards.compute import compute_rewards
from tests.factories import IntroducerFactory, PersonFactory, ProjectFactory
from tests.factories.assessment import default_year, funds
from zhaoshang.guarded import Frozen, building

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2026
PAST = {"start": "2026-11-01", "end": "2026-11-10"}


def middleman(name, organisation="苏州商会"):
    return PersonFactory(name=name, kind=PersonKind.INTERMEDIARY, organisation=organisation)


def project_with(unit, amount, *persons, status=ClaimStatus.APPROVED, **claim):
    project = ProjectFactory(unit=unit, name=f"项目{amount}{persons[0].name if persons else ''}")
    entry = funds(project, D(YEAR, 5, 1), amount, status=status)
    if claim:
        for name, value in claim.items():
            setattr(entry, name, value)
        with building("测试数据"):
            entry.save()
    for person in persons:
        IntroducerFactory(project=project, person=person)
    return project


@pytest.fixture
def year():
    ay = default_year(YEAR)
    RewardRule.objects.create(
        year=ay,
        rate=Decimal("2"),
        project_cap=Decimal("3"),
        person_cap=Decimal("5"),
        minimum=Decimal("0.5"),
    )
    return ay


@pytest.fixture
def city(year, unit_a):
    """王 on three projects (2 + 3 capped + 1 = 6, capped at 5); 李 and 赵 share a project of
    1000 (pool 2, 1 each) with a unit's staff member who takes no share; 周 under the minimum;
    钱 with pending funds only and recognised funds (500 of 1000 claimed)."""
    people = {n: middleman(n) for n in ["王", "李", "赵", "周", "钱"]}
    project_with(unit_a, 1000, people["王"])
    project_with(unit_a, 2000, people["王"])
    project_with(unit_a, 500, people["王"])
    staff = PersonFactory(name="孙强", unit=unit_a)
    project_with(unit_a, 1000, people["李"], people["赵"], staff)
    project_with(unit_a, 200, people["周"])
    project_with(unit_a, 5000, people["钱"], status=ClaimStatus.SUBMITTED)
    project_with(unit_a, 1000, people["钱"], recognised_amount=Decimal("500"))
    project_with(unit_a, 9000, staff)  # internal staff are never rewarded
    return people


def amounts(rows):
    return {r["person"].name: r["amount"] for r in rows}


def test_hand_computed_rewards_with_caps_minimum_and_shares(city):
    rows = compute_rewards(YEAR)
    assert amounts(rows) == {
        "王": Decimal("5.00"),  # 2‰: 2.00 + min(4, 3) + 1.00 = 6.00 → per-person cap 5
        "李": Decimal("1.00"),  # 1000 × 2‰ = 2.00, split between two intermediaries
        "赵": Decimal("1.00"),
        "钱": Decimal("1.00"),  # recognised 500 counts, not the 1000 claimed; pending not at all
    }  # 周: 200 × 2‰ = 0.40 < minimum 0.5; 孙强 is staff
    wang = rows[0]
    assert wang["funds"] == Decimal("3500.00")
    assert sorted(i["reward"] for i in wang["basis"]) == [Decimal(1), Decimal(2), Decimal(3)]
    li = next(r for r in rows if r["person"].name == "李")
    assert li["funds"] == Decimal("500.00") and li["basis"][0]["share"] == 2


def test_not_recognised_funds_do_not_count(year, unit_a):
    wang = middleman("王")
    project_with(unit_a, 1000, wang, not_recognised=True)
    assert compute_rewards(YEAR) == []


def test_a_zero_minimum_and_large_caps_pay_the_rate(year, unit_a):
    RewardRule.objects.filter(year=year).update(
        project_cap=100, person_cap=100, minimum=0, rate=Decimal("0.5")
    )
    wang = middleman("王")
    project_with(unit_a, 2000, wang)
    project_with(unit_a, 3000, wang)
    assert amounts(compute_rewards(YEAR)) == {"王": Decimal("2.50")}


# --- pages and workflow ------------------------------------------------------------------------

URL = reverse("persons:rewards", args=[YEAR])


def post(client, name, data=None, **kwargs):
    return client.post(reverse(f"persons:{name}", kwargs={"year": YEAR, **kwargs}), data or {})


def test_the_office_walks_the_list_to_paid(login, reviewer, city):
    client = login(reviewer)
    assert "按当前规则测算" in client.get(URL).content.decode()
    post(client, "reward_compute")
    reward_list = RewardList.objects.get(year__year=YEAR)
    assert reward_list.rewards.count() == 4
    page = client.get(URL).content.decode()
    assert "5.00" in page and "拟奖励" in page

    response = post(client, "reward_publicise", {"start": "2026-11-10", "end": "2026-11-01"})
    assert "公示结束日期不能早于开始日期" in client.get(URL).content.decode()
    post(client, "reward_publicise", PAST)
    page = client.get(URL).content.decode()
    assert "公示中" in page and "2026年11月1日 至 2026年11月10日" in page
    notice = client.get(reverse("persons:reward_notice", args=[YEAR])).content.decode()
    assert "公示期：2026年11月1日至2026年11月10日" in notice and "王" in notice

    response = post(client, "reward_pay", {"paid_by": "x", "paid_on": "2026-12-01"})
    assert RewardList.objects.get().status == RewardStatus.PUBLICISED
    post(client, "reward_approve")
    assert RewardList.objects.get().status == RewardStatus.APPROVED
    response = post(client, "reward_pay", {"paid_by": "市财政局 李会计", "paid_on": "2026-12-01"})
    assert "请填写发放文号" in client.get(URL).content.decode()
    post(
        client,
        "reward_pay",
        {"paid_by": "市财政局 李会计", "paid_on": "2026-12-01", "document_no": "招考〔2026〕8号"},
    )
    reward_list.refresh_from_db()
    assert reward_list.status == RewardStatus.PAID and reward_list.document_no == "招考〔2026〕8号"
    assert set(reward_list.rewards.values_list("status", flat=True)) == {RewardStatus.PAID}
    page = client.get(URL).content.decode()
    assert "已发放" in page and "招考〔2026〕8号" in page and "市财政局 李会计" in page
    assert response.status_code == 302


def test_approval_waits_for_the_end_of_the_period(login, reviewer, city):
    client = login(reviewer)
    post(client, "reward_compute")
    post(client, "reward_publicise", {"start": "2026-11-01", "end": "2099-12-31"})
    post(client, "reward_approve")
    assert RewardList.objects.get().status == RewardStatus.PUBLICISED
    assert "公示期满后方可审定" in client.get(URL).content.decode()


def test_who_may_read_and_act(login, reviewer, leader, staff_a, head_a, coordinator, city):
    assert login(staff_a).get(URL).status_code == 403
    assert login(head_a).get(URL).status_code == 403
    assert login(coordinator).get(URL).status_code == 403
    client = login(leader)
    page = client.get(URL)
    assert page.status_code == 200 and "计算拟奖励名单" not in page.content.decode()
    assert post(client, "reward_compute").status_code == 403
    assert post(client, "reward_rule", {"rate": "3"}).status_code == 403
    assert not RewardList.objects.exists()
    assert login(reviewer).get(URL).status_code == 200


def test_rule_form_validates_in_chinese(login, reviewer, year):
    client = login(reviewer)
    data = {"rate": "60", "project_cap": "-1", "person_cap": "5", "minimum": "0"}
    page = post(client, "reward_rule", data).content.decode()
    assert "奖励比例应在 0‰ 至 50‰ 之间" in page and "不能为负数" in page
    assert RewardRule.objects.get().rate == Decimal("2.00")
    post(client, "reward_rule", {**data, "rate": "3.5", "project_cap": "10"})
    rule = RewardRule.objects.get()
    assert (rule.rate, rule.project_cap, rule.updated_by) == (Decimal("3.5"), 10, reviewer)


def test_a_change_after_publicity_needs_a_reason_and_is_recorded(login, reviewer, city):
    client = login(reviewer)
    post(client, "reward_compute")
    wang = Reward.objects.get(person__name="王")
    post(client, "reward_change", {"amount": "4.8", "reason": ""}, pk=wang.pk)  # draft: no reason
    wang.refresh_from_db()
    assert wang.amount == Decimal("4.80")
    post(client, "reward_publicise", PAST)
    post(client, "reward_change", {"amount": "4", "reason": ""}, pk=wang.pk)
    wang.refresh_from_db()
    assert wang.amount == Decimal("4.80")
    assert "调整奖励金额须填写理由" in client.get(URL).content.decode()
    post(client, "reward_change", {"amount": "4", "reason": "公示期间收到异议，核减"}, pk=wang.pk)
    wang.refresh_from_db()
    assert wang.amount == Decimal("4.00")
    change = RewardChange.objects.get(reason="公示期间收到异议，核减")
    assert (change.old_amount, change.new_amount, change.changed_by) == (
        Decimal("4.80"),
        Decimal("4.00"),
        reviewer,
    )
    page = client.get(URL).content.decode()
    assert "金额调整记录" in page and "公示期间收到异议，核减" in page
    # An amount adjusted by hand is not a recomputation difference.
    assert "重新计算的差异" not in page


def test_a_publicised_amount_cannot_change_outside_the_recorded_path(city, reviewer):
    reward_list = workflow.compute_list(_ay(), reviewer)
    workflow.publicise(reward_list, D(2026, 11, 1), D(2026, 11, 10), reviewer)
    wang = reward_list.rewards.get(person__name="王")
    wang.amount = Decimal("1")
    with pytest.raises(Frozen, match="填写调整理由"):
        wang.save()
    with pytest.raises(Frozen):
        Reward.objects.get(pk=wang.pk).delete()


def _ay():
    from assessment.models import AssessmentYear

    return AssessmentYear.objects.get(year=YEAR)


def test_recomputing_after_publicity_lists_differences(login, reviewer, city, unit_a):
    client = login(reviewer)
    post(client, "reward_compute")
    post(client, "reward_publicise", PAST)
    project_with(unit_a, 1000, city["周"])  # 周 now 0.40 + 2.00 = 2.40
    post(client, "reward_compute")
    assert "不能重新生成" in client.get(URL).content.decode()
    assert not Reward.objects.filter(person__name="周").exists()
    page = client.get(URL).content.decode()
    assert "重新计算的差异" in page and "（不在名单）" in page and "2.40" in page
    post(client, "reward_apply", {"reason": ""}, person=city["周"].pk)
    assert not Reward.objects.filter(person__name="周").exists()
    post(client, "reward_apply", {"reason": "补报到位资金已审定"}, person=city["周"].pk)
    zhou = Reward.objects.get(person__name="周")
    assert zhou.amount == Decimal("2.40") and zhou.status == RewardStatus.PUBLICISED
    change = zhou.changes.get()
    assert change.old_amount == 0 and "补报到位资金已审定" in change.reason
    assert "重新计算的差异" not in client.get(URL).content.decode()


@pytest.fixture
def paid(city, reviewer):
    reward_list = workflow.compute_list(_ay(), reviewer)
    workflow.publicise(reward_list, D(2026, 11, 1), D(2026, 11, 10), reviewer)
    workflow.approve(reward_list, reviewer, today=D(2026, 11, 11))
    workflow.record_payment(reward_list, "市财政局", D(2026, 12, 1), "招考〔2026〕8号", reviewer)
    return reward_list.rewards.get(person__name="王")


def test_a_paid_row_is_frozen_on_the_page(login, reviewer, paid):
    client = login(reviewer)
    post(client, "reward_change", {"amount": "1", "reason": "更正"}, pk=paid.pk)
    paid.refresh_from_db()
    assert paid.amount == Decimal("5.00")
    assert "该奖励已发放，金额不能再修改" in client.get(URL).content.decode()
    with pytest.raises(Frozen, match="已发放"):
        paid.amount = Decimal("1")
        paid.save()


def test_a_paid_row_is_frozen_in_the_admin(login, admin_user, paid):
    client = login(admin_user)
    url = reverse("admin:projects_reward_change", args=[paid.pk])
    assert client.get(url).status_code == 200
    data = {
        "reward_list": paid.reward_list_id,
        "person": paid.person_id,
        "funds": "3500.00",
        "computed_amount": "5.00",
        "amount": "1.00",
        "basis": "[]",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "该奖励已发放，金额不能再修改或删除" in response.content.decode()
    paid.refresh_from_db()
    assert paid.amount == Decimal("5.00")


def test_the_export_opens_with_the_list(login, leader, paid):
    response = login(leader).get(URL + "?_export=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [[c for c in row] for row in book.active.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[1] == "姓名")
    body = values[header + 1 :]
    assert [row[1] for row in body] == ["王", "李", "赵", "钱"]
    assert Decimal(str(body[0][6])) == Decimal("5.00") and body[0][7] == "已发放"


def test_links_from_the_registry_and_the_contributors_page(login, reviewer, staff_a, year):
    client = login(reviewer)
    assert URL in client.get(reverse("persons:person_list")).content.decode()
    assert URL in client.get(reverse("dashboard:contributors") + "?year=2026").content.decode()
    assert URL not in login(staff_a).get(reverse("persons:person_list")).content.decode()


def _page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def _intermediaries(unit, n, offset=0):
    for k in range(n):
        project_with(unit, 1000 + k + offset, middleman(f"中介{offset + k}"))


def test_list_page_queries_do_not_grow_with_the_list(login, reviewer, year, unit_a):
    """2 vs 8 intermediaries on a publicised list, each with a logged change, and one pending
    difference each time."""
    client = login(reviewer)
    _intermediaries(unit_a, 2)
    reward_list = workflow.compute_list(year, reviewer)
    workflow.publicise(reward_list, D(2026, 11, 1), D(2026, 11, 10), reviewer)
    for reward in reward_list.rewards.all():
        workflow.change_amount(reward, Decimal("1"), "核减", reviewer)
    _intermediaries(unit_a, 1, offset=100)
    small = _page_queries(client)
    _intermediaries(unit_a, 6, offset=10)
    for k in range(10, 16):
        person = Person.objects.get(name=f"中介{k}")
        workflow.apply_difference(reward_list, person.pk, "补充", reviewer)
        workflow.change_amount(person.rewards.get(), Decimal("1"), "核减", reviewer)
    assert reward_list.rewards.count() == 8 and RewardChange.objects.count() == 14
    large = _page_queries(client)
    assert large == small
    assert "重新计算的差异" in client.get(URL).content.decode()


def test_change_records_are_append_only(paid):
    from zhaoshang.append_only import AppendOnlyError

    change = RewardChange.objects.create(
        reward=paid, old_amount=Decimal(1), new_amount=Decimal(2), reason="测试"
    )
    change.reason = "改写"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        RewardChange.objects.all().delete()
