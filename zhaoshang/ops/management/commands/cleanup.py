"""`manage.py cleanup [--hours N]`: remove what a killed backup, restore or upload left."""

from django.core.management.base import BaseCommand

from zhaoshang.ops.cleanup import STALE_AFTER_HOURS, sweep_stale


class Command(BaseCommand):
    help = "清理被中断的备份、恢复和上传遗留的临时文件（只清理本系统临时目录中超过时限的文件）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=STALE_AFTER_HOURS,
            help=f"只清理超过这么多小时未修改的临时文件（默认 {STALE_AFTER_HOURS}）",
        )

    def handle(self, *args, **options):
        hours = max(options["hours"], 1)
        removed = sweep_stale(hours)
        for path in removed:
            self.stdout.write(f"已删除：{path}")
        self.stdout.write(self.style.SUCCESS(f"清理完成，共删除 {len(removed)} 项临时文件。"))
