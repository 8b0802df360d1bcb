"""The ranking workbook (通报) of SPEC §6, as a 考核办 sends it (issue 22): 单位排名 (a summary
in 方阵 sections with 序号, 加减分 beside 得分 and 备注), 指标完成情况 sheets (the figures,
legible in print), 协作组排名 (协作组 / 组长 / 牵头单位) and 佐证明细 — the sheets themselves are
`assessment.workbooks.ranking_sheets`.

`write_ranking_workbook(result, path_or_file, claim_rows=None, progress=None, draft=False,
signature=None)` takes an AssessmentResult (see assessment/results.py) and writes figures as
numbers with number formats, so offices can sum, print and forward the table: amounts
'#,##0.00' in 万元, counts '0.00' (credit shares make fractions), rates stored as ratios with
'0.00%' (0.875 shows as 87.50%), scores '0.00'. A draft says 测算稿（未发布） on every sheet.

佐证明细: every approved claim behind the figures, one row per credited unit, so any number can
be checked. `claim_rows` may be given (an iterable of ClaimRow or 7-tuples): a computed
quarter passes the lines stored with its snapshot (`snapshot_rows`), so a published quarter's
sheet is what it counted; otherwise it is read live (`evidence_rows(result)`).

It streams (issue 21): xlsxwriter's constant-memory mode writes each row to disk as it is
finished, so memory stays flat however many units and evidence lines there are. `progress(done,
total)`, when given, is called as rows are written (the background job's counters).
"""

from collections import namedtuple
from decimal import Decimal

from assessment.evidence import (
    collect_lines,
    meeting_text,
    recognition_text,
    site_text,
    stored_lines,
    workbook_label,
)
from assessment.formatting import DRAFT_MARK, percent, quarter_name
from assessment.models import AssessmentYear
from assessment.results import AssessmentResult
from assessment.workbooks.ranking_sheets import (
    AMOUNT_FORMAT,
    HUNDRED,
    Sheet,
    indicator_sheets,
    ranking_summary,
)
from assessment.workbooks.streaming import StreamingBook

DATE_FORMAT = "yyyy-mm-dd"
# `amount` is the recognised figure the engine counted; `claimed`, `recognition`, `site` and
# `meeting` say how the office verified it (issue 17: the 认定 and the structured steps).
ClaimRow = namedtuple(
    "ClaimRow",
    [
        "unit",
        "indicator_code",
        "project",
        "claim_type",
        "date",
        "amount",
        "share",
        "claimed",
        "recognition",
        "site",
        "meeting",
    ],
    defaults=(None, "", "", ""),
)

EVIDENCE_HEADERS = [
    "单位",
    "指标代码",
    "指标",
    "项目",
    "类型",
    "日期",
    "认定金额（万元）/个数",
    "分成比例（%）",
    "计入数",
    "申报金额（万元）",
    "认定情况",
    "现场评估",
    "会办确认",
]
PROGRESS_EVERY = 200  # rows between two progress calls


def totals_label(result, label, entities):
    """The one totals rule, said where it is used (`assessment.totals`): the 合计 row sums every
    unit of the sheet, ranked or not; over the whole city that is the 通报's 全市 figure."""
    unlisted = any(
        not e.ranked and not e.listed_apart and any(f.actual for f in e.indicators.values())
        for e in entities
    )
    what = f"{label}合计" if label else "全市合计"
    return f"{what}（含未排名单位）" if unlisted else what


def _note(result, label):
    note = f"序时进度 {percent(result.expected_progress)}；金额单位：万元；"
    note += "得分 = 基础得分 + 加减分；合计含未排名单位的认定数"
    if label:
        note += f"（{label}单位合计，全市合计见通报“全市总体情况”）"
    else:
        note += "（与通报“全市总体情况”一致）"
    if result.echelon_rules:
        note += "；方阵规则：" + "；".join(result.echelon_rules)
    return note


