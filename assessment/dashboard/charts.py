"""Chart data of the leaders' dashboard (领导看板), from engine results and a few aggregates.

Everything here is plain data for `json_script`: amounts and percentages are Decimals written as
strings (never floats), so the figures in a chart are the figures in the table under it.

What a user sees follows `units.access` and SPEC §1: reviewers, leaders and admins see the latest
computation (a stored snapshot, or a live one when a quarter has none); every other user sees only
announced (published) snapshots and, for projects and alerts, only what `visible_to` gives.
The number of queries does not depend on the number of units or projects.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessment.engine import (
    HUNDRED,
    STATUS_BELOW_HALF,
    STATUS_DONE,
    STATUS_HALF,
    STATUS_ZERO,
    compute,
    round2,
)
from assessment.models import AssessmentYear, Snapshot
from assessment.serialize import result_from_dict
from projects.models import ClaimStatus, FundsEntry, Milestone, MilestoneKind, Project, Stage
from units import access

ZERO = Decimal(0)
ECHELON_NAMES = {1: "第一方阵", 2: "第二方阵", 3: "第三方阵"}
STATUSES = [STATUS_DONE, STATUS_HALF, STATUS_BELOW_HALF, STATUS_ZERO]
APPROVED = ClaimStatus.APPROVED


def sees_drafts(user):
    """Reviewers, leaders and admins see computations before they are published."""
    return access.sees_everything(user)


def num(value):
    """A Decimal as a JSON-safe string with two places ('12.50'); None stays None."""
    if value is None:
        return None
    return str(round2(Decimal(value)))


def ratio_pct(part, whole):
    """100 × part / whole, two places, or None when whole is 0."""
    if not whole:
        return None
    return round2(HUNDRED * Decimal(part) / Decimal(whole))


def safe_url(name, *args, query=""):
    """reverse() that gives None instead of failing when another app has not shipped the URL."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


def current_quarter(today=None):
    today = today or timezone.localdate()
    return (today.month - 1) // 3 + 1


def default_period(user):
    """(year, quarter) of the newest quarter the user may see, else today's quarter."""
    qs = Snapshot.objects.all()
    if not sees_drafts(user):
        qs = qs.filter(published_at__isnull=False)
    newest = qs.order_by("-year__year", "-quarter").values_list("year__year", "quarter").first()
    if newest:
        return newest
    today = timezone.localdate()
    return today.year, current_quarter(today)


# --- results per quarter --------------------------------------------------------------------


def visible_snapshots(user, years):
    """{(year, quarter): Snapshot} — the newest version the user may see, in two queries."""
    qs = Snapshot.objects.filter(year__year__in=years)
    if not sees_drafts(user):
        qs = qs.filter(published_at__isnull=False)
    newest = {}
    for pk, year, quarter in qs.order_by("-version").values_list("pk", "year__year", "quarter"):
        newest.setdefault((year, quarter), pk)
    if not newest:
        return {}
    rows = Snapshot.objects.filter(pk__in=newest.values()).select_related("year")
    return {(s.year.year, s.quarter): s for s in rows}


def last_quarter_of(year, today=None):
    """The latest quarter of `year` that has begun (4 for past years, 0 for future ones)."""
    today = today or timezone.localdate()
    if year < today.year:
        return 4
    if year > today.year:
        return 0
    return current_quarter(today)


def quarter_results(user, year, quarter, today=None):
    """{(y, q): AssessmentResult} for every quarter of `year` and `year - 1` up to `quarter` of
    `year`, as the user may see them; plus {(y, q): Snapshot or None} for the shown one.

    Leaders and reviewers get a live computation where no snapshot exists (without escalation,
    except for the quarter on show); other users get announced snapshots only.
    """
    snaps = visible_snapshots(user, [year - 1, year])
    years = {ay.year: ay for ay in AssessmentYear.objects.filter(year__in=[year - 1, year])}
    wanted = [(year - 1, q) for q in range(1, last_quarter_of(year - 1, today) + 1)]
    wanted += [(year, q) for q in range(1, quarter + 1)]
    results = {}
    for key in wanted:
        snapshot = snaps.get(key)
        if snapshot is not None:
            results[key] = result_from_dict(snapshot.data)
        elif sees_drafts(user) and key[0] in years:
            results[key] = compute(years[key[0]], key[1], with_escalation=key == (year, quarter))
    return results, snaps.get((year, quarter))


# --- what the charts show -------------------------------------------------------------------


def totals(result, unit_ids=None):
    """Per indicator the sum of actuals and targets (all units, or only `unit_ids`), completion
    against the quarter's time progress, and R over indicators with a target."""
    units = [u for u in result.units if unit_ids is None or u.id in unit_ids]
    rows = []
    weighted, weights = ZERO, ZERO
    for spec in result.indicators:
        actual = sum((u.indicators[spec.code].actual for u in units), ZERO)
        target = sum((u.indicators[spec.code].target or ZERO for u in units), ZERO)
        pct = ratio_pct(actual, target)
        if target > 0:
            weighted += spec.weight * min(actual / target, Decimal(1))
            weights += spec.weight
        rows.append(
            {
                "code": spec.code,
                "name": spec.name,
                "display_unit": spec.display_unit,
                "actual": actual,
                "target": target,
                "pct": pct,
                "on_schedule": pct is not None and pct >= result.expected_progress,
            }
        )
    overall = round2(HUNDRED * weighted / weights) if weights else None
    return rows, overall


