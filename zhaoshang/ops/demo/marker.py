"""Whose database is this? The demo loader touches only its own records (issue 15 path 9).

`load_demo` used to run over whatever database it found: on one holding real data it rewrote
units, added workflow events to real claims and reported a published quarter as 已测算（未发布）.
Now a database is one of three kinds:

- empty (no row in the units, projects and assessment tables): the demo city is loaded, and the
  same transaction writes `DemoDatabase`, the mark that every record here began as the demo's;
- marked: the demo was loaded before. A re-run changes nothing — not even records the demo owns
  that users have since changed (a demo user's edits, a quarter published by hand), and no
  ClaimEvent is ever touched (append-only, `zhaoshang.append_only`);
- anything else holds somebody's data: refused, with `refusal()` saying so in Chinese.

`status()` reads what the database holds now, so it says 已发布 of every published quarter.
"""

from django.apps import apps
from django.utils import timezone

from assessment.models import Snapshot, SnapshotStatus
from projects.models import Project, ProjectSettings
from units.models import Unit
from zhaoshang.ops.models import DemoDatabase

OWNED_APPS = ("units", "projects", "assessment")
# The city-wide thresholds row any page may create on first read; it names nobody's data.
NOT_DATA = {ProjectSettings}
EMPTY, DEMO, OTHER = "empty", "demo", "other"


def _data_models():
    for label in OWNED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and model not in NOT_DATA:
                yield model


def state():
    """EMPTY, DEMO (marked by an earlier load) or OTHER (data the demo did not write)."""
    if DemoDatabase.objects.exists():
        return DEMO
    if any(model._default_manager.exists() for model in _data_models()):
        return OTHER
    return EMPTY


def mark():
    DemoDatabase.objects.create()


def loaded_on():
    """The day the demo was loaded into this database (None if it was not)."""
    first = DemoDatabase.objects.order_by("pk").first()
    return timezone.localdate(first.loaded_at) if first else None


def found():
    """What the database holds, for the refusal: "单位 3 条、用户 2 条…" (history tables aside)."""
    parts = []
    for model in _data_models():
        if model._meta.auto_created or model.__name__.startswith("Historical"):
            continue
        count = model._default_manager.count()
        if count:
            parts.append(f"{model._meta.verbose_name} {count} 条")
    return "、".join(parts[:6]) + ("等" if len(parts) > 6 else "")


def refusal():
    return (
        f"未载入演示数据：当前数据库已有不是由演示数据载入的数据（{found()}）。"
        "为保护这些数据，没有新增、修改或删除任何记录。"
        "如需演示城市，请使用一个空数据库（设置 SQLITE_PATH 或 DATABASE_URL 指向新的数据库；"
        "若这是旧版本载入的演示库，可删除 db.sqlite3 后重新运行 make run）。"
    )


def _quarters(numbers):
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"第 {numbers[0]}–{numbers[-1]} 季度"
    return "第 " + "、".join(str(n) for n in numbers) + " 季度"


def assessment_status():
    """ "2025 年第 1–4 季度已发布；2026 年第 1–3 季度已测算（未发布）", from each quarter's newest
    version as it stands now."""
    latest = {}
    rows = Snapshot.objects.order_by("year__year", "quarter", "-version").values_list(
        "year__year", "quarter", "status"
    )
    for year, quarter, status in rows:
        latest.setdefault((year, quarter), status)
    parts = []
    for year in sorted({year for year, _quarter in latest}):
        by_status = {}
        for (y, quarter), status in sorted(latest.items()):
            if y == year:
                by_status.setdefault(status, []).append(quarter)
        for status, quarters in by_status.items():
            parts.append(f"{year} 年{_quarters(quarters)}{SnapshotStatus(status).label}")
    return "；".join(parts) if parts else "尚无测算的季度"


def status():
    """One line on what the demo database holds now."""
    return (
        f"单位 {Unit.objects.count()} 个，项目 {Project.objects.count()} 个；"
        f"考核：{assessment_status()}。"
    )
