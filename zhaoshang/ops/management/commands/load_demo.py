"""Build the demo city — only into an empty database (issue 15 path 9, `zhaoshang.ops.demo.marker`).

Each module of `zhaoshang.ops.demo` has `load(stdout)`; they run in dependency order, in one
transaction with the mark of a demo database, so a failed load leaves the database empty. A re-run
on the demo database changes nothing; a database holding other data is refused with exit status
`REFUSED` (3), which `make run` takes as "serve this database as it is".
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from zhaoshang.ops.demo import marker

DEMO_MODULES = [
    "zhaoshang.ops.demo.city",
    "zhaoshang.ops.demo.projects",
    "zhaoshang.ops.demo.claims",
    "zhaoshang.ops.demo.assessment",
    "zhaoshang.ops.demo.hierarchy",
]
REFUSED = 3


class Command(BaseCommand):
    help = "载入演示数据（约 40 个单位、5 个协作组、各角色演示账号）；只载入空数据库"

    def handle(self, *args, **options):
        kind = marker.state()
        if kind == marker.OTHER:
            self.stderr.write(self.style.ERROR(marker.refusal()))
            raise SystemExit(REFUSED)
        if kind == marker.DEMO:
            self.stdout.write(
                f"演示数据已于 {marker.loaded_on()} 载入，本次未改动任何记录。{marker.status()}"
            )
            return
        with transaction.atomic():
            for name in DEMO_MODULES:
                import_module(name).load(self.stdout)
            marker.mark()
        self.stdout.write(marker.status())
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
