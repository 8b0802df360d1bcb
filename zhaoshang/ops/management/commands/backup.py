"""`manage.py backup [--output DIR]`: database + evidence files + manifest in one archive."""

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库和佐证材料（含校验清单），生成 .tar.gz 备份文件"

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="备份文件存放目录（默认 backups/）")
        parser.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args, **options):
        try:
            archive = create_backup(options["output"], alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{archive}"))
