"""Export and import measurements.

Export: our streaming exporter (`?_export=xlsx` on the project list, `zhaoshang.web.generic` and
`zhaoshang.web.xlsx`) next to django-tables2's tablib export of the same table and rows. Time is the
median in the worker; peak memory is measured in a fresh probe process (`manage.py bench --probe
ours|tablib`), as the rise of its resident set (VmHWM − VmRSS before the export), so C allocations
(sqlite, zlib, lxml) count too.

Import: `assessment.workbooks.importer.import_workbook` on a generated workbook, run as a dry run
(validated and written inside a transaction that is rolled back) so it can be repeated.
"""

import datetime
import io
import json
import os
import subprocess
import sys

from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import resolve, reverse
from django_tables2.export import TableExport
from openpyxl import Workbook, load_workbook

from assessment.workbooks import contract
from assessment.workbooks.importer import import_workbook
from projects.models import Industry, Project
from units.models import Unit
from zhaoshang.ops.bench.timing import measure

PROBE_MARK = "BENCH-PROBE "


def export_url():
    return reverse("projects:project_list") + "?_export=xlsx"


def ours(client, url=None):
    """Bytes of our .xlsx export of every project, through the view. A list this long is a
    background job on the page (zhaoshang.jobs.exports), which runs this same view and writer:
    the threshold is lifted so the bench times the work itself."""
    with override_settings(EXPORT_JOB_THRESHOLD=sys.maxsize):
        response = client.get(url or export_url())
    if response.status_code != 200:
        raise RuntimeError(f"export HTTP {response.status_code}")
    data = b"".join(response.streaming_content)
    response.close()
    return data


def tablib_bytes(user, url=None):
    """Bytes of django-tables2's TableExport (tablib) of the same table, filters and rows."""
    url = url or export_url()
    request = RequestFactory().get(url)
    request.user = user
    match = resolve(request.path)
    view = match.func.view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    table = view.export_table(view.export_queryset())
    blank = [c.name for c in table.columns if not str(c.header).strip()]
    return TableExport("xlsx", table, exclude_columns=blank).export()


def data_rows(content):
    wb = load_workbook(io.BytesIO(content), read_only=True)
    ws = wb.worksheets[0]
    rows = sum(1 for _ in ws.iter_rows(values_only=True)) - 1
    wb.close()
    return rows


def probe(method, user):
    """In a fresh process: export once and report the rise in resident memory as JSON."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.get(reverse("projects:project_list"))  # warm imports, templates and connection
    before = _status_kb("VmRSS")
    content = ours(client) if method == "ours" else tablib_bytes(user)
    peak = _status_kb("VmHWM")
    print(
        PROBE_MARK
        + json.dumps(
            {
                "baseline_mb": round(before / 1024, 1),
                "peak_mb": round(peak / 1024, 1),
                "delta_mb": round((peak - before) / 1024, 1),
                "bytes": len(content),
            }
        ),
        flush=True,
    )


def _status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _run_probe(method):
    manage = os.path.join(settings.BASE_DIR, "manage.py")
    proc = subprocess.run(
        [sys.executable, manage, "bench", "--probe", method],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(PROBE_MARK):
            return json.loads(line[len(PROBE_MARK) :])
    return {"error": (proc.stderr or proc.stdout)[-500:]}


def measure_export(user, runs, scale_name):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    projects = Project.objects.count()
    out = {"projects": projects}
    ours_t, content = measure(lambda: ours(client), runs, budget_s=60)
    out["ours"] = {**ours_t, "rows": data_rows(content), "bytes": len(content)}
    print(f"  · export (ours) {ours_t['ms']} ms, {out['ours']['rows']} rows", flush=True)
    tab_t, content = measure(lambda: tablib_bytes(user), runs, budget_s=60)
    out["tablib"] = {**tab_t, "rows": data_rows(content), "bytes": len(content)}
    print(f"  · export (tablib) {tab_t['ms']} ms, {out['tablib']['rows']} rows", flush=True)
    out["ours"]["memory"] = _run_probe("ours")
    out["tablib"]["memory"] = _run_probe("tablib")
    out["speedup"] = round(tab_t["ms"] / ours_t["ms"], 2) if ours_t["ms"] else None
    return out


def import_workbook_bytes(projects, monthly_per_project=10):
    """An import workbook (SPEC §6) of `projects` new projects with monthly investment rows."""
    units = list(Unit.objects.order_by("pk").values_list("name", flat=True)[:500])
    industry = Industry.objects.values_list("name", flat=True).first()
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(contract.PROJECTS)
    sheet.append(contract.SHEETS[contract.PROJECTS])
    for n in range(projects):
        sheet.append(
            [
                f"导入基准项目{n:06d}",
                units[n % len(units)],
                f"导入基准投资方{n:06d}有限公司",
                "",
                industry,
                "产业类",
                "新引进",
                20000 + n % 997,
                15000,
                "2026-02-10",
                "2026-04-15",
                "",
            ]
        )
    sheet = wb.create_sheet(contract.INVESTMENTS)
    sheet.append(contract.SHEETS[contract.INVESTMENTS])
    for n in range(projects):
        for m in range(1, monthly_per_project + 1):
            sheet.append([f"导入基准项目{n:06d}", f"2026-{m:02d}", 100 + m])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def measure_import(projects, runs):
    if not projects:
        return {"error": "skipped (--import-projects 0)"}
    content = import_workbook_bytes(projects)
    rows = projects * 11

    def dry_run():
        report = import_workbook(io.BytesIO(content), dry_run=True)
        if not report.ok:
            raise RuntimeError(f"import refused: {report.errors[:3]}")
        return report

    timing, _ = measure(dry_run, runs, budget_s=90)
    print(f"  · import ({rows} rows, dry run) {timing['ms']} ms", flush=True)
    return {
        **timing,
        "projects": projects,
        "rows": rows,
        "rows_per_s": round(rows / (timing["ms"] / 1000)),
        "date": datetime.date.today().isoformat(),
    }