def totals_chart(rows, expected_progress):
    rows = [r for r in rows if r["pct"] is not None]  # indicators without a target are not shown
    return {
        "type": "bar",
        "unit": "%",
        "categories": [r["name"] for r in rows],
        "series": [{"name": "完成率", "data": [num(r["pct"]) for r in rows]}],
        "markLine": num(expected_progress),
        "markLineName": "序时进度",
    }


def rank_changes(current, previous, kind="units"):
    """{id: places gained (+) or lost (−)} between two results; {} without a previous one."""
    if previous is None:
        return {}
    before = {e.id: e.rank for e in getattr(previous, kind) if e.ranked}
    return {
        e.id: before[e.id] - e.rank for e in getattr(current, kind) if e.ranked and e.id in before
    }


def ranking_rows(entities, changes, link=None):
    """Ranked entities as rows; `link(entity)` gives the URL of a unit's explanation (or None)."""
    rows = []
    for e in entities:
        if not e.ranked:
            continue
        rows.append(
            {
                "id": e.id,
                "name": e.name,
                "group_name": e.group_name,
                "rank": e.rank,
                "score": e.score,
                "overall": e.overall,
                "echelon": e.echelon,
                "echelon_name": ECHELON_NAMES[e.echelon],
                "status": e.status,
                "change": changes.get(e.id),
                "url": link(e) if link else None,
            }
        )
    return rows


def ranking_chart(rows):
    """Scores as bars, coloured by echelon (第一/第二/第三方阵), best first."""
    return {
        "type": "hbar",
        "unit": "分",
        "categories": [r["name"] for r in rows],
        "series": [{"name": "得分", "data": [num(r["score"]) for r in rows]}],
        "echelons": [r["echelon"] for r in rows],
        "changes": [r["change"] for r in rows],
    }


def distribution(result):
    """Ranked units per status: 完成任务 / 过半 / 不足50% / 零进度."""
    counts = Counter(u.status for u in result.units if u.ranked)
    return [{"name": s, "count": counts.get(s, 0)} for s in STATUSES]


def distribution_chart(rows):
    return {
        "type": "pie",
        "unit": "个",
        "data": [{"name": r["name"], "value": r["count"]} for r in rows],
    }


def trend(results, year, unit_id=None):
    """Per quarter, this year and last: the city's overall completion R (leaders) or the unit's
    score (`unit_id`). Quarters without a visible result are None (a gap in the line)."""
    rows = []
    for q in (1, 2, 3, 4):
        row = {"quarter": q}
        for label, y in (("this", year), ("last", year - 1)):
            result = results.get((y, q))
            value = None
            if result is not None and unit_id is None:
                value = totals(result)[1]
            elif result is not None:
                entity = next((u for u in result.units if u.id == unit_id), None)
                value = entity.score if entity is not None else None
            row[label] = value
        rows.append(row)
    return rows


def trend_chart(rows, year, unit_id=None):
    what = "得分" if unit_id else "总体完成率"
    return {
        "type": "line",
        "unit": "分" if unit_id else "%",
        "categories": [f"第{r['quarter']}季度" for r in rows],
        "series": [
            {"name": f"{year}年{what}", "data": [num(r["this"]) for r in rows]},
            {"name": f"{year - 1}年{what}", "data": [num(r["last"]) for r in rows]},
        ],
    }


def _exists_milestone(kind):
    return Exists(Milestone.objects.filter(project=OuterRef("pk"), kind=kind, status=APPROVED))


