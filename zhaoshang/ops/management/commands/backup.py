"""`manage.py backup [--output DIR]`: database + evidence files + manifest in one archive."""

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.ops.archive import BackupError
from zhaoshang.ops.backup import create_backup
from zhaoshang.ops.cleanup import sweep_stale


class Command(BaseCommand):
    help = "备份数据库和佐证材料（含校验清单），生成 .tar.gz 备份文件"

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="备份文件存放目录（默认 backups/）")
        parser.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args, **options):
        # The nightly backup also removes what an earlier, killed backup left behind.
        for path in sweep_stale():
            self.stdout.write(f"已清理遗留的临时文件：{path}")
        try:
            archive = create_backup(options["output"], alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{archive}"))
