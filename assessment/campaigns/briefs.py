"""The 《简报》 of a campaign period (issue 20 item 4): the figures so far per unit, the rank and
its change since the previous period, the units that reported nothing, the totals — as a
printable page and as a paper-ready workbook (`zhaoshang.web.paper` through the ranking
workbook's sheet writer).

Decisions:
- the figures are the campaign ranking (`assessment.campaigns.engine`, indicators and measures)
  counted through the period's last day, with the reports of that period and the earlier ones;
  the previous period's ranking is computed the same way, so 名次变化 compares like with like
  (a first period has none). A draft counts claims as approved today;
- sealed: issuing stores what the brief shows on its row (`brief_content`); an issued brief is
  rendered from that, never recomputed, and the next period's 名次变化 compares with it;
- 第N期: an issued brief keeps the number it was given (briefs numbered in order of issue); a
  brief not yet issued shows the number it would take, marked 测算稿;
- 落款: the year's issuing office (as the 通报, `assessment.bulletin.signature`) and the
  issue date; a draft says the date is set when it is issued.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessment.campaigns import reports as reporting
from assessment.campaigns.brief_content import (
    Brief,
    BriefRow,
    from_content,
    stored_ranks,
    to_content,
)
from assessment.campaigns.engine import compute_campaign
from assessment.campaigns.measures import measure_specs, measure_target_map, reported_sums
from assessment.campaigns.periods import period_of
from assessment.campaigns.services import target_map
from assessment.formatting import DRAFT_MARK
from assessment.models import Campaign, CampaignBrief
from assessment.workbooks.ranking_sheets import (
    BORDER,
    RATE_FORMAT,
    SCORE_FORMAT,
    Sheet,
    entity_fill,
    rate,
)
from assessment.workbooks.streaming import StreamingBook
from zhaoshang.guarded import Frozen

ZERO = Decimal(0)
ALREADY_ISSUED = "该期简报已印发（第{}期），不能重复印发。"
NOT_ENDED = "本期到{}才结束，结束后方可印发简报。"


def _ranking(campaign, period, specs, measure_targets):
    ay = campaign.year
    return compute_campaign(
        campaign.start,
        campaign.end,
        ay.indicators.all(),
        target_map(campaign),
        year=ay,
        excluded_categories=ay.excluded_categories,
        as_of=period.end,
        through=period.end,
        measures=specs,
        measure_targets=measure_targets,
        reported=reported_sums(campaign, period.number),
    )


def signature(campaign, issued):
    office = campaign.year.issuing_office
    if not office:
        return None
    if issued is None:
        return [office, f"{DRAFT_MARK}，印发时确定日期"]
    day = timezone.localtime(issued.issued_at).date()
    return [office, f"{day.year}年{day.month}月{day.day}日"]


def build(campaign, number):
    """The 简报 of period `number` (None when the campaign has no such period). An issued one is
    what was stored when it was issued (`brief_content`); a draft is computed now. A fixed
    number of queries, whatever the number of units and reports."""
    period = period_of(campaign, number)
    if period is None:
        return None
    rows = CampaignBrief.objects.filter(campaign=campaign)
    last = rows.aggregate(n=Max("number"))["n"] or 0
    near = {b.period: b for b in rows.filter(period__in=[number, number - 1])}
    issued = near.get(number)
    if issued is not None and issued.content:
        return from_content(campaign, issued)
    # An issued row without content predates sealing (none in production): computed as before.
    return _compute(campaign, period, issued, issued.number if issued else last + 1, near)


def _compute(campaign, period, issued, number, near):
    """The brief computed from today's data; 名次变化 compares with the stored content of the
    previous period's issued 简报, or with that period's ranking computed now when none."""
    specs = measure_specs(campaign)
    measure_targets = measure_target_map(campaign)
    result = _ranking(campaign, period, specs, measure_targets)
    previous = {}
    before = near.get(period.number - 1)
    if before is not None and before.content:
        previous = stored_ranks(before)
    elif period.number > 1:
        earlier = period_of(campaign, period.number - 1)
        previous = {
            e.id: e.rank
            for e in _ranking(campaign, earlier, specs, measure_targets).units
            if e.ranked
        }
    period_reports = {r.unit_id: r for r in reporting.reports_of(campaign, period=period.number)}
    brief = Brief(
        campaign=campaign,
        period=period,
        number=number,
        issued=issued,
        result=result,
        measures=specs,
        name=campaign.name,
        start=campaign.start,
        signature=signature(campaign, issued),
    )
    codes = {int(s.code[1:]): s.code for s in specs if not s.is_band}
    ordered = [e for e in result.units if e.ranked] + [e for e in result.units if not e.ranked]
    for entity in ordered:
        report = period_reports.get(entity.id)
        values = report.values if report else {}
        change = None
        if entity.ranked and entity.id in previous:
            change = previous[entity.id] - entity.rank
        brief.rows.append(
            BriefRow(
                entity=entity,
                change=change,
                this_period={codes[m]: v for m, v in values.items() if m in codes},
                reported=report is not None,
                progress=report.progress if report else "",
            )
        )
    brief.missing = [row.entity for row in brief.rows if not row.reported]
    for spec in specs:
        figures = [row.entity.indicators.get(spec.code) for row in brief.rows]
        target = sum((f.target or ZERO for f in figures if f), ZERO)
        actual = sum((f.actual for f in figures if f), ZERO)
        now = sum((row.this_period.get(spec.code, ZERO) for row in brief.rows), ZERO)
        brief.totals[spec.code] = (target, actual, None if spec.is_band else now)
    return brief


@transaction.atomic
def issue(campaign, number, user, today=None):
    """印发 the 简报 of period `number`: it takes the next 期号, seals what it shows (the brief
    computed now, stored as `content`: the page and the workbook render that from then on) and
    freezes the reports of that period and the earlier ones (`reports.ReportRule`). Frozen (a
    Chinese message) when it is issued already or the period has not ended."""
    today = today or timezone.localdate()
    list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
    period = period_of(campaign, number)
    done = CampaignBrief.objects.filter(campaign=campaign, period=number).first()
    if done is not None:
        raise Frozen(ALREADY_ISSUED.format(done.number))
    if today < period.end:
        raise Frozen(NOT_ENDED.format(f"{period.end:%Y年%m月%d日}"))
    last = CampaignBrief.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"]
    row = CampaignBrief(
        campaign=campaign,
        period=number,
        number=(last or 0) + 1,
        issued_at=timezone.now(),
        issued_by=user,
    )
    near = {b.period: b for b in CampaignBrief.objects.filter(campaign=campaign, period=number - 1)}
    row.content = to_content(_compute(campaign, period, row, row.number, near))
    row.save()
    return row


# --- the workbook ---------------------------------------------------------------------------


def _header(brief):
    top = ["排名", "名次变化", "单位", "得分", "总体完成率"]
    for spec in brief.measures:
        top += [f"{spec.name}（{spec.display_unit}）目标", "累计完成"]
        if not spec.is_band:
            top.append("本期")
    return top + ["本期报送"]


def change_text(change):
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "—"


def write_workbook(brief, fileobj):
    """One sheet 简报: title with 第N期 and the period, the table, the totals row, the units that
    did not report, and the 落款."""
    header = _header(brief)
    with StreamingBook(fileobj) as book:
        sheet = Sheet(book, "简报", len(header), brief.draft)
        period = brief.period
        heading = f"{brief.title}（第{brief.number}期）"
        if brief.draft:
            heading += f"【{DRAFT_MARK}】"
        note = (
            f"{period.label}；统计{brief.start:%Y年%m月%d日}至{period.end:%Y年%m月%d日}"
            f"，时间进度 {brief.result.expected_progress}%"
        )
        sheet.heading(heading, note)
        sheet.headers(header)
        for row in brief.rows:
            e = row.entity
            cells = [
                (e.rank if e.ranked else "—", None),
                (change_text(row.change), None),
                (e.name, None),
                (e.score, SCORE_FORMAT),
                (rate(e.overall), RATE_FORMAT),
            ]
            for spec in brief.measures:
                f = e.indicators.get(spec.code)
                cells += [(f.target if f else None, "0.##"), (f.actual if f else None, "0.##")]
                if not spec.is_band:
                    cells.append((row.this_period.get(spec.code), "0.##"))
            cells.append(("已报送" if row.reported else "未报送", None))
            sheet.values(cells, entity_fill(e))
        total = [("合计", None), (None, None), (f"{len(brief.rows)} 个单位", None)]
        total += [(None, None), (None, None)]
        for spec in brief.measures:
            target, actual, now = brief.totals[spec.code]
            total += [(target, "0.##"), (actual, "0.##")]
            if not spec.is_band:
                total.append((now, "0.##"))
        total.append((f"未报送 {len(brief.missing)} 个", None))
        sheet.values(total, BORDER | {"bold": True})
        missing = "、".join(u.name for u in brief.missing) or "无"
        sheet.line(f"本期未报送单位：{missing}", {"text_wrap": True})
        sheet.finish(brief.signature)


def filename(brief):
    return f"{brief.title}第{brief.number}期（{brief.period.end:%Y年%m月%d日}）.xlsx"
