"""python manage.py import_workbook FILE [--verified] [--dry-run] — SPEC §6."""

from django.core.management.base import BaseCommand, CommandError

from assessment.workbooks.importer import import_workbook
from zhaoshang.web import xlsx


def _where(entry):
    """工作表 第N行 [列] of an error or a note (a RowError)."""
    where = f"{entry.sheet} 第{entry.row}行" if entry.row else entry.sheet
    return f"{where} [{entry.column}]" if entry.column else where


class Command(BaseCommand):
    help = "导入年度数据工作簿（.xlsx）：先校验整个文件，有任何错误则不保存任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 工作簿（.xlsx）路径")
        parser.add_argument(
            "--verified",
            action="store_true",
            help="导入的申报直接记为“已审定”（迁移往年历史数据）",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只校验并显示将产生的变化，不保存"
        )

    def handle(self, *args, **options):
        try:
            fileobj = open(options["file"], "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f"无法打开文件：{exc}") from exc
        with fileobj:
            try:
                xlsx.check_upload(fileobj)
            except xlsx.WorkbookRejected as exc:
                raise CommandError(exc.message) from exc
            report = import_workbook(
                fileobj, verified=options["verified"], dry_run=options["dry_run"]
            )
        for n in report.notes:
            self.stdout.write(f"说明：{_where(n)} {n.message}")
        if not report.ok:
            for e in report.errors:
                self.stderr.write(f"{_where(e)} {e.message}")
            raise CommandError(f"共 {len(report.errors)} 处错误，未导入任何数据。")
        for sheet, created, updated, unchanged in report.count_rows():
            self.stdout.write(f"{sheet}：新增 {created}，更新 {updated}，无变化 {unchanged}")
        if report.new_industries:
            self.stdout.write(f"新建产业：{'、'.join(report.new_industries)}")
        if report.dry_run:
            self.stdout.write(self.style.WARNING("试导入：以上为将产生的变化，未保存任何数据。"))
        else:
            self.stdout.write(self.style.SUCCESS("导入完成。"))
