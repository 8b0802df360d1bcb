"""Delivering notifications on the channels besides the in-app list: e-mail and group robots.

Runs as a background task (Django's tasks framework, the queue of `zhaoshang.jobs`), queued
after the writing transaction commits. A failure of one channel is logged and never reaches
the user or stops the other channels: the in-app row is already written.

E-mail goes to each recipient who has an address and has not turned e-mail off for the kind,
through Django's configured EMAIL_BACKEND (the console in development and the demo).

A robot receives one message per notification batch of the same kind and title, whatever the
number of recipients behind it: the group chat wants to read "申报被退回" once, not once per
staff member of the unit. It receives it when a recipient of its unit (or of a member unit of
its group in the current year) has the robot channel on for the kind.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone

from zhaoshang.notify.kinds import KINDS, Channel
from zhaoshang.notify.models import Notification, OptOut, Robot, RobotKind

try:
    from django.core.mail import mailers
except ImportError:  # Django 5.2: the EMAIL_* settings
    mailers = None
try:
    from django.tasks import task
except ImportError:  # Django 5.2: the django-tasks backport has the same API
    from django_tasks import task

logger = logging.getLogger(__name__)

ROBOT_TIMEOUT_SECONDS = 5
SUBJECT_PREFIX = "【招商引资任务考核】"


def queue(ids):
    """Queue delivery of the notifications `ids`; never raises (a queue that is down loses
    the e-mail and robot copies, not the in-app list)."""
    try:
        deliver.enqueue(list(ids))
    except Exception:
        logger.exception("Could not queue delivery of notifications %s", ids[:10])


def queue_test(robot):
    try:
        send_test.enqueue(robot.pk)
    except Exception:
        logger.exception("Could not queue a test message to robot %s", robot.pk)


@task()
def send_test(robot_id):
    from zhaoshang.notify.robots import TEST_TEXT

    robot = Robot.objects.filter(pk=robot_id).first()
    if robot is not None:
        post_to_robot(robot, TEST_TEXT)


def absolute(url):
    """A link for outside the app: prefixed with settings.SITE_URL when one is set."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    if url.startswith("/") and base:
        return base + url
    return url


def text_of(notification):
    lines = [f"【{KINDS.get(notification.kind, '')}】{notification.title}"]
    if notification.body:
        lines.append(notification.body)
    if notification.url:
        lines.append(absolute(notification.url))
    return "\n".join(lines)


def _opted_out(notifications):
    rows = OptOut.objects.filter(
        user_id__in={n.user_id for n in notifications},
        kind__in={n.kind for n in notifications},
    )
    return set(rows.values_list("user_id", "kind", "channel"))


def _wants(opted_out, notification, channel):
    return (notification.user_id, notification.kind, channel) not in opted_out


def send_emails(notifications, opted_out):
    messages = [
        EmailMessage(
            subject=SUBJECT_PREFIX + n.title,
            body=text_of(n),
            to=[n.user.email],
        )
        for n in notifications
        if n.user.email and n.user.is_active and _wants(opted_out, n, Channel.EMAIL)
    ]
    if not messages:
        return 0
    try:
        return _connection().send_messages(messages) or 0
    except Exception:
        logger.exception("Sending %s notification e-mails failed", len(messages))
        return 0


def _connection():
    if mailers is not None:
        return mailers.default
    from django.core.mail import get_connection

    return get_connection()


def robot_payload(robot, text):
    """The robot's text message: 企业微信 and 钉钉 group robots read the same shape."""
    return {"msgtype": "text", "text": {"content": text}}


def robot_url(robot, now=None):
    """The address to post to; a 钉钉 robot with 加签 wants a timestamp and signature."""
    if robot.robot_kind != RobotKind.DINGTALK or not robot.secret:
        return robot.url
    timestamp = str(round((now or time.time()) * 1000))
    digest = hmac.new(
        robot.secret.encode(), f"{timestamp}\n{robot.secret}".encode(), hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in robot.url else "?"
    return f"{robot.url}{separator}timestamp={timestamp}&sign={sign}"


def post_to_robot(robot, text):
    """POST one text message; True when the robot accepted it (errcode 0). Logs failures."""
    data = json.dumps(robot_payload(robot, text), ensure_ascii=False).encode()
    request = urllib.request.Request(
        robot_url(robot),
        data=data,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=ROBOT_TIMEOUT_SECONDS) as response:
            answer = response.read(10_000)
    except Exception as exc:
        logger.warning("Robot %s (%s) unreachable: %s", robot.pk, robot.name, exc)
        return False
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        errcode = 0  # a receiver that answers 200 without JSON took the message
    if errcode:
        logger.warning("Robot %s (%s) refused the message: %s", robot.pk, robot.name, answer)
        return False
    return True


def robots_for(unit_ids, year=None):
    year = year or timezone.localdate().year
    return list(
        Robot.objects.filter(is_active=True)
        .filter(
            Q(unit_id__in=unit_ids)
            | Q(group__year=year, group__memberships__unit_id__in=unit_ids)
            | Q(group__year=year, group__lead_unit_id__in=unit_ids)
        )
        .distinct()
        .prefetch_related("group__memberships")
    )


def _robot_units(robot, year):
    if robot.unit_id:
        return {robot.unit_id}
    members = {m.unit_id for m in robot.group.memberships.all()}
    return members | {robot.group.lead_unit_id}


def send_to_robots(notifications, opted_out):
    """One post per robot and message (kind, title), for the units whose recipients want it."""
    batches = {}
    for n in notifications:
        if n.user.unit_id and _wants(opted_out, n, Channel.WEBHOOK):
            batch = batches.setdefault((n.kind, n.title), (n, set()))
            batch[1].add(n.user.unit_id)
    if not batches:
        return 0
    year = timezone.localdate().year
    wanted = set().union(*(units for _, units in batches.values()))
    robots = robots_for(wanted, year)
    sent = 0
    for first, units in batches.values():
        for robot in robots:
            if _robot_units(robot, year) & units and post_to_robot(robot, text_of(first)):
                sent += 1
    return sent


@task()
def deliver(ids):
    """E-mail and robot copies of the notifications `ids` (one notify batch)."""
    notifications = list(Notification.objects.filter(pk__in=ids).select_related("user"))
    if not notifications:
        return
    opted_out = _opted_out(notifications)
    send_emails(notifications, opted_out)
    try:
        send_to_robots(notifications, opted_out)
    except Exception:
        logger.exception("Robot delivery of notifications %s failed", ids[:10])
