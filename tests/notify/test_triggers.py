"""Each trigger notifies the right people once, with a link to where the work is."""

import datetime

import pytest
from django.urls import reverse

from assessment.snapshots import compute_snapshot, publish
from projects import claims
from projects.claims import Action
from projects.models import ClaimStatus as S
from projects.models import Project
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.factories import IndustryFactory, LeadFactory, UserFactory
from units.models import Role
from zhaoshang.notify.models import Notification

pytestmark = pytest.mark.django_db


def inbox(user, kind=None):
    rows = Notification.objects.filter(user=user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows)


def claim_url(claim):
    return reverse("review:claim_detail", args=[claims.claim_type(claim), claim.pk])


# --- claims ------------------------------------------------------------------------------------


def test_a_returned_claim_tells_its_unit_with_the_reason(
    make_claim, reviewer, staff_a, head_a, staff_b
):
    claim = make_claim(S.SUBMITTED)
    claims.transition(reviewer, claim, Action.REJECT, "签约合同缺少盖章页")
    [note] = inbox(staff_a)
    assert note.kind == "claim_returned"
    assert "甲县新能源电池项目" in note.title and "退回" in note.title
    assert note.body == "退回理由：签约合同缺少盖章页"
    assert note.url == claim_url(claim)
    assert len(inbox(head_a)) == 1
    assert inbox(staff_b) == [] and inbox(reviewer) == []


def test_a_bulk_return_notifies_once_per_claim(login, make_claim, reviewer, staff_a):
    first, second = make_claim(S.SUBMITTED), make_claim(S.SUBMITTED, kind="funds")
    response = login(reviewer).post(
        reverse("review:queue_act"),
        {
            "selected": [f"milestone:{first.pk}", f"funds:{second.pk}"],
            "action": "reject",
            "comment": "请补充材料",
            "confirm": "yes",
        },
    )
    assert response.status_code == 302
    assert sorted(n.url for n in inbox(staff_a, "claim_returned")) == sorted(
        [claim_url(first), claim_url(second)]
    )


def test_a_claim_returned_again_after_resubmission_notifies_again(make_claim, reviewer, staff_a):
    claim = make_claim(S.SUBMITTED)
    claims.transition(reviewer, claim, Action.REJECT, "第一次")
    claims.transition(staff_a, claim, Action.SUBMIT, "")
    claims.transition(reviewer, claim, Action.REJECT, "第二次")
    assert sorted(n.body for n in inbox(staff_a)) == ["退回理由：第一次", "退回理由：第二次"]


def test_an_approved_claim_tells_its_unit(make_claim, leader, staff_a):
    claim = make_claim(S.CONFIRMED, kind="investment")
    claims.transition(leader, claim, Action.APPROVE, "")
    [note] = inbox(staff_a)
    assert (note.kind, note.url) == ("claim_approved", claim_url(claim))
    assert "申报已审定" in note.title


def test_forward_steps_and_submissions_notify_nobody(make_claim, reviewer, staff_a):
    claim = make_claim(S.DRAFT)
    claims.transition(staff_a, claim, Action.SUBMIT, "")
    claims.transition(reviewer, claim, Action.REVIEW, "")
    assert Notification.objects.count() == 0


# --- 通报 -------------------------------------------------------------------------------------


def test_publishing_a_bulletin_tells_every_unit_and_the_leaders(
    unit_a, unit_b, staff_a, staff_b, leader, reviewer
):
    year = default_year(2026)
    set_targets(year, unit_a, signed_100m=2)
    signed_project(unit_a, name="甲县新能源电池项目")
    publish(compute_snapshot(2026, 1, reviewer), reviewer)
    url = reverse("assessment:report", args=[2026, 1])
    for user in (staff_a, staff_b, leader):
        [note] = inbox(user, "bulletin_published")
        assert note.url == url and "2026年第一季度" in note.title
    assert inbox(reviewer) == []


# --- 帮办 --------------------------------------------------------------------------------------


def item_data(unit, **extra):
    return {
        "category": "power",
        "problem": "双回路供电尚未接入",
        "responsible_unit": unit.pk,
        "responsible_leader": "周副区长",
        "deadline": (datetime.date.today() + datetime.timedelta(days=20)).isoformat(),
        "status": "open",
        "resolution": "",
        "resolved_on": "",
        **extra,
    }


def test_an_assistance_item_tells_the_unit_that_must_act(
    login, staff_a, staff_b, unit_a, unit_b, project_a
):
    client = login(staff_a)
    url = reverse("projects:assistance_add", args=[project_a.pk])
    assert client.post(url, item_data(unit_b)).status_code == 302
    [note] = inbox(staff_b, "assistance_assigned")
    assert note.url == project_a.get_absolute_url()
    assert "双回路供电尚未接入" in note.body
    assert inbox(staff_a) == []
    # The unit's own item needs no message to itself.
    client.post(url, item_data(unit_a, problem="本单位自办"))
    assert Notification.objects.count() == 1


def test_an_item_handed_to_another_unit_tells_that_unit(
    login, staff_a, staff_b, unit_a, unit_b, project_a
):
    other = UserFactory(role=Role.UNIT_STAFF)
    client = login(staff_a)
    client.post(reverse("projects:assistance_add", args=[project_a.pk]), item_data(unit_b))
    item = project_a.assistance_items.get()
    edit = reverse("projects:assistance_edit", args=[item.pk])
    client.post(edit, item_data(unit_b, responsible_leader="李副区长"))  # same unit: no news
    assert len(inbox(staff_b)) == 1
    client.post(edit, item_data(other.unit))
    assert len(inbox(other, "assistance_assigned")) == 1


# --- 线索 --------------------------------------------------------------------------------------


PROJECT_DATA = {
    "name": "智能终端生产基地",
    "investor_name": "深圳某电子科技有限公司",
    "origin": "domestic",
    "category": "industrial",
    "is_new": "1",
    "total_investment": "30000",
    "contracted_investment": "0",
    "stage": "negotiating",
}


def convert(client, lead, unit):
    data = {**PROJECT_DATA, "unit": unit.pk, "industry": IndustryFactory().pk}
    return client.post(reverse("projects:lead_convert", args=[lead.pk]), data)


def test_a_shared_lead_converted_by_another_unit_credits_the_collecting_unit(
    login, staff_a, staff_b, unit_a, unit_b
):
    lead = LeadFactory(unit=unit_a, investor_name="深圳某电子科技有限公司", created_by=staff_a)
    lead.shared_with.add(unit_b)
    client = login(staff_b)
    response = convert(client, lead, unit_b)
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    [note] = inbox(staff_a, "lead_converted")
    assert note.url == project.get_absolute_url() and "智能终端生产基地" in note.title
    assert inbox(staff_b) == []
    page = client.get(project.get_absolute_url()).content.decode()
    assert "线索收集单位" in page and "甲县" in page and "共享线索贡献" in page


def test_a_unit_converting_its_own_lead_is_not_told(login, staff_a, unit_a):
    lead = LeadFactory(unit=unit_a, created_by=staff_a)
    convert(login(staff_a), lead, unit_a)
    assert Project.objects.count() == 1
    assert Notification.objects.count() == 0
