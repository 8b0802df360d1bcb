"""`python manage.py scan_duplicates` — look for double counts and fraud signals (SPEC §3)."""

from django.core.management.base import BaseCommand

from projects.review import duplicates


class Command(BaseCommand):
    help = "扫描重复申报与异常（同一投资方、名称相似、重复签约、同一佐证材料、分成超过100%）"

    def handle(self, *args, **options):
        result = duplicates.scan()
        self.stdout.write(result.summary)
