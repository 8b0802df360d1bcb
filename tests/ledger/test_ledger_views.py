"""The ledger pages (issue 20): scope, confirming and withdrawing with Chinese messages, a decision
recorded by hand, the frozen confirmed decision, the workbook and the unit page's history."""

import datetime
import io

import pytest
from django.contrib.admin.sites import site
from django.test.client import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from assessment.ledger.admin import LedgerDecisionForm
from assessment.models import DecisionKind, DecisionStatus, LedgerDecision, UnitHead
from tests.factories import PersonFactory
from tests.ledger.helpers import ended_campaign, make_year
from zhaoshang.guarded import Frozen

D = datetime.date


@pytest.fixture
def ay(db):
    return make_year(2025)


def decision(ay, unit, kind=DecisionKind.CRITICISM, status=DecisionStatus.PROPOSED, **kw):
    if status == DecisionStatus.CONFIRMED:
        kw = {"decided_on": D(2026, 1, 10), "doc_number": "招考〔2026〕2号", **kw}
    return LedgerDecision.objects.create(year=ay, unit=unit, kind=kind, status=status, **kw)


def rows(response):
    return [(d.unit.name, d.kind, d.status) for d in response.context["decisions"]]


def test_unit_users_read_only_their_own_confirmed_decisions(ay, login, staff_a, unit_a, unit_b):
    decision(ay, unit_a, DecisionKind.CRITICISM)  # a proposal
    decision(ay, unit_a, DecisionKind.TALK, DecisionStatus.CONFIRMED)
    decision(ay, unit_a, DecisionKind.YELLOW_CARD, DecisionStatus.WITHDRAWN)
    decision(ay, unit_b, DecisionKind.TALK, DecisionStatus.CONFIRMED)
    page = login(staff_a).get(reverse("assessment:ledger_year", args=[2025]))
    assert rows(page) == [(unit_a.name, "talk", "confirmed")]
    assert "按第四季度问责结果生成拟议" not in page.content.decode()
    UnitHead.objects.create(unit=unit_a, name="张明", start=D(2020, 1, 1), end=D(2025, 6, 30))
    unit_page = login(staff_a).get(unit_a.get_absolute_url()).content.decode()
    assert "张明（主要负责人，2020-01-01至2025-06-30）" in unit_page
    assert "谈话诫勉" in unit_page and "批评诫勉" not in unit_page and "黄牌警告" not in unit_page


def test_leaders_read_every_decision_and_may_not_act(ay, login, leader, unit_a, unit_b):
    proposal = decision(ay, unit_a)
    decision(ay, unit_b, DecisionKind.TALK, DecisionStatus.CONFIRMED)
    client = login(leader)
    page = client.get(reverse("assessment:ledger_year", args=[2025]))
    assert len(rows(page)) == 2 and "生成拟议" not in page.content.decode()
    confirm = reverse("assessment:ledger_confirm", args=[proposal.pk])
    data = {"decided_on": "2026-01-10", "doc_number": "x"}
    assert client.post(confirm, data).status_code == 403
    assert LedgerDecision.objects.get(pk=proposal.pk).is_proposed


def test_filters_by_kind_status_and_unit(ay, login, reviewer, unit_a, unit_b):
    decision(ay, unit_a, DecisionKind.CRITICISM)
    decision(ay, unit_a, DecisionKind.TALK, DecisionStatus.CONFIRMED)
    decision(ay, unit_b, DecisionKind.TALK, DecisionStatus.CONFIRMED)
    url = reverse("assessment:ledger_year", args=[2025])
    client = login(reviewer)
    assert len(rows(client.get(url, {"kind": "talk"}))) == 2
    assert rows(client.get(url, {"status": "proposed"})) == [(unit_a.name, "criticism", "proposed")]
    assert len(rows(client.get(url, {"unit": unit_b.pk}))) == 1


def test_confirming_needs_a_date_and_a_document_number(ay, login, reviewer, unit_a):
    proposal = decision(ay, unit_a, DecisionKind.OFF_POST)
    url = reverse("assessment:ledger_confirm", args=[proposal.pk])
    client = login(reviewer)
    page = client.post(url, {"decided_on": "2026-13-01", "doc_number": " "})
    text = page.content.decode()
    assert page.status_code == 200
    assert "决定日期格式应为 YYYY-MM-DD。" in text and "请填写文号。" in text
    assert LedgerDecision.objects.get(pk=proposal.pk).is_proposed

    done = client.post(url, {"decided_on": "2025-07-20", "doc_number": "招指〔2025〕12号"})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == DecisionStatus.CONFIRMED
    assert (proposal.decided_on, proposal.doc_number) == (D(2025, 7, 20), "招指〔2025〕12号")
    assert proposal.confirmed_by == reviewer and proposal.confirmed_at is not None


def test_withdrawing_needs_a_reason(ay, login, reviewer, unit_a):
    proposal = decision(ay, unit_a)
    url = reverse("assessment:ledger_withdraw", args=[proposal.pk])
    client = login(reviewer)
    assert "请填写撤销理由。" in client.post(url, {"withdrawn_reason": ""}).content.decode()
    client.post(url, {"withdrawn_reason": "经复核，该单位已按期整改"})
    proposal.refresh_from_db()
    assert proposal.status == DecisionStatus.WITHDRAWN
    assert proposal.withdrawn_reason == "经复核，该单位已按期整改"


