"""The body rows of the ranking table (`templates/assessment/_ranking_table.html`), built in Python,
and which of them a page shows (`RankingFilter`, `paged_sections`).

A city ranks ~500 units and ~50 groups with five indicators each: as template markup that was
17,000 node renders and ~95 % of the page's time (`make bench`, docs/benchmarks.md). Here each row
is one string: every figure goes through the same functions the template filters use (`figure`,
`pct`, `bar_width`, `echelon_name`), and every text that comes from data (names, status,
escalation) is escaped; numbers formatted by those functions contain no markup.

An indicator cell is what a row weighs: it was ~600 bytes of nested Bootstrap flex divs and a
`role="progressbar"` with four aria attributes, ~3.4 KB a row (1.9 MB at M). It is now one grid
`div` whose layout and colours are CSS (`.rk-*` in static/css/app.css): actual and target on a
line, a bar drawn as one element's background (its width one custom property), the completion
and the ✓ 序时 / ✗ 滞后 mark below. The bar is decoration: the completion it draws is written next
to it, so it carries no aria value; what ✓/✗ mean is said once above the table, not in a title
on every cell.
"""

from itertools import groupby

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from assessment.formatting import bar_width, figure
from assessment.results import echelon_name
from units.templatetags.zs import pct

# Rows a page of the ranking shows (the whole list is the workbook and the 通报).
PAGE_SIZE = 50
# The 方阵 filter: (value in the address, label); "0" is every unit without a rank.
ECHELON_FILTERS = [("1", "第一方阵"), ("2", "第二方阵"), ("3", "第三方阵"), ("0", "未排名")]
SEARCH_MAX = 50


def _td(body, label, css=""):
    """A cell carrying its column's header as data-label: on a phone the row is a card of
    "列名 值" lines (app.css, issue 22)."""
    attrs = f' class="{css}"' if css else ""
    return f'<td{attrs} data-label="{escape(label)}">{body}</td>'


def _indicator_cell(r, unit, label):
    if r is None or r.completion is None:
        body = '<span class="rk-t">不考核</span>'
    else:
        state, mark = ("rk-y", "✓ 序时") if r.on_schedule else ("rk-n", "✗ 滞后")
        body = (
            f'<div class="{state}"><span>{figure(r.actual, unit)}</span>'
            f'<span class="rk-t">/ {figure(r.target, unit)}</span>'
            f'<span class="rk-bar" style="--w:{bar_width(r.completion_pct)}%"></span>'
            f"<span>{pct(r.completion_pct)}</span><span>{mark}</span></div>"
        )
    if r is not None and r.pending:
        body += f'<div class="rk-t">待核实 {figure(r.pending, unit)}</div>'
    return _td(body, label, "rk-i")


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


class RankingFilter:
    """What the address asks to see: `echelon` ("1"/"2"/"3", "0" for the unranked, "" for all)
    and `name` (part of a unit's or group's name). Anything else in the address means no filter:
    a bad value never refuses the page."""

    def __init__(self, echelon="", name=""):
        echelon = str(echelon or "")
        self.echelon = echelon if echelon in dict(ECHELON_FILTERS) else ""
        self.name = " ".join(str(name or "").split())[:SEARCH_MAX]

    @classmethod
    def of(cls, request):
        return cls(request.GET.get("echelon"), request.GET.get("q"))

    @property
    def active(self):
        return bool(self.echelon or self.name)

    def matches(self, entity):
        if self.echelon == "0" and entity.ranked:
            return False
        if self.echelon not in ("", "0") and (
            not entity.ranked or str(entity.echelon) != self.echelon
        ):
            return False
        return self.name.casefold() in entity.name.casefold()


def paged_sections(sections, flt, number):
    """(page, [(label, members, continued)]): the `number`-th page of PAGE_SIZE rows of the
    sections' entities that pass `flt`, regrouped by section. The sections are one list paged
    in order, so a section may end on one page and go on (`continued`) on the next; each entity
    keeps its own rank. A number past the end is the last page; the caller reads anything that
    is not a positive number as 1."""
    rows = [(label, e) for label, members in sections for e in members if flt.matches(e)]
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.page(min(max(number, 1), paginator.num_pages))
    start = page.start_index() - 1  # the index of the page's first row in `rows`
    shown = []
    for label, group in groupby(page.object_list, key=lambda row: row[0]):
        continued = not shown and start > 0 and rows[start - 1][0] == label
        shown.append((label, [e for _, e in group], continued))
    return page, shown


def page_numbers(page):
    """The pager's links: page numbers around the current one and at both ends, None for a gap."""
    return [
        None if n == page.paginator.ELLIPSIS else n
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
