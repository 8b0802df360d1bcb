"""The reminders' scheduled task on the database queue (issue 18 item 5): `make run` starts a
daily chain, each run queues the next, and starting it again queues nothing more."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from projects import reminders

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued():
    return DBTaskResult.objects.filter(
        status="READY", task_path=reminders.send_reminders_task.module_path
    )


def test_next_run_is_the_coming_eight_oclock():
    morning = datetime.datetime(2026, 12, 2, 7, 59, tzinfo=SHANGHAI)
    assert reminders.next_run(morning) == datetime.datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)
    later = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)
    assert reminders.next_run(later) == datetime.datetime(2026, 12, 3, 8, 0, tzinfo=SHANGHAI)


def test_schedule_queues_one_daily_run_however_often_it_is_started(database_queue, capsys):
    call_command("send_reminders", "--schedule")
    call_command("send_reminders", "--schedule")  # a second `make run`
    (row,) = queued()
    run_after = row.run_after.astimezone(SHANGHAI)
    assert (run_after.hour, run_after.minute) == (8, 0)
    assert run_after > datetime.datetime.now(SHANGHAI)
    out = capsys.readouterr().out
    assert "已安排每日提醒" in out and "已在后台任务队列中" in out


def test_a_run_queues_the_next_one(database_queue):
    # The worker runs the task; while it runs, its own row is no longer waiting.
    reminders.send_reminders_task.call()
    assert queued().count() == 1


def test_without_a_queue_that_can_wait_nothing_is_scheduled(capsys):
    # The test suite's immediate backend (like RQ here) leaves scheduling to cron.
    assert reminders.schedule() is None
    assert not DBTaskResult.objects.exists()
