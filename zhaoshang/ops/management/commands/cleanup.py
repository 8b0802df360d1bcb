"""`manage.py cleanup [--hours N] [--result-days D]`: remove what a killed backup, restore or
upload left, and the files background jobs produced once they are older than JOB_RESULT_DAYS
(zhaoshang.jobs.outputs), and prunes the data-change rows of the data version
(zhaoshang.ops.dataversion). Run it daily from cron."""

from django.core.management.base import BaseCommand

from zhaoshang.jobs.outputs import sweep_outputs
from zhaoshang.ops import dataversion
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
        parser.add_argument(
            "--result-days",
            type=int,
            default=None,
            help=(
                "后台任务生成的文件（排名表、导出）在任务结束这么多天后删除（默认 JOB_RESULT_DAYS）"
            ),
        )

    def handle(self, *args, **options):
        hours = max(options["hours"], 1)
        removed = sweep_stale(hours)
        days = options["result_days"]
        removed += sweep_outputs(None if days is None else max(days, 0))
        for path in removed:
            self.stdout.write(f"已删除：{path}")
        pruned = dataversion.prune()
        self.stdout.write(
            self.style.SUCCESS(
                f"清理完成，共删除 {len(removed)} 项临时文件和过期的任务结果文件，"
                f"{pruned} 条数据变更记录。"
            )
        )
