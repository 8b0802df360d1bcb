"""The year export of SPEC §6 ("one workbook moves a whole year in and out"): year `year` from the
database in the import format, so importing it back changes nothing and importing it into an empty
database reproduces the year's assessment. Callers: `manage.py export_workbook YEAR FILE` and the
office's download (`workbook:year_export`)."""

import datetime

from django.db.models import Q
from openpyxl import Workbook

from assessment.models import Indicator, Target
from assessment.workbooks.contract import (
    FUNDS,
    GROUPS,
    INDICATORS,
    INVESTMENTS,
    MEMBER_SEPARATOR,
    MILESTONE_COLUMNS,
    NO,
    OPTIONAL_COLUMNS,
    PROJECTS,
    SHARES,
    SHEETS,
    TARGETS,
    UNITS,
    YES,
)
from assessment.workbooks.template import style_header_row
from projects import newness
from projects.models import (
    Category,
    ClaimStatus,
    CreditShare,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
    Project,
)
from units.models import CollaborationGroup, Unit, UnitType
from zhaoshang.web.xlsx import write_cell


def export_year_workbook(year, path_or_file):
    """Write year `year` from the database in the import format (the round trip of SPEC §6).

    Carries every unit, the year's groups, indicators and targets, and every project with an
    approved claim dated in the year: its approved milestones, its shares, and its approved
    monthly investment and funds up to the year's end (the completed-project indicator sums a
    project's investment since it began), and its 新引进/结转 in `year` (`projects.newness`).
    Pending claims are left out: the workbook carries the
    verified figures, so importing it with --verified reproduces the year's assessment. Projects
    and funds entries carry their 编号 (issue 16): importing the file back updates those rows,
    whatever was corrected in it, and an empty database gets the same codes.
    """
    approved = ClaimStatus.APPROVED
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    unit_types = dict(UnitType.choices)
    rows = {name: [] for name in SHEETS}
    for unit in Unit.objects.order_by("sort_order", "name"):
        rows[UNITS].append([unit.name, str(unit_types[unit.unit_type]), unit.head_name])
    groups = CollaborationGroup.objects.filter(year=year).select_related("lead_unit")
    for group in groups.prefetch_related("memberships__unit").order_by("sort_order", "name"):
        members = MEMBER_SEPARATOR.join(m.unit.name for m in group.memberships.all())
        rows[GROUPS].append([year, group.name, group.leader_name, group.lead_unit.name, members])
    yes_no = {True: YES, False: NO}
    for ind in Indicator.objects.filter(year__year=year).order_by("order", "pk"):
        rows[INDICATORS].append(
            [
                year,
                ind.code,
                ind.name,
                ind.get_kind_display(),
                ind.get_milestone_display() if ind.milestone else "",
                ind.get_investment_basis_display() if ind.investment_basis else "",
                ind.threshold,
                yes_no[ind.new_only],
                ind.get_funds_source_display() if ind.funds_source else "",
                ind.weight,
                ind.display_unit,
            ]
        )
    targets = Target.objects.filter(indicator__year__year=year).select_related(
        "indicator", "unit", "group"
    )
    for t in targets.order_by("indicator__order", "pk"):
        rows[TARGETS].append([year, (t.unit or t.group).name, t.indicator.code, t.value])

    in_year = (
        Q(milestones__status=approved, milestones__date__range=(start, end))
        | Q(investments__status=approved, investments__month__range=(start, end))
        | Q(funds__status=approved, funds__date__range=(start, end))
    )
    projects = list(
        newness.annotate_new(
            Project.objects.filter(pk__in=Project.objects.filter(in_year).values("pk")), year
        )
        .select_related("unit", "industry")
        .order_by("unit__name", "name")
    )
    dates = {}
    for m in Milestone.objects.filter(project__in=projects, status=approved):
        dates[(m.project_id, m.kind)] = m.date
    categories = dict(Category.choices)
    for p in projects:
        rows[PROJECTS].append(
            [
                p.name,
                p.unit.name,
                p.investor_name,
                p.investor_credit_code,
                p.industry.name,
                str(categories[p.category]),
                newness.label(p.new_in_year),
                p.total_investment,
                p.contracted_investment,
                *(dates.get((p.pk, kind)) for kind in MILESTONE_COLUMNS.values()),
                p.code,
            ]
        )
    shares = CreditShare.objects.filter(project__in=projects).select_related("project", "unit")
    for s in shares.order_by("project__unit__name", "project__name", "pk"):
        rows[SHARES].append([s.project.name, s.unit.name, s.percent])
    investments = MonthlyInvestment.objects.filter(
        project__in=projects, status=approved, month__lte=end
    ).select_related("project")
    for i in investments.order_by("project__name", "month"):
        rows[INVESTMENTS].append([i.project.name, f"{i.month:%Y-%m}", i.amount])
    funds = FundsEntry.objects.filter(
        project__in=projects, status=approved, date__lte=end
    ).select_related("project")
    for f in funds.order_by("project__name", "date", "pk"):
        region = f.get_source_region_display() if f.source_region else ""
        rows[FUNDS].append(
            [f.project.name, f.date, f.get_source_display(), f.amount, f.code, region]
        )

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, headers in SHEETS.items():
        ws = wb.create_sheet(sheet)
        style_header_row(ws, headers + OPTIONAL_COLUMNS.get(sheet, []))
        for values in rows[sheet]:
            row = ws.max_row + 1
            for col, value in enumerate(values, start=1):
                cell = write_cell(ws, row, col, value)
                if isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
    wb.save(path_or_file)
