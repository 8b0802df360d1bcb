"""python manage.py import_workbook FILE [--verified] [--dry-run] [--apply-removals] — SPEC §6.

Prints what the import changes (issue 16): per sheet the counts, then the changed rows cell by
cell (old → new) and what the file no longer has. Removals and clears are listed and applied
only with --apply-removals."""

from django.core.management.base import BaseCommand, CommandError

from assessment.workbooks.changes import text_lines
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
        parser.add_argument(
            "--apply-removals",
            action="store_true",
            help="同时删除文件中已没有的数据（清空的日期、本年度已删去的投资和到位资金行）；"
            "不加此项时只列出，不删除",
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
                fileobj,
                verified=options["verified"],
                dry_run=options["dry_run"],
                apply_removals=options["apply_removals"],
            )
        for n in report.notes:
            self.stdout.write(f"说明：{_where(n)} {n.message}")
        if not report.ok:
            for e in report.errors:
                self.stderr.write(f"{_where(e)} {e.message}")
            raise CommandError(f"共 {len(report.errors)} 处错误，未导入任何数据。")
        for sheet, created, updated, unchanged in report.count_rows():
            self.stdout.write(f"{sheet}：新增 {created}，更新 {updated}，无变化 {unchanged}")
        for sheet, removed in report.removed_rows():
            verb = "已删除或清空" if report.apply_removals else "待删除或清空（未执行）"
            self.stdout.write(f"{sheet}：{verb} {removed}")
        for line in text_lines(report):
            self.stdout.write(line)
        if report.removed_rows() and not report.apply_removals:
            self.stdout.write(
                self.style.WARNING(
                    "文件中已没有的数据只列出、未删除；确认要删除时请加 --apply-removals 重新导入。"
                )
            )
        if report.new_industries:
            self.stdout.write(f"新建产业：{'、'.join(report.new_industries)}")
        if report.dry_run:
            self.stdout.write(self.style.WARNING("试导入：以上为将产生的变化，未保存任何数据。"))
        else:
            self.stdout.write(self.style.SUCCESS("导入完成。"))
