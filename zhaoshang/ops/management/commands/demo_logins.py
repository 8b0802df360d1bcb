from django.core.management.base import BaseCommand

from zhaoshang.ops.demo import marker
from zhaoshang.ops.demo.city import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "列出演示账号（只在演示数据库上）"

    def handle(self, *args, **options):
        if marker.state() != marker.DEMO:
            # A real database has no demo accounts; listing them would mislead.
            self.stdout.write("\n当前数据库不是演示数据库，没有演示账号。\n")
            return
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, label in demo_logins():
            self.stdout.write(f"  {username:<12} {label}")
        self.stdout.write("")
