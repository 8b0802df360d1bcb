"""python manage.py bench [--scale S|M|L …] — the performance benchmark (`make bench`).

Generates synthetic data into scratch databases (never the developer's), measures the engine
against its bounds, the ranking, dashboard and list pages, the .xlsx export and the workbook
import, prints PASS/FAIL per goal and writes docs/benchmarks.md. See zhaoshang/bench/.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand

from zhaoshang.ops.bench import orchestrate, render, report
from zhaoshang.ops.bench.exports import probe
from zhaoshang.ops.bench.runner import reviewer_user, run


class Command(BaseCommand):
    help = (
        "性能基准：生成 S/M/L 规模模拟数据，测量考核计算、页面、导出和导入，写入 docs/benchmarks.md"
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            action="append",
            choices=["XS", "S", "M", "L"],
            help="规模，可重复；默认 S 和 M（L 须显式指定；XS 仅用于自检）",
        )
        parser.add_argument("--runs", type=int, default=5, help="每项计时次数（取中位数）")
        parser.add_argument(
            "--import-projects",
            type=int,
            default=None,
            help="导入测试工作簿的项目数（每个项目 10 行月度投资；0 表示跳过）；"
            "默认与所测规模相同（XS、S、M），L 规模默认跳过",
        )
        parser.add_argument(
            "--sqlite-only", action="store_true", help="即使设置了 DATABASE_URL 也只测 SQLite"
        )
        parser.add_argument(
            "--report-only",
            action="store_true",
            help="不重新测量，用 bench/ 中上次保存的结果重新生成报告",
        )
        parser.add_argument("--keep", action="store_true", help="保留临时数据库")
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md")
        )
        parser.add_argument("--no-write", action="store_true", help="不写 docs/benchmarks.md")
        # Internal: the worker and memory-probe processes.
        parser.add_argument("--worker", action="store_true", help="(internal)")
        parser.add_argument("--json", help="(internal)")
        parser.add_argument("--probe", choices=["ours", "tablib"], help="(internal)")

    def handle(self, *args, **options):
        if options["probe"]:
            probe(options["probe"], reviewer_user())
            return
        scales = options["scale"] or ["S", "M"]
        if options["worker"]:
            result = run(scales[0], options["runs"], options["import_projects"])
            with open(options["json"], "w") as f:
                json.dump(result, f, default=str, ensure_ascii=False)
            return
        order = [s for s in ("XS", "S", "M", "L") if s in scales]
        if options["report_only"]:
            results = orchestrate.load_saved(order)
        else:
            results = orchestrate.run_all(order, options, write=self.stdout.write)
        goals = report.evaluate(results)
        self.stdout.write(render.console(results, goals))
        if not options["no_write"]:
            command = "make bench" + (
                f" BENCH_ARGS='{' '.join(sys.argv[2:])}'" if sys.argv[2:] else ""
            )
            if "postgresql" in results:
                # Name the database, never the credentials.
                name = urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")
                command = f"DATABASE_URL=postgres://…/{name} {command}"
            render.write_markdown(Path(options["output"]), results, goals, command)
            self.stdout.write(f"已写入 {options['output']}")
