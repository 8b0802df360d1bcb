"""Reminders (issue 18 item 5): periodic background work that tells units what is due or late.

Run by `python manage.py send_reminders` (cron or a systemd timer, once or a few times a day) or
by the task `send_reminders_task` on the task worker (the database worker has no scheduler of its
own: a timer queues it with `send_reminders --enqueue`; see docs/deployment.md).

Decisions:
- What is reminded: a 月报 due within `ProjectSettings.report_reminder_days` days (default 3;
  the report for a month is due on `report_deadline_day` of the next month,
  `projects.reports.deadline`) and not yet filed; last month's 月报 missed (past its deadline,
  still not filed); an assistance item (帮办) past its deadline and not resolved; a 督办 past its
  reply-by date still awaiting the unit's reply (to the unit and to the issuer).
- Idempotent through the notification key (`zhaoshang.notify`): one key per thing and state —
  `report_due:<unit>:<YYYY-MM>`, `report_missed:<unit>:<YYYY-MM>`,
  `assistance_overdue:<item>:<deadline>`, `duban_overdue:<督办>:<reply-by>` — so two runs send
  once, and a deadline moved and missed again is reminded again.
- Catching up: each run looks at today's state only. A run after days of no runs sends what is
  due or late now, once — never one reminder per missed day, and never a "due soon" for a
  deadline already passed (that one is "missed").
- A fixed number of queries whatever the number of units, items and 督办 (`notify_many`).
"""

import datetime
import logging

from django.urls import reverse
from django.utils import timezone

from projects import reports
from projects.models import (
    AssistanceItem,
    AssistanceStatus,
    MonthlyReport,
    ProjectSettings,
    Supervision,
)
from units.models import Unit
from zhaoshang.notify import Message, notify_many
from zhaoshang.notify.models import Notification

try:
    from django.tasks import task
except ImportError:  # Django 5.2: the django-tasks backport has the same API
    from django_tasks import task

logger = logging.getLogger(__name__)


def _report_messages(today, settings):
    day, ahead = settings.report_deadline_day, settings.report_reminder_days
    this_month = reports.first_of_month(today)
    last_month = reports.add_months(this_month, -1)
    url = reverse("projects:report_list")
    messages = []
    for month in (last_month, this_month):
        due = reports.deadline(month, day)
        left = (due - today).days
        if 0 <= left <= ahead:
            kind, title = "report_due", f"{month:%Y年%m月}月报将于 {due:%Y-%m-%d} 截止，请按时报送"
        elif left < 0 and month == last_month:
            kind, title = (
                "report_missed",
                f"{month:%Y年%m月}月报已逾期未报送（截止 {due:%Y-%m-%d}）",
            )
        else:
            continue
        body = "本月确无投资和到位资金的，请报送零报告。"
        missing = Unit.objects.filter(is_active=True).exclude(
            pk__in=MonthlyReport.objects.filter(month=month).values("unit_id")
        )
        for unit_id in missing.values_list("pk", flat=True):
            key = f"{kind}:{unit_id}:{month:%Y-%m}"
            messages.append(Message(kind, title, body=body, url=url, key=key, units=(unit_id,)))
    return messages


def _assistance_messages(today):
    items = (
        AssistanceItem.objects.exclude(status=AssistanceStatus.RESOLVED)
        .filter(deadline__lt=today, responsible_unit__is_active=True)
        .select_related("project")
    )
    return [
        Message(
            "assistance_overdue",
            f"帮办事项逾期：{item.project.name} · {item.get_category_display()}",
            body=f"{item.problem}\n办理时限：{item.deadline:%Y-%m-%d}，已逾期 "
            f"{(today - item.deadline).days} 天。",
            url=item.project.get_absolute_url(),
            key=f"assistance_overdue:{item.pk}:{item.deadline:%Y-%m-%d}",
            units=(item.responsible_unit_id,),
        )
        for item in items
    ]


def _duban_messages(today):
    rows = Supervision.objects.overdue(today).select_related(
        "project", "assistance_item__project", "target_unit", "unit"
    )
    return [
        Message(
            "duban_overdue",
            f"督办逾期未答复：{row.target_label}（{row.unit.name}）",
            body=f"{row.request}\n答复期限：{row.reply_by:%Y-%m-%d}，已逾期 "
            f"{(today - row.reply_by).days} 天。",
            url=row.get_absolute_url(),
            key=f"duban_overdue:{row.pk}:{row.reply_by:%Y-%m-%d}",
            units=(row.unit_id,),
            users=(row.issued_by_id,) if row.issued_by_id else (),
        )
        for row in rows
    ]


def due_messages(today):
    """Every reminder today's state calls for (sent or not)."""
    settings = ProjectSettings.load()
    return [
        *_report_messages(today, settings),
        *_assistance_messages(today),
        *_duban_messages(today),
    ]


def unsent(messages):
    """The messages nobody has received yet (one query): what a dry run lists."""
    keys = {m.key for m in messages}
    sent = set(Notification.objects.filter(key__in=keys).values_list("kind", "key").distinct())
    return [m for m in messages if (m.kind, m.key) not in sent]


def send(today=None):
    """Send today's reminders; returns the number of notifications written."""
    today = today or timezone.localdate()
    created = notify_many(due_messages(today))
    logger.info("reminders for %s: %s notifications", today, created)
    return created


# The hour (local time) of the worker's own daily run.
REMINDER_HOUR = 8


def next_run(now=None):
    """The next REMINDER_HOUR o'clock after `now` (local time)."""
    now = timezone.localtime(now)
    run = now.replace(hour=REMINDER_HOUR, minute=0, second=0, microsecond=0)
    return run if run > now else run + datetime.timedelta(days=1)


def schedule(now=None):
    """Queue the worker's next daily run, unless one is queued already; returns its time, or
    None when nothing was queued.

    This is the scheduled task on the worker (issue 18 item 5): each run queues the next, and
    `make run` (`send_reminders --schedule`) starts the chain. Only the database queue can be
    asked what it holds, so only there does it schedule (a second `make run` then queues
    nothing); with RQ or without a queue that can defer, cron or the systemd timer is the
    scheduler (docs/deployment.md)."""
    backend = send_reminders_task.get_backend()
    if not backend.supports_defer or not _is_database_queue(backend):
        return None
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY", task_path=send_reminders_task.module_path)
    if waiting.exists():
        return None
    when = next_run(now)
    send_reminders_task.using(run_after=when).enqueue()
    return when


def _is_database_queue(backend):
    try:
        from django_tasks_db.backend import DatabaseBackend
    except ImportError:  # pragma: no cover - the database queue is a dependency
        return False
    return isinstance(backend, DatabaseBackend)


@task
def send_reminders_task():
    """The reminders as a task on the worker; queues tomorrow's run when it is done."""
    created = send()
    schedule()
    return created
