"""`python manage.py send_reminders [--dry-run] [--today YYYY-MM-DD] [--enqueue] [--schedule]`:
the reminders of
`projects.reminders`, for cron or a systemd timer. Safe to run as often as wanted: what was sent
is not sent again, and a run after a pause catches up once."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from projects import reminders
from zhaoshang.notify.kinds import KINDS


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = "发送月报到期、月报逾期、帮办逾期和督办逾期提醒（可重复运行，不会重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒")
        parser.add_argument("--today", type=_day, help="按该日期计算（测试用），YYYY-MM-DD")
        parser.add_argument(
            "--enqueue", action="store_true", help="交给后台任务执行（db_worker / RQ）"
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="在后台任务队列中安排每日提醒（已安排则不重复安排；make run 使用）",
        )

    def handle(self, *args, dry_run=False, today=None, enqueue=False, schedule=False, **options):
        if schedule:
            when = reminders.schedule()
            if when is None:
                self.stdout.write("每日提醒已在后台任务队列中（或当前队列不支持定时，请用 cron）。")
            else:
                self.stdout.write(f"已安排每日提醒：{when:%Y-%m-%d %H:%M} 起每天一次。")
            return
        if enqueue:
            if dry_run or today:
                raise CommandError("--enqueue 不能与 --dry-run 或 --today 同用。")
            result = reminders.send_reminders_task.enqueue()
            self.stdout.write(f"已加入后台任务队列：{result.id}")
            return
        today = today or timezone.localdate()
        if dry_run:
            pending = reminders.unsent(reminders.due_messages(today))
            for message in pending:
                self.stdout.write(f"[{KINDS[message.kind]}] {message.title}  ({message.key})")
            self.stdout.write(f"将发送 {len(pending)} 条提醒（{today:%Y-%m-%d}，未实际发送）。")
            return
        created = reminders.send(today)
        self.stdout.write(f"已发送 {created} 条通知（{today:%Y-%m-%d}）。")
