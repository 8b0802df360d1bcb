"""Writing an import plan's claims (`assessment.workbooks.apply`): milestones typed in the 项目
sheet, monthly investment and funds — each row matched to its stored claim by its identity
(`assessment.workbooks.identity`), each change listed in the preview
(`assessment.workbooks.changes`).

Decisions (issue 16):
- A changed amount (or, for a funds row with a 编号, a changed date or source) updates the stored
  claim; nothing is written twice.
- Removals: a stored monthly investment or funds entry of a project the 项目 sheet lists, dated
  in the workbook's year, that the file's sheet (present in the workbook) no longer has; a blank
  签约/开工/竣工日期 over a stored milestone is a clear. Both are listed; they are deleted —
  through the write guard, refused with their location — only when the user confirms
  (`Plan.apply_removals`). Whole projects are never removed by an import.
"""

from assessment.workbooks import changes
from assessment.workbooks.changes import CLEARED, REMOVED, shown
from assessment.workbooks.contract import (
    FUNDS,
    FUNDS_REGION,
    INVESTMENTS,
    MILESTONE_COLUMNS,
    PROJECTS,
)
from assessment.workbooks.identity import match_funds
from projects.models import (
    FundsEntry,
    FundsRegion,
    FundsSource,
    Milestone,
    MilestoneKind,
    MonthlyInvestment,
)

MILESTONES = "项目节点"
DATE_COLUMNS = {kind: column for column, kind in MILESTONE_COLUMNS.items()}
SOURCES = dict(FundsSource.choices)
REGIONS = dict(FundsRegion.choices)
REGION_MISSING = "本年度到位资金指标仅计市域外资金，导入的到位资金须填写“资金来源地”。"


def remove(plan, w, obj, sheet, label, at):
    """A removal or clear: counted, deleted through the guard when confirmed; otherwise asked
    whether the guard would allow it. Returns the refusal to show beside it, or ""."""
    w.report.count(sheet, "removed")
    if plan.apply_removals:
        w.delete(obj, sheet, label, at=at)
        return ""
    refusal = changes.removal_refusal(obj, w.lock(obj.claim_date))
    if refusal:
        w.report.removal_refusals += 1
        return f"（不能删除：{refusal}）"
    return ""


def stored_milestones(projects):
    return {(m.project_id, m.kind): m for m in Milestone.objects.filter(project__in=projects)}


def milestones(plan, w, project, row, stored):
    """The row's 签约/开工/竣工日期 → [(column, old, new)] of the cells it changes or clears."""
    cells = []
    for kind in MilestoneKind.values:
        column = DATE_COLUMNS[kind]
        label = f"项目“{project.name}”{MilestoneKind(kind).label}日期"
        at = (PROJECTS, row["row"], column)
        milestone = stored.get((project.pk, kind)) if project.pk else None
        day = row["dates"].get(kind)
        if day is None:
            if milestone is not None:
                refused = remove(plan, w, milestone, MILESTONES, label, at)
                cells.append((column, shown(milestone.date), CLEARED + refused))
        elif milestone is None:
            w.claim(Milestone(project=project, kind=kind, date=day), MILESTONES, True, label, at=at)
            if project.pk:
                cells.append((column, shown(None), shown(day)))
        elif milestone.date != day:
            old = milestone.date
            milestone.date = day
            w.claim(milestone, MILESTONES, False, label, old_date=old, at=at)
            cells.append((column, shown(old), shown(day)))
        else:
            w.unchanged_claim(milestone, MILESTONES, label, at=at)
    return cells


def _listed(plan, projects):
    """Pks of the existing projects the 项目 sheet lists: the scope of removals."""
    return {projects[r["name"]].pk for r in plan.projects if r.get("pk")}


