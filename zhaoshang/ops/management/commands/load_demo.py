"""Build the demo city. Idempotent: running it twice changes nothing the second time.

Each module of `zhaoshang.ops.demo` has `load(stdout)`; they run in dependency order.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = [
    "zhaoshang.ops.demo.city",
    "zhaoshang.ops.demo.projects",
    "zhaoshang.ops.demo.claims",
    "zhaoshang.ops.demo.assessment",
]


class Command(BaseCommand):
    help = "载入演示数据（约 40 个单位、5 个协作组、各角色演示账号）"

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            module = import_module(name)
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