def _evidence_sheet(book, result, claim_rows, tick, draft, signature):
    """佐证明细: the columns are the EVIDENCE_HEADERS (data-driven: a key added to the snapshot's
    evidence lines adds a header and a value here), fitted to one page wide."""
    names = {spec.code: spec.name for spec in result.indicators}
    sheet = Sheet(book, "佐证明细", len(EVIDENCE_HEADERS), draft)
    text = f"{result.year}年{quarter_name(result.quarter)}考核佐证明细（已审定）"
    sheet.heading(f"{text}【{DRAFT_MARK}】" if draft else text)
    sheet.headers(EVIDENCE_HEADERS)
    for claim in claim_rows:
        claim = ClaimRow(*claim)
        amount = Decimal(claim.amount)
        share = Decimal(claim.share)
        cells = [
            (claim.unit, None),
            (claim.indicator_code, None),
            (names.get(claim.indicator_code, ""), None),
            (claim.project, None),
            (claim.claim_type, None),
            (claim.date, DATE_FORMAT),
            (amount, AMOUNT_FORMAT),
            (share, "0.00"),
            (amount * share / HUNDRED, AMOUNT_FORMAT),
            (None if claim.claimed is None else Decimal(claim.claimed), AMOUNT_FORMAT),
            (claim.recognition, None),
            (claim.site, None),
            (claim.meeting, None),
        ]
        sheet.values(cells)
        tick()
    sheet.finish(signature, fixed={3: 36, 10: 30, 11: 40, 12: 30})


def write_ranking_workbook(
    result: AssessmentResult,
    path_or_file,
    claim_rows=None,
    progress=None,
    draft=False,
    signature=None,
    groups=None,
):
    """Write the ranking workbook of `result` to a path or a binary file object, streaming.

    `draft`: the result is not published — every sheet carries DRAFT_MARK. `signature`: the
    落款 lines (issuing office, date) printed below each table, or None. `groups`: {group id:
    (组长, 牵头单位)} for the 协作组排名 sheet (read by `group_details` when None)."""
    if claim_rows is None:
        claim_rows = evidence_rows(result)
    claim_rows = list(claim_rows)
    if groups is None:
        groups = group_details(result)
    total = sum(1 for e in result.units if e.ranked or e.listed_apart)
    total += sum(1 for e in result.groups if e.ranked or e.listed_apart)
    total += len(claim_rows)
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)

    if progress is not None:
        progress(0, total)
    with StreamingBook(path_or_file) as book:
        # One 单位排名 sheet, or one per unit type when the year ranks them apart (issue 17),
        # each followed by its indicator sheets.
        for label, members in result.unit_sections():
            name = f"单位排名（{label}）" if label else "单位排名"
            note = _note(result, label)
            ranking_summary(book, name, result, members, draft, note, signature, tick)
            base = f"{label}指标完成情况" if label else "指标完成情况"
            total_label = totals_label(result, label, members)
            indicator_sheets(book, base, result, members, draft, note, signature, total_label)
        note = _note(result, "协作组")
        ranking_summary(
            book, "协作组排名", result, result.groups, draft, note, signature, tick, groups
        )
        _evidence_sheet(book, result, claim_rows, tick, draft, signature)


def group_details(result):
    """{group id: (组长, 牵头单位)} of the result's groups, read in one query."""
    from units.models import CollaborationGroup

    ids = [g.id for g in result.groups]
    if not ids:
        return {}
    rows = CollaborationGroup.objects.filter(pk__in=ids).select_related("lead_unit")
    return {g.pk: (g.leader_name, g.lead_unit.name) for g in rows}


def claim_rows(lines):
    """ClaimRows of the verified `lines` (`assessment.evidence`): what 佐证明细 lists."""
    return [
        ClaimRow(
            line.unit_name,
            line.indicator_code,
            line.project_name,
            workbook_label(line),
            line.date,
            line.amount,
            line.share,
            line.claimed,
            recognition_text(line),
            site_text(line),
            meeting_text(line),
        )
        for line in lines
        if line.verified
    ]


def evidence_rows(result):
    """ClaimRows of every approved claim behind `result`'s unit figures, one per credited unit,
    read live (`assessment.evidence.collect_lines`: the engine's claim selections, one query per
    indicator). For a computed quarter use `snapshot_rows`: the lines it counted."""
    year = AssessmentYear.objects.filter(year=result.year).first()
    if year is None:
        return []
    return claim_rows(collect_lines(year, result.period_start, result.period_end))


def snapshot_rows(snapshot):
    """ClaimRows of the lines stored with `snapshot` (names as computed); None when it has none
    stored (computed before lines were kept), so the writer reads them live."""
    if snapshot is None or not snapshot.lines_stored:
        return None
    return claim_rows(stored_lines(snapshot))
