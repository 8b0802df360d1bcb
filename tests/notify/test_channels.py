"""Delivery: in-app always; e-mail and group robots after the commit, as each user chose; a
robot that fails never reaches the user. The robots are a receiver on 127.0.0.1."""

import base64
import hashlib
import hmac
import urllib.parse

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.notify.receiver import Receiver
from units.models import Role
from zhaoshang.notify import notify
from zhaoshang.notify.models import Notification, OptOut, Robot, RobotKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(staff_a, staff_a2):
    staff_a.email, staff_a2.email = "a@zs.example", "a2@zs.example"
    staff_a.save(), staff_a2.save()


def send(unit, capture, **extra):
    with capture(execute=True):
        return notify("claim_returned", units=[unit], title="申报被退回：甲县项目", **extra)


# --- e-mail ------------------------------------------------------------------------------------


def test_email_goes_to_each_recipient_with_an_address(
    django_capture_on_commit_callbacks, unit_a, staff_a, head_a, emails
):
    send(unit_a, django_capture_on_commit_callbacks, body="退回理由：缺盖章页", url="/review/")
    assert sorted(m.to[0] for m in mail.outbox) == ["a2@zs.example", "a@zs.example"]
    message = mail.outbox[0]
    assert message.subject == "【招商引资任务考核】申报被退回：甲县项目"
    assert "退回理由：缺盖章页" in message.body and "/review/" in message.body
    assert Notification.objects.filter(user=head_a).exists()  # no address: in-app only


def test_links_in_email_are_absolute_when_the_site_address_is_set(
    settings, django_capture_on_commit_callbacks, unit_a, emails
):
    settings.SITE_URL = "https://zs.example.gov.cn/"
    send(unit_a, django_capture_on_commit_callbacks, url="/review/claims/milestone/1/")
    assert "https://zs.example.gov.cn/review/claims/milestone/1/" in mail.outbox[0].body


def test_a_user_who_turned_email_off_gets_none(
    django_capture_on_commit_callbacks, unit_a, staff_a, emails
):
    OptOut.objects.create(user=staff_a, kind="claim_returned", channel="email")
    send(unit_a, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["a2@zs.example"]]
    assert Notification.objects.filter(user=staff_a).exists()  # the list always receives


def test_nothing_is_sent_before_the_commit_or_after_a_rollback(
    django_capture_on_commit_callbacks, unit_a, emails
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify("claim_returned", units=[unit_a], title="回滚")
                assert mail.outbox == []
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == [] and Notification.objects.count() == 0


def test_a_broken_mail_server_never_reaches_the_user(
    settings, django_capture_on_commit_callbacks, unit_a, emails, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "tests.notify.test_channels.BrokenBackend"}}
    assert send(unit_a, django_capture_on_commit_callbacks) == 2
    assert "e-mails failed" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


# --- group robots ------------------------------------------------------------------------------


def test_a_unit_robot_gets_one_text_message_per_notification(
    django_capture_on_commit_callbacks, receiver, unit_a, unit_b, staff_a, staff_a2, staff_b
):
    Robot.objects.create(
        name="甲县招商群", robot_kind=RobotKind.WECOM, url=receiver.url(), unit=unit_a
    )
    Robot.objects.create(
        name="乙县招商群", robot_kind=RobotKind.WECOM, url=receiver.url(), unit=unit_b
    )
    send(unit_a, django_capture_on_commit_callbacks, body="退回理由：缺盖章页")
    assert len(receiver.posts) == 1  # two staff behind it, one message in the group
    path, body = receiver.posts[0]
    assert path == "/robot/send?access_token=t"
    assert body["msgtype"] == "text"
    assert body["text"]["content"] == "【申报被退回】申报被退回：甲县项目\n退回理由：缺盖章页"


def test_a_group_robot_hears_of_its_member_units(
    django_capture_on_commit_callbacks, receiver, group, unit_a, staff_a
):
    group.year = timezone.localdate().year
    group.save()
    Robot.objects.create(
        name="第一协作组群", robot_kind=RobotKind.DINGTALK, url=receiver.url(), group=group
    )
    send(unit_a, django_capture_on_commit_callbacks)
    assert receiver.texts == ["【申报被退回】申报被退回：甲县项目"]


