"""Reminders (`manage.py send_reminders` and its task): 月报 due and missed, 帮办 and 督办
overdue; two runs send once; a run after days of none catches up once; --dry-run sends nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import reminders
from projects.models import ProjectSettings
from tests.factories import (
    AssistanceItemFactory,
    MonthlyReportFactory,
    ProjectFactory,
    SupervisionFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Role
from zhaoshang.notify.models import Notification

pytestmark = pytest.mark.django_db

JUNE_2 = datetime.date(2026, 6, 2)  # May's 月报 is due on 5 June


def run(day, *args):
    out = StringIO()
    call_command("send_reminders", "--today", day.isoformat(), *args, stdout=out)
    return out.getvalue()


def kinds(user):
    return sorted(Notification.objects.filter(user=user).values_list("kind", "key"))


def test_report_due_is_sent_once_across_runs(staff_a, staff_b, unit_b):
    MonthlyReportFactory(unit=unit_b, month=datetime.date(2026, 5, 1))
    run(JUNE_2)
    run(JUNE_2)
    run(datetime.date(2026, 6, 4))
    key = f"report_due:{staff_a.unit_id}:2026-05"
    assert kinds(staff_a) == [("report_due", key)]
    assert kinds(staff_b) == []  # unit B has filed May's report
    title = Notification.objects.get(user=staff_a).title
    assert "2026年05月月报" in title and "2026-06-05" in title


def due(user):
    return [key for kind, key in kinds(user) if kind == "report_due"]


def test_report_due_window_is_configurable(staff_a):
    run(datetime.date(2026, 5, 31))  # six days before: outside the default three
    assert due(staff_a) == []
    ProjectSettings.objects.update_or_create(pk=1, defaults={"report_reminder_days": 6})
    run(datetime.date(2026, 5, 31))
    assert due(staff_a) == [f"report_due:{staff_a.unit_id}:2026-05"]


def test_missed_run_catches_up_once_with_todays_state(staff_a, reviewer, days):
    """Cron down from 1 to 8 June: the run on the 9th sends "missed", not "due", and only once."""
    project = ProjectFactory(unit=staff_a.unit)
    AssistanceItemFactory(project=project, deadline=datetime.date(2026, 6, 3))
    SupervisionFactory(project=project, reply_by=datetime.date(2026, 6, 4), issued_by=reviewer)
    for day in (9, 9, 10):
        run(datetime.date(2026, 6, day))
    got = [kind for kind, _ in kinds(staff_a)]
    assert sorted(got) == ["assistance_overdue", "duban_overdue", "report_missed"]
    assert [kind for kind, _ in kinds(reviewer)] == ["duban_overdue"]  # the issuer is told


def test_answered_duban_and_resolved_item_are_not_reminded(staff_a):
    project = ProjectFactory(unit=staff_a.unit)
    AssistanceItemFactory(project=project, deadline=datetime.date(2026, 6, 1), status="resolved")
    SupervisionFactory(project=project, reply_by=datetime.date(2026, 6, 1), status="answered")
    MonthlyReportFactory(unit=staff_a.unit, month=datetime.date(2026, 5, 1))
    run(datetime.date(2026, 6, 20))
    assert kinds(staff_a) == []


def test_a_moved_deadline_missed_again_is_reminded_again(staff_a):
    item = AssistanceItemFactory(
        project=ProjectFactory(unit=staff_a.unit), deadline=datetime.date(2026, 6, 1)
    )
    run(datetime.date(2026, 6, 3))
    item.deadline = datetime.date(2026, 6, 10)
    item.save()
    run(datetime.date(2026, 6, 11))
    overdue = [key for kind, key in kinds(staff_a) if kind == "assistance_overdue"]
    assert len(overdue) == 2


def test_dry_run_lists_and_sends_nothing(staff_a):
    out = run(JUNE_2, "--dry-run")
    assert "[月报即将到期]" in out and "将发送 1 条提醒" in out
    assert not Notification.objects.exists()
    run(JUNE_2)
    assert "将发送 0 条提醒" in run(JUNE_2, "--dry-run")


def test_bad_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "2026-13-40")


def test_task_on_the_worker_sends_the_same(staff_a, monkeypatch):
    monkeypatch.setattr(reminders.timezone, "localdate", lambda: JUNE_2)
    reminders.send_reminders_task.enqueue()  # the immediate backend of the tests runs it now
    reminders.send_reminders_task.enqueue()
    assert [kind for kind, _ in kinds(staff_a)] == ["report_due"]


def test_queries_do_not_grow_with_units_and_items():
    def world(n):
        for _ in range(n):
            unit = UnitFactory()
            UserFactory(role=Role.UNIT_STAFF, unit=unit)
            project = ProjectFactory(unit=unit)
            AssistanceItemFactory(project=project, deadline=datetime.date(2026, 6, 1))
            SupervisionFactory(project=project, reply_by=datetime.date(2026, 6, 1))

    def cost(day):
        with CaptureQueriesContext(connection) as ctx:
            reminders.send(day)
        return len(ctx)

    world(2)
    ProjectSettings.load()
    small = cost(datetime.date(2026, 6, 3))
    world(15)
    assert cost(datetime.date(2026, 6, 4)) == small
