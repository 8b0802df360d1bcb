"""The body rows of the ranking table (`templates/assessment/_ranking_table.html`), built in Python.

A city ranks ~500 units and ~50 groups with five indicators each: as template markup that was
17,000 node renders and ~95 % of the page's time (`make bench`, docs/benchmarks.md). Here each row
is one string: every figure goes through the same functions the template filters use (`figure`,
`pct`, `bar_width`, `echelon_name`), and every text that comes from data (names, status,
escalation) is escaped; numbers formatted by those functions contain no markup.
"""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from assessment.formatting import bar_width, figure
from assessment.results import echelon_name
from units.templatetags.zs import pct

ON_SCHEDULE = '<span class="text-success" title="达到序时进度">✓ 序时</span>'
BEHIND = '<span class="text-danger" title="低于序时进度">✗ 滞后</span>'


def _td(body, label, css=""):
    """A cell carrying its column's header as data-label: on a phone the row is a card of
    "列名 值" lines (app.css, issue 22)."""
    attrs = f' class="{css}"' if css else ""
    return f'<td{attrs} data-label="{escape(label)}">{body}</td>'


def _indicator_cell(r, unit, label):
    if r is None or r.completion is None:
        body = '<span class="text-secondary">不考核</span>'
    else:
        width = bar_width(r.completion_pct)
        bar, mark = ("bg-success", ON_SCHEDULE) if r.on_schedule else ("bg-warning", BEHIND)
        body = (
            '<div class="d-flex justify-content-between">'
            f"<span>{figure(r.actual, unit)}</span>"
            f'<span class="text-secondary">/ {figure(r.target, unit)}</span></div>'
            '<div class="progress" style="height: 6px" role="progressbar" aria-label="完成率" '
            f'aria-valuenow="{width}" aria-valuemin="0" aria-valuemax="100">'
            f'<div class="progress-bar {bar}" style="width: {width}%"></div></div>'
            f'<div class="d-flex justify-content-between"><span>{pct(r.completion_pct)}</span>'
            f"{mark}</div>"
        )
    if r is not None and r.pending:
        body += f'<div class="text-secondary">待核实 {figure(r.pending, unit)}</div>'
    return _td(body, label, "small")


def _change_cell(change):
    if change is None or change == 0:
        text = "—"
    elif change > 0:
        text = f'<span class="text-success">↑{change}</span>'
    else:
        text = f'<span class="text-danger">↓{-change}</span>'
    return _td(text, "较上季度", "num")


def ranking_rows(result, entities, kind, changes=None, linkable_units=None):
    """One safe HTML `<tr>` per entity, in order.

    `changes` is {id: places gained} or None for no 较上季度 column; `linkable_units` is the set of
    unit ids whose explanation the user may open, or None for all (reviewers and leaders)."""
    specs = [(spec.code, spec.display_unit, spec.name) for spec in result.indicators]
    rows = []
    for e in entities:
        css = f"echelon-{e.echelon}" if e.ranked else "text-secondary"
        name = escape(e.name)
        if kind == "unit" and (linkable_units is None or e.id in linkable_units):
            url = reverse("assessment:unit_assessment", args=[result.year, result.quarter, e.id])
            name = f'<a href="{escape(url)}">{name}</a>'
        cells = [
            _td(e.rank if e.rank else "—", "排名", "num"),
            _td(name, "协作组" if kind == "group" else "单位"),
        ]
        if kind == "unit":
            cells.append(_td(escape(e.group_name or "—"), "协作组", "small"))
        cells.extend(
            _indicator_cell(e.indicators.get(code), unit, label) for code, unit, label in specs
        )
        score = "—" if e.score is None else escape(e.score)
        if e.adjustment:
            score += f'<div class="small text-secondary">含加减分 {escape(e.adjustment)}</div>'
        status = escape(e.status or "—")
        if e.escalation:
            # Before Q4 under the projected mode (issue 17 item 7): a projection, not a verdict.
            label = e.escalation
            if result.escalation_projected:
                label += "（按当前进度预计）"
            status += f'<div class="small text-danger">{escape(label)}</div>'
        echelon = "单列" if e.listed_apart else echelon_name(e.echelon)
        if e.echelon_note:
            echelon += f'<div class="small text-secondary">{escape(e.echelon_note)}</div>'
        cells += [
            _td(score, "得分", "num fw-semibold"),
            _td(pct(e.overall), "总体完成率", "num"),
            _td(echelon, "方阵"),
            _td(status, "状态"),
        ]
        if changes is not None:
            cells.append(_change_cell(changes.get(e.id)))
        rows.append(f'<tr class="{css}" data-entity="{e.id}">{"".join(cells)}</tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 — every data text above is escaped