def investments(plan, w, projects):
    listed = _listed(plan, projects) if INVESTMENTS in plan.sheets else set()
    ids = {projects[r["project"]].pk for r in plan.investments} | listed
    rows = MonthlyInvestment.objects.filter(project__in=ids).select_related("project")
    stored = {(i.project_id, i.month): i for i in rows}
    seen = set()
    for row in plan.investments:
        project = projects[row["project"]]
        label = f"项目“{project.name}” {row['month']:%Y-%m} 固定资产投资"
        at = (INVESTMENTS, row["row"], "金额(万元)")
        investment = stored.get((project.pk, row["month"]))
        seen.add((project.pk, row["month"]))
        if investment is None:
            new = MonthlyInvestment(project=project, month=row["month"], amount=row["amount"])
            w.claim(new, INVESTMENTS, True, label, at=at)
        elif investment.amount != row["amount"]:
            old = investment.amount
            investment.amount = row["amount"]
            w.claim(investment, INVESTMENTS, False, label, at=at)
            cells = [("金额(万元)", shown(old), shown(row["amount"]))]
            changes.record(w.report, INVESTMENTS, changes.row_line(row["row"], label, cells))
        else:
            w.unchanged_claim(investment, INVESTMENTS, label, at=at)
    gone = [
        i
        for key, i in stored.items()
        if key not in seen and i.project_id in listed and i.month.year == plan.year
    ]
    for investment in sorted(gone, key=lambda i: (i.project_id, i.month)):
        label = f"项目“{investment.project.name}” {investment.month:%Y-%m} 固定资产投资"
        refused = remove(plan, w, investment, INVESTMENTS, label, (INVESTMENTS, None, ""))
        line = f"{label} {shown(investment.amount)} 万元：{REMOVED}{_verb(plan)}{refused}"
        changes.record(w.report, INVESTMENTS, line)


def _funds_label(project, entry):
    return f"项目“{project.name}” {entry['date']} 到位资金"


def funds(plan, w, projects):
    listed = _listed(plan, projects) if FUNDS in plan.sheets else set()
    ids = {projects[r["project"]].pk for r in plan.funds} | listed
    stored = FundsEntry.objects.filter(project__in=ids).select_related("project")
    stored = list(stored.order_by("pk"))
    for row in plan.funds:
        row["project_id"] = projects[row["project"]].pk
    matched = match_funds(plan.funds, stored)
    for row, entry in zip(plan.funds, matched, strict=True):
        project = projects[row["project"]]
        label = _funds_label(project, row)
        at = (FUNDS, row["row"], "金额(万元)")
        values = {"date": row["date"], "source": row["source"], "amount": row["amount"]}
        if row.get("region") is not None:  # a file without 资金来源地 leaves it as stored
            values["source_region"] = row["region"]
        if _region_refused(w, row, entry, values, label):
            continue
        if entry is None:
            code = {"code": row["code"]} if row["code"] else {}
            w.claim(FundsEntry(project=project, **code, **values), FUNDS, True, label, at=at)
            continue
        cells = [
            (column, shown(_funds_value(name, getattr(entry, name))), shown(_funds_value(name, v)))
            for name, column, v in (
                ("date", "日期", row["date"]),
                ("source", "来源", row["source"]),
                ("amount", "金额(万元)", row["amount"]),
                ("source_region", "资金来源地", values.get("source_region", entry.source_region)),
            )
            if getattr(entry, name) != v
        ]
        if not cells:
            w.unchanged_claim(entry, FUNDS, label, at=at)
            continue
        old_date = entry.date
        for name, value in values.items():
            setattr(entry, name, value)
        w.claim(entry, FUNDS, False, label, old_date=old_date, at=at)
        changes.record(w.report, FUNDS, changes.row_line(row["row"], label, cells))
    taken = {e.pk for e in matched if e is not None}
    gone = [
        e
        for e in stored
        if e.pk not in taken and e.project_id in listed and e.date.year == plan.year
    ]
    for entry in gone:
        label = f"项目“{entry.project.name}” {entry.date} 到位资金"
        refused = remove(plan, w, entry, FUNDS, label, (FUNDS, None, ""))
        what = f"{SOURCES[entry.source]} {shown(entry.amount)} 万元（编号 {entry.code}）"
        changes.record(w.report, FUNDS, f"{label} {what}：{REMOVED}{_verb(plan)}{refused}")


def _region_refused(w, row, entry, values, label):
    """An imported funds row comes in as 已申报, so it needs its 资金来源地 where the year counts
    only funds from outside the city, as a submission does (`projects.verification`). Historical
    data (`--verified`) is taken as it is. Reported at the row; True when refused."""
    region = values.get("source_region", entry.source_region if entry is not None else "")
    if w.verified or region or not w.periods.outside_city_only(row["date"].year):
        return False
    w.refuse(FUNDS, FUNDS_REGION, f"{label}：{REGION_MISSING}", row["row"])
    return True


def _verb(plan):
    return "已删除" if plan.apply_removals else "将删除"


def _funds_value(name, value):
    if name == "source_region":
        return REGIONS.get(value, value) or "未填写"
    return SOURCES.get(value, value) if name == "source" else value
