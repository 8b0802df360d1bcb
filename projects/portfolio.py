"""五个一 包扶 portfolios (issue 19 item 5): "一个重点项目、一位县领导、一套班子、一名分管领导、一套
好的包扶办法" — what a leader sponsors and where it stands, and the city-wide 包扶表.

Decisions:
- A leader's projects are those whose 包扶领导 is the registry person, among the projects the
  reader may see (`Project.visible_to`); a unit user reading a leader's page sees only their own
  unit's share of it.
- The figures are verified ones only: approved 固定资产投资 (by month) and approved 到位资金 (by
  date) of the year, each at its counted amount (`counted_amount`: the office's 认定金额 where
  set); a 不予认定 claim counts for nothing. A draft or pending claim never shows here, inside
  the unit or out (SPEC §1: drafts are private to their unit; leaders and the office read it).
- 逾期帮办: an assistance item not 已办结 whose deadline has passed (the alerts' rule,
  `projects.alerts.overdue_assistance_qs`). 存在问题 on the 包扶表 are the open items' problems.
- 最近督办/走访: the latest 督办 issued on the project or on one of its assistance items (as the
  reader may see 督办, `Supervision.visible_to`) and the latest 客商接待 linked to it, whichever is
  later.
- A fixed number of queries whatever the number of projects: the projects, then one grouped
  query each for investment, funds, open assistance items, 督办 and visits.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Max, Sum
from django.db.models.functions import Coalesce, TruncDate

from projects.alerts import overdue_assistance_qs
from projects.models import (
    AssistanceItem,
    AssistanceStatus,
    ClaimStatus,
    FundsEntry,
    MonthlyInvestment,
    Project,
    Supervision,
    Visit,
)
from projects.models.verification import counted_amount

ZERO = Decimal(0)


@dataclass
class PortfolioRow:
    project: Project
    investment: Decimal = ZERO
    funds: Decimal = ZERO
    open_items: list = field(default_factory=list)
    overdue_items: list = field(default_factory=list)
    last_duban: datetime.date | None = None
    last_visit: datetime.date | None = None

    @property
    def last_action(self):
        """(date, "督办"/"走访") of the later of the last 督办 and the last visit, or None."""
        dated = [(d, label) for d, label in ((self.last_duban, "督办"), (self.last_visit, "走访"))]
        dated = [item for item in dated if item[0]]
        return max(dated, key=lambda item: item[0]) if dated else None

    @property
    def progress(self):
        """进展 as the 包扶表 writes it: the stage and the year's verified figures."""
        parts = [self.project.get_stage_display()]
        if self.investment:
            parts.append(f"本年完成固定资产投资{self.investment:,.2f}万元")
        if self.funds:
            parts.append(f"本年实际到位资金{self.funds:,.2f}万元")
        return "，".join(parts)

    @property
    def problems(self):
        """存在问题: the open assistance items' problems, overdue ones marked; "无" when none."""
        if not self.open_items:
            return "无"
        overdue = {item.pk for item in self.overdue_items}
        return "；".join(
            f"{item.problem}{'（已逾期）' if item.pk in overdue else ''}"
            for item in self.open_items
        )


def _sums(model, date_field, ids, year):
    rows = (
        model.objects.filter(
            project_id__in=ids,
            status=ClaimStatus.APPROVED,
            not_recognised=False,
            **{f"{date_field}__year": year},
        )
        .order_by()
        .values("project_id")
        .annotate(total=Sum(counted_amount()))
    )
    return {row["project_id"]: row["total"] or ZERO for row in rows}


def portfolio_rows(user, projects, year, today=None):
    """[PortfolioRow] of `projects` (a queryset, already scoped by the caller to what `user`
    may see), in the queryset's order. Six queries whatever their number."""
    today = today or datetime.date.today()
    projects = list(projects.select_related("unit", "sponsor_leader", "deputy_leader", "industry"))
    ids = [p.pk for p in projects]
    rows = {p.pk: PortfolioRow(p) for p in projects}
    if not ids:
        return []
    for pk, total in _sums(MonthlyInvestment, "month", ids, year).items():
        rows[pk].investment = total
    for pk, total in _sums(FundsEntry, "date", ids, year).items():
        rows[pk].funds = total
    items = AssistanceItem.objects.filter(project_id__in=ids).exclude(
        status=AssistanceStatus.RESOLVED
    )
    overdue = set(overdue_assistance_qs(items, today).values_list("pk", flat=True).order_by())
    for item in items.order_by("deadline", "pk"):
        row = rows[item.project_id]
        row.open_items.append(item)
        if item.pk in overdue:
            row.overdue_items.append(item)
    dubans = (
        Supervision.objects.visible_to(user)
        .annotate(on=Coalesce(F("project_id"), F("assistance_item__project_id")))
        .filter(on__in=ids)
        .order_by()
        .values("on")
        .annotate(last=Max(TruncDate("issued_at")))
    )
    for row in dubans:
        rows[row["on"]].last_duban = row["last"]
    visits = (
        Visit.objects.visible_to(user)
        .filter(project_id__in=ids)
        .order_by()
        .values("project_id")
        .annotate(last=Max("date"))
    )
    for row in visits:
        rows[row["project_id"]].last_visit = row["last"]
    return [rows[pk] for pk in ids]


def sponsored_projects(user, person):
    """The projects `person` sponsors (包扶领导) that `user` may read: key projects first."""
    return (
        Project.objects.visible_to(user)
        .filter(sponsor_leader=person)
        .order_by("-is_key", "-total_investment", "pk")
    )


def headline(rows):
    """The portfolio's counts: projects, key projects, verified figures, overdue 帮办."""
    return {
        "projects": len(rows),
        "key": sum(1 for r in rows if r.project.is_key),
        "investment": sum((r.investment for r in rows), ZERO),
        "funds": sum((r.funds for r in rows), ZERO),
        "open_items": sum(len(r.open_items) for r in rows),
        "overdue_items": sum(len(r.overdue_items) for r in rows),
        "overdue_projects": sum(1 for r in rows if r.overdue_items),
    }


def baofu_projects(user):
    """The city-wide 包扶表: every project with a 包扶领导 the user may read, by leader."""
    return (
        Project.objects.visible_to(user)
        .filter(sponsor_leader__isnull=False)
        .order_by("sponsor_leader__name", "sponsor_leader_id", "-total_investment", "pk")
    )


BAOFU_HEADERS = ["序号", "项目", "包扶领导", "责任单位", "分管领导", "进展", "存在问题"]


def baofu_table_rows(rows):
    """The 包扶表's rows, in the columns offices publish (项目 … 存在问题)."""
    for number, row in enumerate(rows, 1):
        project = row.project
        yield [
            number,
            project.name,
            project.sponsor_leader.label if project.sponsor_leader_id else "",
            project.unit.name,
            project.deputy_leader.label if project.deputy_leader_id else "",
            row.progress,
            row.problems,
        ]
