from django.core.management.base import BaseCommand

from zhaoshang.ops.demo.city import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "列出演示账号"

    def handle(self, *args, **options):
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, label in demo_logins():
            self.stdout.write(f"  {username:<12} {label}")
        self.stdout.write("")
