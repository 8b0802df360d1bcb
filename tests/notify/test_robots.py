"""The office keeps the group robots: add one for a unit, send it a test message; nobody else
sees the robots' addresses."""

import pytest
from django.urls import reverse

from zhaoshang.notify.models import Robot, RobotKind

pytestmark = pytest.mark.django_db


def test_the_office_adds_a_robot_and_sends_it_a_test_message(
    login, reviewer, unit_a, receiver, django_capture_on_commit_callbacks
):
    client = login(reviewer)
    data = {
        "name": "甲县招商工作群",
        "robot_kind": RobotKind.DINGTALK,
        "url": receiver.url(),
        "secret": "",
        "unit": unit_a.pk,
        "group": "",
        "is_active": "on",
    }
    response = client.post(reverse("notify:robot_add"), data)
    assert response.status_code == 302
    robot = Robot.objects.get()
    page = client.get(reverse("notify:robot_list")).content.decode()
    assert "甲县招商工作群" in page and "钉钉群机器人" in page
    client.post(reverse("notify:robot_test", args=[robot.pk]))
    assert receiver.texts == ["【测试消息】招商引资任务考核系统的消息推送已接通。"]


def test_a_robot_for_both_a_unit_and_a_group_is_refused(login, reviewer, unit_a, group):
    data = {
        "name": "群",
        "robot_kind": RobotKind.WECOM,
        "url": "https://qyapi.example/cgi-bin/webhook/send?key=k",
        "unit": unit_a.pk,
        "group": group.pk,
        "is_active": "on",
    }
    response = login(reviewer).post(reverse("notify:robot_add"), data)
    assert "请选择单位或协作组之一" in response.content.decode()
    assert not Robot.objects.exists()


def test_unit_staff_cannot_see_robots(login, staff_a, unit_a):
    Robot.objects.create(
        name="甲县群", robot_kind=RobotKind.WECOM, url="https://x.example/", unit=unit_a
    )
    client = login(staff_a)
    assert client.get(reverse("notify:robot_list")).status_code == 403
    assert "工作群机器人</a>" not in client.get(reverse("notify:list")).content.decode()
