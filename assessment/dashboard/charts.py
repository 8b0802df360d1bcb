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

from django.urls import reverse
from django.utils import timezone

from assessment import visibility
from assessment.dashboard.numbers import num
from assessment.dashboard.pipeline import alert_counts, funnel_chart, visible_funnel
from assessment.dashboard.quarters import last_quarter_of, quarter_figures
from assessment.engine import STATUS_BELOW_HALF, STATUS_DONE, STATUS_HALF, STATUS_ZERO
from assessment.formatting import quarter_name
from assessment.results import echelon_name
from units import access

STATUSES = [STATUS_DONE, STATUS_HALF, STATUS_BELOW_HALF, STATUS_ZERO]


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


# A ranking table under its chart lists the first and the last ten (issue 21: a city's 500 units
# were 260 KB of the page's 333 KB); the chart keeps every unit, the ranking page every row.
TABLE_HEAD = 10
TABLE_TAIL = 10
TABLE_SLACK = 5  # up to HEAD + TAIL + SLACK rows a table lists them all


def table_rows(rows, focus=None, head=TABLE_HEAD, tail=TABLE_TAIL):
    """The rows a ranking table lists: every row of a short ranking; of a longer one the first
    `head`, the last `tail` and the row of unit `focus` (a unit user's own), with
    {"skipped": n} where n rows are left out."""
    if len(rows) <= head + tail + TABLE_SLACK:
        return rows
    out, skipped = [], 0
    for n, row in enumerate(rows):
        if n < head or n >= len(rows) - tail or (focus and row["id"] == focus):
            if skipped:
                out.append({"skipped": skipped})
                skipped = 0
            out.append(row)
        else:
            skipped += 1
    return out


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
    score (`unit_id`), of `quarters.QuarterFigures`. Quarters without a visible result are None
    (a gap in the line)."""
    rows = []
    for q in (1, 2, 3, 4):
        row = {"quarter": q}
        for label, y in (("this", year), ("last", year - 1)):
            result = results.get((y, q))
            value = None
            if result is not None and unit_id is None:
                value = result.overall  # the city's: only the quarter on show has a unit's
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
    """Everything the dashboard page shows for `user` at (year, quarter), as plain data.

    `result` is the quarter's `quarters.QuarterFigures` (None when the user sees no result).
    The ranking tables list at most `TABLE_HEAD` + `TABLE_TAIL` rows (`table_rows`); the
    charts and `units` / `groups` keep every ranked entity."""
    today = today or timezone.localdate()
    focus = unit_focus(user)
    results, snapshot = quarter_figures(user, year, quarter, focus, today)
    result = results.get((year, quarter))
    data = {
        "result": result,
        "snapshot": snapshot,
        "live": result is not None and snapshot is None,
        "focus_unit_id": focus,
        "funnel": visible_funnel(user, year),
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
    data["totals"], data["overall"] = result.totals, result.overall
    data["charts"]["totals"] = totals_chart(result.totals, result.expected_progress)
    # A unit user may open only its own unit's explanation (others are 404 there); the URL
    # of unit 0 is the pattern of every unit's (one reverse() instead of 500).
    pattern = reverse("assessment:unit_assessment", args=[year, quarter, 0]).rsplit("0/", 1)

    def explanation(entity):
        if focus and entity.id != focus:
            return None
        return f"{pattern[0]}{entity.id}/{pattern[1]}"

    before = visibility.ranks_of(previous)
    data["units"] = ranking_rows(
        result.units, visibility.rank_changes(result.units, before), explanation
    )
    data["groups"] = ranking_rows(result.groups, visibility.rank_changes(result.groups, before))
    data["unit_table"] = table_rows(data["units"], focus)
    data["group_table"] = table_rows(data["groups"])
    data["ranking_url"] = reverse("assessment:ranking", args=[year, quarter])
    data["table_head"], data["table_tail"] = TABLE_HEAD, TABLE_TAIL
    data["charts"]["units"] = ranking_chart(data["units"])
    data["charts"]["groups"] = ranking_chart(data["groups"])
    data["distribution"] = distribution(result)
    data["charts"]["distribution"] = distribution_chart(data["distribution"])
    data["risers"], data["fallers"] = movers(data["units"])
    if focus:
        data["own"] = next((u for u in data["units"] if u["id"] == focus), None)
    return data
