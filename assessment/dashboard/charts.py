"""Chart data of the leaders' dashboard (领导看板), from engine results and a few aggregates.

Everything here is plain data for `json_script`: amounts and percentages are Decimals written as
strings (never floats), so the figures in a chart are the figures in the table under it.

Which result a user sees is decided by `assessment.visibility` (SPEC §1): reviewers, leaders and
admins see the latest computation (a stored snapshot, or a live one when a quarter has none);
every other user sees only announced (published) snapshots. Projects and alerts follow
`Project.objects.visible_to` and the alert rules (`assessment.dashboard.pipeline`). The number of
queries does not depend on the number of units or projects.
"""

from collections import Counter
from functools import partial

from django.urls import reverse
from django.utils import timezone

from assessment import visibility
from assessment.dashboard.numbers import num
from assessment.dashboard.pipeline import alert_counts, funnel, funnel_chart
from assessment.engine import (
    STATUS_BELOW_HALF,
    STATUS_DONE,
    STATUS_HALF,
    STATUS_ZERO,
    compute_cached,
)
from assessment.formatting import quarter_name
from assessment.models import AssessmentYear, quarter_of
from assessment.results import echelon_name
from assessment.totals import indicator_totals, overall_completion
from projects.models import Project
from units import access

STATUSES = [STATUS_DONE, STATUS_HALF, STATUS_BELOW_HALF, STATUS_ZERO]


# --- results per quarter --------------------------------------------------------------------


def last_quarter_of(year, today=None):
    """The latest quarter of `year` that has begun (4 for past years, 0 for future ones)."""
    today = today or timezone.localdate()
    if year < today.year:
        return 4
    if year > today.year:
        return 0
    return quarter_of(today)


def quarter_results(user, year, quarter, today=None):
    """{(y, q): AssessmentResult} for every quarter of `year` and `year - 1` up to `quarter` of
    `year`, as the user may see them; plus {(y, q): Snapshot or None} for the shown one.

    Leaders and reviewers get a live computation where no snapshot exists (without escalation,
    except for the quarter on show); other users get announced snapshots only.
    """
    snaps = visibility.visible_snapshots(user, [year - 1, year])
    years = {ay.year: ay for ay in AssessmentYear.objects.filter(year__in=[year - 1, year])}
    wanted = [(year - 1, q) for q in range(1, last_quarter_of(year - 1, today) + 1)]
    wanted += [(year, q) for q in range(1, quarter + 1)]
    results = {}
    for key in wanted:
        live = None
        if key[0] in years:
            live = partial(
                compute_cached, years[key[0]], key[1], with_escalation=key == (year, quarter)
            )
        shown = visibility.shown_for(user, snaps.get(key), live)
        if shown.result is not None:
            results[key] = shown.result
    return results, snaps.get((year, quarter))


# --- what the charts show -------------------------------------------------------------------


def totals_chart(rows, expected_progress):
    """Completion per indicator of `indicator_totals` rows against the time progress."""
    rows = [r for r in rows if r.pct is not None]  # indicators without a target are not shown
    return {
        "type": "bar",
        "unit": "%",
        "categories": [r.name for r in rows],
        "series": [{"name": "完成率", "data": [num(r.pct) for r in rows]}],
        "markLine": num(expected_progress),
        "markLineName": "序时进度",
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
                "echelon_name": echelon_name(e.echelon),
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
                value = overall_completion(indicator_totals(result))
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
        "categories": [f"{quarter_name(r['quarter'])}" for r in rows],
        "series": [
            {"name": f"{year}年{what}", "data": [num(r["this"]) for r in rows]},
            {"name": f"{year - 1}年{what}", "data": [num(r["last"]) for r in rows]},
        ],
    }


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
    rows = indicator_totals(result, [u for u in result.units if u.id == focus] if focus else None)
    data["totals"], data["overall"] = rows, overall_completion(rows)
    data["charts"]["totals"] = totals_chart(rows, result.expected_progress)

    def explanation(entity):
        # A unit user may open only its own unit's explanation (others are 404 there).
        if focus and entity.id != focus:
            return None
        return reverse("assessment:unit_assessment", args=[year, quarter, entity.id])

    before = visibility.ranks_of(previous)
    data["units"] = ranking_rows(
        result.units, visibility.rank_changes(result.units, before), explanation
    )
    data["groups"] = ranking_rows(result.groups, visibility.rank_changes(result.groups, before))
    data["charts"]["units"] = ranking_chart(data["units"])
    data["charts"]["groups"] = ranking_chart(data["groups"])
    data["distribution"] = distribution(result)
    data["charts"]["distribution"] = distribution_chart(data["distribution"])
    data["risers"], data["fallers"] = movers(data["units"])
    if focus:
        data["own"] = next((u for u in data["units"] if u["id"] == focus), None)
    return data