def test_a_dingtalk_robot_with_a_secret_gets_a_signed_address(
    django_capture_on_commit_callbacks, receiver, unit_a, staff_a
):
    secret = "SECtest-secret"
    Robot.objects.create(
        name="钉钉群", robot_kind=RobotKind.DINGTALK, url=receiver.url(), unit=unit_a, secret=secret
    )
    send(unit_a, django_capture_on_commit_callbacks)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(receiver.posts[0][0]).query)
    timestamp = query["timestamp"][0]
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    assert query["sign"][0] == base64.b64encode(digest.digest()).decode()
    assert query["access_token"] == ["t"]


def test_no_robot_message_when_every_recipient_turned_robots_off(
    django_capture_on_commit_callbacks, receiver, unit_a, staff_a, staff_a2
):
    Robot.objects.create(name="甲县群", robot_kind=RobotKind.WECOM, url=receiver.url(), unit=unit_a)
    for user in (staff_a, staff_a2):
        OptOut.objects.create(user=user, kind="claim_returned", channel="webhook")
    send(unit_a, django_capture_on_commit_callbacks)
    assert receiver.posts == []
    OptOut.objects.filter(user=staff_a2).delete()
    send(unit_a, django_capture_on_commit_callbacks, key="again")
    assert len(receiver.posts) == 1


def test_an_inactive_robot_is_silent(django_capture_on_commit_callbacks, receiver, unit_a, staff_a):
    Robot.objects.create(
        name="停用群", robot_kind=RobotKind.WECOM, url=receiver.url(), unit=unit_a, is_active=False
    )
    send(unit_a, django_capture_on_commit_callbacks)
    assert receiver.posts == []


@pytest.mark.parametrize("answer,status", [({"errcode": 310000, "errmsg": "sign"}, 200), ({}, 500)])
def test_a_robot_that_refuses_is_logged_not_raised(
    django_capture_on_commit_callbacks, unit_a, staff_a, caplog, answer, status
):
    with Receiver(answer=answer, status=status) as refusing:
        Robot.objects.create(
            name="坏群", robot_kind=RobotKind.WECOM, url=refusing.url(), unit=unit_a
        )
        assert send(unit_a, django_capture_on_commit_callbacks) == 1
    assert len(refusing.posts) == 1
    assert "坏群" in caplog.text


def test_an_unreachable_robot_is_logged_not_raised(
    django_capture_on_commit_callbacks, unit_a, staff_a, caplog
):
    with Receiver() as gone:
        url = gone.url()
    Robot.objects.create(name="断网群", robot_kind=RobotKind.WECOM, url=url, unit=unit_a)
    assert send(unit_a, django_capture_on_commit_callbacks) == 1
    assert "unreachable" in caplog.text


def test_a_robot_is_for_a_unit_or_a_group_and_posts_over_http(unit_a, group):
    from django.core.exceptions import ValidationError

    for fields in ({}, {"unit": unit_a, "group": group}):
        robot = Robot(name="群", robot_kind=RobotKind.WECOM, url="https://qyapi.example/", **fields)
        with pytest.raises(ValidationError):
            robot.full_clean()
    robot = Robot(name="群", robot_kind=RobotKind.WECOM, url="ftp://x.example/", unit=unit_a)
    with pytest.raises(ValidationError):
        robot.full_clean()


# --- the settings page -------------------------------------------------------------------------


def test_settings_page_turns_channels_off_per_kind(login, staff_a):
    client = login(staff_a)
    page = client.get(reverse("notify:settings")).content.decode()
    assert "申报被退回" in page and "电子邮件" in page and "工作群机器人" in page
    keep = {"claim_returned__email": "on", "claim_returned__webhook": "on"}
    assert client.post(reverse("notify:settings"), keep).status_code == 302
    off = set(OptOut.objects.filter(user=staff_a).values_list("kind", "channel"))
    assert ("claim_returned", "email") not in off
    assert ("claim_approved", "email") in off and ("duban_overdue", "webhook") in off
    form = client.get(reverse("notify:settings")).context["form"]
    assert form["claim_returned__email"].value() is True
    assert form["claim_approved__email"].value() is False


def test_settings_are_each_users_own(login, staff_a, staff_b):
    OptOut.objects.create(user=staff_b, kind="claim_returned", channel="email")
    login(staff_a).post(reverse("notify:settings"), {})
    assert OptOut.objects.filter(user=staff_b).count() == 1


def test_a_leader_without_a_unit_receives_by_email(django_capture_on_commit_callbacks, receiver):
    leader = UserFactory(role=Role.LEADER, unit=None, email="l@zs.example")
    with django_capture_on_commit_callbacks(execute=True):
        notify("bulletin_published", users=[leader], title="通报已发布")
    assert [m.to for m in mail.outbox] == [["l@zs.example"]]