def test_a_confirmed_decision_is_frozen_on_every_path(ay, login, reviewer, admin_user, unit_a):
    confirmed = decision(ay, unit_a, DecisionKind.TALK, DecisionStatus.CONFIRMED)
    confirmed.doc_number = "改过的文号"
    with pytest.raises(Frozen) as refused:
        confirmed.save()
    assert "已确认" in refused.value.message
    with pytest.raises(Frozen):
        LedgerDecision.objects.get(pk=confirmed.pk).delete()
    # The confirm form refuses it with the message.
    client = login(reviewer)
    url = reverse("assessment:ledger_confirm", args=[confirmed.pk])
    page = client.post(url, {"decided_on": "2026-02-01", "doc_number": "新"}, follow=True)
    assert "不能修改或删除" in page.content.decode()
    # The admin form refuses a change with the same message.
    stored = LedgerDecision.objects.get(pk=confirmed.pk)
    data = {f: getattr(stored, f) for f in ("kind", "reason", "status", "source")}
    data |= {"year": ay.pk, "unit": unit_a.pk, "decided_on": "2026-01-10", "basis": "{}"}
    data["doc_number"] = "后台改的文号"
    form = LedgerDecisionForm(data, instance=stored)
    assert not form.is_valid() and "不能修改或删除" in str(form.non_field_errors())
    admin = site._registry[LedgerDecision]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert not admin.has_delete_permission(request, stored)
    # Withdrawing a confirmed decision is recorded; after that nothing changes.
    client.post(
        reverse("assessment:ledger_withdraw", args=[confirmed.pk]), {"withdrawn_reason": "文件撤回"}
    )
    stored.refresh_from_db()
    assert stored.status == DecisionStatus.WITHDRAWN and stored.doc_number == "招考〔2026〕2号"
    stored.reason = "再改"
    with pytest.raises(Frozen):
        stored.save()


def test_the_office_records_a_decision_by_hand(ay, login, reviewer, unit_a):
    UnitHead.objects.create(unit=unit_a, name="张明", start=D(2020, 1, 1))
    person = PersonFactory(unit=unit_a, name="孙强")
    url = reverse("assessment:ledger_add", args=[2025])
    client = login(reviewer)
    page = client.post(url, {"kind": "commend_person", "unit": unit_a.pk, "confirm_now": "on"})
    text = page.content.decode()
    assert "表彰个人请选择受表彰的人员。" in text and "直接登记为已确认须填写文号。" in text
    assert not LedgerDecision.objects.exists()
    data = {
        "kind": "talk",
        "unit": unit_a.pk,
        "decided_on": "2025-09-01",
        "doc_number": "招考谈〔2025〕4号",
        "reason": "三季度进度滞后",
        "confirm_now": "on",
    }
    assert client.post(url, data).status_code == 302
    talk = LedgerDecision.objects.get()
    assert (talk.status, talk.head.display_name, talk.source) == ("confirmed", "张明", "manual")
    data |= {"kind": "commend_person", "person": person.pk, "doc_number": "招表〔2025〕1号"}
    assert client.post(url, data).status_code == 302
    assert LedgerDecision.objects.filter(person=person, kind="commend_person").exists()


def test_the_campaign_ledger_generates_and_lists_its_proposals(db, login, reviewer, unit_a):
    campaign = ended_campaign({unit_a: 30}, sanction_below_rate=50)
    client = login(reviewer)
    client.post(reverse("assessment:ledger_campaign_generate", args=[campaign.pk]))
    page = client.get(reverse("assessment:ledger_campaign", args=[campaign.pk]))
    assert rows(page) == [(unit_a.name, "off_post", "proposed")]
    assert "低于 50%" in page.content.decode()


def test_the_export_opens_with_its_title_filters_and_rows(ay, login, reviewer, unit_a, unit_b):
    decision(ay, unit_a, DecisionKind.OFF_POST, basis={"rank": 4, "overall": "40.00", "echelon": 3})
    decision(ay, unit_b, DecisionKind.TALK, DecisionStatus.CONFIRMED)
    url = reverse("assessment:ledger_year", args=[2025])
    response = login(reviewer).get(url, {"_export": "xlsx", "kind": "off_post"})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.active
    values = list(ws.iter_rows(values_only=True))
    assert "2025年度奖惩台账" in values[0][0] and "奖惩类别：离岗招商" in values[0][0]
    header = values[1]
    assert header[:3] == ("年度", "会战", "单位") and "文号" in header
    body = [r for r in values[2:] if any(r)]
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=False))
    assert row["单位"] == unit_a.name and row["奖惩类别"] == "离岗招商" and row["状态"] == "拟议"
    assert row["总体完成率（%）"] == 40 and row["方阵"] == "第三方阵"


def _many(ay, units, n):
    for i in range(n):
        unit = units[i % len(units)]
        head = UnitHead.objects.filter(unit=unit).first() or UnitHead.objects.create(
            unit=unit, name=f"负责人{i}", start=D(2020, 1, 1)
        )
        status = DecisionStatus.CONFIRMED if i % 2 else DecisionStatus.PROPOSED
        decision(ay, unit, DecisionKind.TALK, status, head=head, person=None)


@pytest.mark.parametrize("who", ["reviewer", "staff_a"])
def test_list_and_unit_page_queries_do_not_grow_with_decisions(
    ay, login, request, who, unit_a, unit_b
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(request.getfixturevalue(who))
    urls = [reverse("assessment:ledger_year", args=[2025]), unit_a.get_absolute_url()]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    _many(ay, [unit_a, unit_b], 2)
    counts()  # the first requests warm the session and the caches
    small = counts()
    _many(ay, [unit_a, unit_b], 6)  # 8 decisions in all
    assert counts() == small


def test_the_navigation_opens_the_newest_years_ledger(ay, login, staff_a):
    make_year(2026)
    client = login(staff_a)
    response = client.get(reverse("assessment:ledger_latest"))
    assert response.url == reverse("assessment:ledger_year", args=[2026])
    assert "奖惩台账" in client.get(reverse("home")).content.decode()