def funnel(projects, year):
    """The pipeline 洽谈 → 签约 → 开工 → 竣工 of `year`, as a cohort: projects whose approved
    signing falls in the year, how many of them have (so far) an approved start and completion;
    洽谈 adds the projects still negotiating. 资金到位率 = approved funds in place of the cohort
    (any date) / the cohort's contracted investment. Two queries."""
    signed_in_year = Milestone.objects.filter(
        project=OuterRef("pk"), kind=MilestoneKind.SIGNED, status=APPROVED, date__year=year
    )
    cohort = Q(in_cohort=True)
    figures = (
        projects.order_by()
        .annotate(
            in_cohort=Exists(signed_in_year),
            has_start=_exists_milestone(MilestoneKind.STARTED),
            has_done=_exists_milestone(MilestoneKind.COMPLETED),
        )
        .aggregate(
            negotiating=Count("pk", filter=Q(stage=Stage.NEGOTIATING) & ~cohort),
            signed=Count("pk", filter=cohort),
            started=Count("pk", filter=cohort & Q(has_start=True)),
            completed=Count("pk", filter=cohort & Q(has_done=True)),
            contracted=Sum("contracted_investment", filter=cohort),
        )
    )
    funds = (
        FundsEntry.objects.filter(
            status=APPROVED,
            project__in=projects.filter(Exists(signed_in_year)).values("pk"),
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    contracted = figures["contracted"] or ZERO
    talks = figures["negotiating"] + figures["signed"]
    stages = [
        {"name": "洽谈", "count": talks, "rate": None},
        {"name": "签约", "count": figures["signed"], "rate": ratio_pct(figures["signed"], talks)},
        {
            "name": "开工",
            "count": figures["started"],
            "rate": ratio_pct(figures["started"], figures["signed"]),
        },
        {
            "name": "竣工",
            "count": figures["completed"],
            "rate": ratio_pct(figures["completed"], figures["started"]),
        },
    ]
    return {
        "stages": stages,
        "start_rate": stages[2]["rate"],  # 签约项目开工率 (the seeds ask for ≥ 50 %)
        "contracted": contracted,
        "funds": funds,
        "funds_rate": ratio_pct(funds, contracted),  # 资金到位率
    }


def funnel_chart(data):
    return {
        "type": "funnel",
        "unit": "个",
        "data": [{"name": s["name"], "value": s["count"]} for s in data["stages"]],
        "rates": [num(s["rate"]) for s in data["stages"]],
    }


def alert_counts(user, today=None):
    """[{kind, label, count, url}] of the alerts the user may see, linking to their lists."""
    try:
        from projects import alerts as rules
    except ImportError:  # the projects app has not shipped alerts
        return []
    today = today or timezone.localdate()
    counts = rules.scoped_alert_counts(user, today)
    rows = []
    for kind, label in rules.KIND_LABELS.items():
        if kind == getattr(rules, "ASSISTANCE_OVERDUE", None):
            url = safe_url("projects:assistance_overdue") or safe_url(
                "projects:alert_list", query=f"kind={kind}"
            )
        else:
            url = safe_url("projects:alert_list", query=f"kind={kind}")
        rows.append({"kind": kind, "label": label, "count": counts.get(kind, 0), "url": url})
    return rows


def movers(rows, limit=5):
    """Units that moved most since last quarter: (risers, fallers)."""
    moved = [r for r in rows if r["change"]]
    up = sorted((r for r in moved if r["change"] > 0), key=lambda r: -r["change"])[:limit]
    down = sorted((r for r in moved if r["change"] < 0), key=lambda r: r["change"])[:limit]
    return up, down


def unit_focus(user):
    """The unit whose own details a unit user sees (None for city-wide roles)."""
    if access.sees_everything(user) or not user.unit_id:
        return None
    return user.unit_id


def today_date():
    return timezone.localdate()


def year_choices(today=None):
    today = today or timezone.localdate()
    years = list(AssessmentYear.objects.order_by("-year").values_list("year", flat=True))
    return years or [today.year]


def clamp_period(year, quarter, today=None):
    """A quarter of `year` that has begun (quarters beyond today are pulled back)."""
    today = today or timezone.localdate()
    last = last_quarter_of(year, today)
    if last == 0:
        return year, 1
    return year, max(1, min(quarter, last))


def build(user, year, quarter, today=None):
    """Everything the dashboard page shows for `user` at (year, quarter), as plain data."""
    today = today or timezone.localdate()
    results, snapshot = quarter_results(user, year, quarter, today)
    result = results.get((year, quarter))
    focus = unit_focus(user)
    data = {
        "result": result,
        "snapshot": snapshot,
        "live": result is not None and snapshot is None,
        "focus_unit_id": focus,
        "funnel": funnel(Project.objects.visible_to(user), year),
        "alerts": alert_counts(user, today),
        "charts": {},
    }
    data["charts"]["funnel"] = funnel_chart(data["funnel"])
    trend_rows = trend(results, year, focus)
    data["trend"] = trend_rows
    data["charts"]["trend"] = trend_chart(trend_rows, year, focus)
    if result is None:
        return data
    previous = results.get((year, quarter - 1)) if quarter > 1 else None
    rows, overall = totals(result, {focus} if focus else None)
    data["totals"], data["overall"] = rows, overall
    data["charts"]["totals"] = totals_chart(rows, result.expected_progress)

    def explanation(entity):
        # A unit user may open only its own unit's explanation (others are 404 there).
        if focus and entity.id != focus:
            return None
        return safe_url("assessment:unit_assessment", year, quarter, entity.id)

    data["units"] = ranking_rows(result.units, rank_changes(result, previous, "units"), explanation)
    data["groups"] = ranking_rows(result.groups, rank_changes(result, previous, "groups"))
    data["charts"]["units"] = ranking_chart(data["units"])
    data["charts"]["groups"] = ranking_chart(data["groups"])
    data["distribution"] = distribution(result)
    data["charts"]["distribution"] = distribution_chart(data["distribution"])
    data["risers"], data["fallers"] = movers(data["units"])
    if focus:
        data["own"] = next((u for u in data["units"] if u["id"] == focus), None)
    return data
