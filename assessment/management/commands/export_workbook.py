"""python manage.py export_workbook YEAR FILE — SPEC §6: one workbook moves a whole year out (and,
through import_workbook, back in)."""

from django.core.management.base import BaseCommand, CommandError

from assessment.models import AssessmentYear
from assessment.workbooks.year_export import export_year_workbook


class Command(BaseCommand):
    help = "导出一个年度的数据为导入格式的 Excel 工作簿（.xlsx），可再用 import_workbook 导入。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="考核年度，如 2026")
        parser.add_argument("file", help="要写入的 Excel 工作簿（.xlsx）路径")

    def handle(self, *args, **options):
        year = options["year"]
        if not AssessmentYear.objects.filter(year=year).exists():
            known = "、".join(str(y) for y in AssessmentYear.objects.values_list("year", flat=True))
            hint = f"现有年度：{known}。" if known else "系统中还没有任何考核年度。"
            raise CommandError(f"没有 {year} 年度的考核，未导出任何数据。{hint}")
        try:
            with open(options["file"], "wb") as fileobj:
                export_year_workbook(year, fileobj)
        except OSError as exc:
            raise CommandError(f"无法写入文件：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已导出 {year} 年度数据：{options['file']}"))
