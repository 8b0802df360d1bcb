"""`manage.py restore ARCHIVE [--yes]`: replace database and evidence files, then verify."""

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.ops.archive import BackupError
from zhaoshang.ops.restore import read_manifest, restore_backup


class Command(BaseCommand):
    help = "从备份文件恢复数据库和佐证材料，并按清单逐表、逐文件核对"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 命令生成的 .tar.gz 文件")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
        parser.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args, **options):
        archive = options["archive"]
        try:
            if not options["yes"]:
                manifest = read_manifest(archive)
                rows = sum(entry["rows"] for entry in manifest["tables"].values())
                self.stdout.write(
                    f"备份时间 {manifest['created']}，{len(manifest['tables'])} 张数据表、"
                    f"{rows} 行，{len(manifest['files']) - 1} 个佐证文件。"
                )
                self.stdout.write("恢复将覆盖当前数据库的全部数据。")
                try:
                    answer = input("确认恢复请输入 yes：")
                except EOFError:
                    answer = ""
                if answer.strip().lower() != "yes":
                    raise CommandError("已取消，未做任何改动。")
            result = restore_backup(archive, alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成并已核对：{result.tables} 张数据表、{result.rows} 行，"
                f"{result.files} 个佐证文件。"
            )
        )
        if result.extra_files:
            self.stdout.write(
                self.style.WARNING(
                    f"佐证材料目录中另有 {len(result.extra_files)} 个备份中没有的文件，"
                    "已保留，未删除。"
                )
            )
