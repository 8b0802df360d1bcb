"""督办单: a leader issues one on a project, the unit replies with a file, the leader closes it;
other units never see it; buttons only for those who may use them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Supervision, SupervisionStatus
from tests.factories import AssistanceItemFactory, SupervisionFactory
from zhaoshang.notify.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf(name="进展报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def issue_url(target, pk):
    return reverse("projects:duban_issue", args=[target, pk])


def test_leader_issues_unit_replies_with_a_file_and_leader_closes(
    login, leader, staff_a, project_a, days
):
    client = login(leader)
    response = client.post(
        issue_url("project", project_a.pk),
        {"request": "请说明开工推迟原因", "reply_by": days(7).isoformat()},
    )
    supervision = Supervision.objects.get()
    assert response.status_code == 302
    assert supervision.unit == project_a.unit and supervision.issued_by == leader
    assigned = Notification.objects.get(kind="duban_assigned")
    assert assigned.user == staff_a

    client = login(staff_a)
    page = client.get(supervision.get_absolute_url()).content.decode()
    assert "请说明开工推迟原因" in page and 'data-testid="duban-reply-form"' in page
    assert 'data-testid="duban-close-form"' not in page
    response = client.post(
        reverse("projects:duban_reply", args=[supervision.pk]),
        {"text": "已落实施工许可，下周开工", "files": [pdf()]},
    )
    assert response.status_code == 302
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.ANSWERED
    assert Notification.objects.get(kind="duban_answered").user == leader
    reply_file = supervision.replies.get().files.get()
    download = client.get(reverse("projects:duban_file", args=[reply_file.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    client = login(leader)
    page = client.get(supervision.get_absolute_url()).content.decode()
    assert "已落实施工许可" in page and "进展报告.pdf" in page
    assert 'data-testid="duban-close-form"' in page
    assert 'data-testid="duban-reply-form"' not in page
    client.post(reverse("projects:duban_close", args=[supervision.pk]), {"comment": "同意办结"})
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.CLOSED and supervision.closed_by == leader
    closed = Notification.objects.get(kind="duban_closed")
    assert closed.user == staff_a and "同意办结" in closed.body
    page = login(staff_a).get(supervision.get_absolute_url()).content.decode()
    assert "同意办结" in page and 'data-testid="duban-reply-form"' not in page


def test_other_units_get_404_and_cannot_reply(login, staff_b, coordinator, project_a):
    supervision = SupervisionFactory(project=project_a)
    for user in (staff_b, coordinator):
        client = login(user)
        assert client.get(supervision.get_absolute_url()).status_code == 404
        reply = reverse("projects:duban_reply", args=[supervision.pk])
        assert client.post(reply, {"text": "越权答复"}).status_code == 404
    assert not supervision.replies.exists()
    listing = login(staff_b).get(reverse("projects:duban_list")).context["table"]
    assert len(listing.rows) == 0


def test_only_leaders_and_office_issue_and_close(login, staff_a, head_a, reviewer, project_a, days):
    supervision = SupervisionFactory(project=project_a)
    data = {"request": "请报送进展", "reply_by": days(5).isoformat()}
    for user in (staff_a, head_a):
        client = login(user)
        assert client.post(issue_url("project", project_a.pk), data).status_code == 403
        close = reverse("projects:duban_close", args=[supervision.pk])
        assert client.post(close, {"comment": "自行办结"}).status_code == 403
        page = client.get(project_a.get_absolute_url()).content.decode()
        assert 'data-testid="duban-issue"' not in page
    assert Supervision.objects.count() == 1
    page = login(reviewer).get(project_a.get_absolute_url()).content.decode()
    assert issue_url("project", project_a.pk) in page
    assert login(reviewer).post(issue_url("project", project_a.pk), data).status_code == 302


def test_office_cannot_reply_for_the_unit(login, reviewer, project_a):
    supervision = SupervisionFactory(project=project_a)
    response = login(reviewer).post(
        reverse("projects:duban_reply", args=[supervision.pk]), {"text": "代答"}
    )
    assert response.status_code == 403
    assert not supervision.replies.exists()


def test_bad_input_saves_nothing(login, leader, staff_a, project_a, days):
    client = login(leader)
    response = client.post(
        issue_url("project", project_a.pk), {"request": "", "reply_by": days(-1).isoformat()}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "请填写督办要求" in page and "不能早于今天" in page
    assert not Supervision.objects.exists()
    supervision = SupervisionFactory(project=project_a)
    fake = SimpleUploadedFile("报告.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = login(staff_a).post(
        reverse("projects:duban_reply", args=[supervision.pk]), {"text": "见附件", "files": [fake]}
    )
    assert response.status_code == 200 and "内容与扩展名不符" in response.content.decode()
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.AWAITING and not supervision.replies.exists()


def test_duban_on_an_assistance_item_goes_to_the_unit_that_must_act(
    login, leader, unit_b, project_a, days
):
    item = AssistanceItemFactory(project=project_a, responsible_unit=unit_b)
    page = login(leader).get(project_a.get_absolute_url()).content.decode()
    assert issue_url("assistance", item.pk) in page
    login(leader).post(
        issue_url("assistance", item.pk), {"request": "请协调用地", "reply_by": days(3).isoformat()}
    )
    supervision = Supervision.objects.get()
    assert supervision.unit == unit_b and supervision.assistance_item == item


def test_assistance_list_offers_duban_to_issuers_only(login, leader, staff_a, project_a):
    item = AssistanceItemFactory(project=project_a)
    url = reverse("projects:assistance_list")
    assert issue_url("assistance", item.pk) in login(leader).get(url).content.decode()
    assert issue_url("assistance", item.pk) not in login(staff_a).get(url).content.decode()
    export = login(leader).get(url, {"_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert item.get_status_display() in cells and not any("<a" in c for c in cells)


def test_unit_page_shows_open_duban_and_the_button_to_issuers(
    login, leader, staff_a, unit_a, project_a, days
):
    SupervisionFactory(project=project_a, request="请报送三季度投资计划", reply_by=days(-2))
    closed = SupervisionFactory(project=project_a, request="已经办结的督办")
    Supervision.objects.filter(pk=closed.pk).update(status=SupervisionStatus.CLOSED)
    url = reverse("units:unit_detail", args=[unit_a.pk])
    page = login(staff_a).get(url).content.decode()
    assert "请报送三季度投资计划" in page and "已经办结的督办" not in page
    assert issue_url("unit", unit_a.pk) not in page
    page = login(leader).get(url).content.decode()
    assert issue_url("unit", unit_a.pk) in page
    login(leader).post(
        issue_url("unit", unit_a.pk), {"request": "请梳理全年目标", "reply_by": days(9).isoformat()}
    )
    assert Supervision.objects.get(target_unit=unit_a).unit == unit_a


def test_list_shows_overdue_first_and_filters_by_status(login, leader, project_a, days):
    later = SupervisionFactory(project=project_a, request="期限未到", reply_by=days(10))
    late = SupervisionFactory(project=project_a, request="已逾期", reply_by=days(-3))
    client = login(leader)
    rows = client.get(reverse("projects:duban_list")).context["table"].rows
    assert [row.record.pk for row in rows] == [late.pk, later.pk]
    Supervision.objects.filter(pk=late.pk).update(status=SupervisionStatus.ANSWERED)
    rows = client.get(reverse("projects:duban_list"), {"status": "awaiting"}).context["table"].rows
    assert [row.record.pk for row in rows] == [later.pk]
