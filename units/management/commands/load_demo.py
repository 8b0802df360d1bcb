"""Build the demo city. Idempotent: running it twice changes nothing the second time.

Each app contributes a `demo.py` with `load(stdout)`, run in dependency order.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = ["units.demo", "projects.demo", "projects.demo_claims", "assessment.demo"]


class Command(BaseCommand):
    help = "载入演示数据（约 40 个单位、5 个协作组、各角色演示账号）"

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
