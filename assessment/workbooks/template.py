"""The import workbook of SPEC §6: its sheets and headers, the Chinese labels its cells use, and
the downloadable template (an example row per sheet and drop-down lists for the coded columns)."""

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assessment.models import IndicatorKind, InvestmentBasis
from projects.models import Category, FundsSource, MilestoneKind
from units.models import UnitType
from zhaoshang.web.xlsx import BORDER, CENTER, HEADER_FILL, HEADER_FONT, column_width, set_text

UNITS = "单位"
GROUPS = "协作组"
INDICATORS = "考核指标"
TARGETS = "目标"
PROJECTS = "项目"
SHARES = "分成"
INVESTMENTS = "固定资产投资"
FUNDS = "到位资金"

# Sheet → headers, exactly as SPEC §6 names them, in the order they are imported.
SHEETS = {
    UNITS: ["单位名称", "单位类型", "负责人"],
    GROUPS: ["年度", "协作组", "组长", "牵头单位", "成员单位"],
    INDICATORS: [
        "年度",
        "代码",
        "名称",
        "类型",
        "节点",
        "投资口径",
        "门槛(万元)",
        "仅新引进",
        "资金来源",
        "权重",
    ],
    TARGETS: ["年度", "对象", "指标代码", "年度目标"],
    PROJECTS: [
        "项目名称",
        "责任单位",
        "投资方",
        "统一社会信用代码",
        "产业",
        "类别",
        "新引进/结转",
        "总投资(万元)",
        "合同投资(万元)",
        "签约日期",
        "开工日期",
        "竣工日期",
    ],
    SHARES: ["项目名称", "单位", "比例(%)"],
    INVESTMENTS: ["项目名称", "月份", "金额(万元)"],
    FUNDS: ["项目名称", "日期", "来源", "金额(万元)"],
}
# Optional columns a workbook may carry besides SPEC §6's (the year export writes them).
OPTIONAL_COLUMNS = {INDICATORS: ["显示单位"]}
# A sheet of notes for people; never imported.
NOTES_SHEET = "填写说明"

MILESTONE_COLUMNS = {
    "签约日期": MilestoneKind.SIGNED,
    "开工日期": MilestoneKind.STARTED,
    "竣工日期": MilestoneKind.COMPLETED,
}
NEW_LABEL, CARRIED_LABEL = "新引进", "结转"
YES, NO = "是", "否"
MEMBER_SEPARATOR = "、"


def labels(choices):
    """Chinese label → stored value for a TextChoices class."""
    return {str(label): value for value, label in choices.choices if value}


def category_labels():
    """Category labels, plus the short form before the bracket ('产业类')."""
    mapping = labels(Category)
    for label, value in list(mapping.items()):
        short = label.split("（")[0]
        mapping.setdefault(short, value)
    return mapping


EXAMPLES = {
    UNITS: ["东湖区", "县区", "王建华"],
    GROUPS: [2026, "第一招商协作组", "张建国", "市发展和改革委员会", "东湖区、西山区"],
    INDICATORS: [
        2026,
        "signed_100m",
        "新引进亿元合同项目",
        "节点项目个数",
        "签约",
        "合同投资",
        10000,
        YES,
        "",
        25,
    ],
    TARGETS: [2026, "东湖区", "signed_100m", 4],
    PROJECTS: [
        "年产10万台新能源汽车电机项目",
        "东湖区",
        "某某电机科技有限公司",
        "91320500MA1XXXXX0X",
        "装备制造",
        "产业类（工业创税型）",
        NEW_LABEL,
        52000,
        50000,
        "2026-01-15",
        "2026-03-20",
        "",
    ],
    SHARES: ["年产10万台新能源汽车电机项目", "东湖区", 100],
    INVESTMENTS: ["年产10万台新能源汽车电机项目", "2026-03", 3200.5],
    FUNDS: ["年产10万台新能源汽车电机项目", "2026-02-10", "企业和个人投资", 8000],
}

NOTES = [
    "本模板用于导入一个年度的单位、协作组、考核指标、目标、项目及其节点、投资和到位资金。",
    "每个工作表第一行为表头，请勿修改表头名称；不需要的工作表可以删除。",
    "日期填写 YYYY-MM-DD（如 2026-03-15）或 Excel 日期；月份填写 YYYY-MM（如 2026-03）。",
    "金额单位为万元，填写数值，最多两位小数；不接受公式，请粘贴为数值。",
    "单位类型：市直部门、县区、园区、招商局。成员单位之间用顿号“、”分隔。",
    "项目名称在工作簿内不能重复；同名且责任单位相同的已有项目将被更新，不会重复创建。",
    "签约日期 ≤ 开工日期 ≤ 竣工日期，且不能晚于今天。",
    "“分成”表可选：同一项目各单位比例合计必须为 100；不填则责任单位占 100%。",
    "整个工作簿先全部校验，有任何一处错误则全部不导入，并列出错误所在的工作表、行和列。",
]


def _list_validation(ws, column_index, values, max_row=2000):
    """A drop-down list for one column (rows 2..max_row)."""
    formula = '"' + ",".join(values) + '"'
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.error = "请从下拉列表中选择。"
    dv.errorTitle = "输入无效"
    dv.prompt = "请从下拉列表中选择"
    letter = get_column_letter(column_index)
    dv.add(f"{letter}2:{letter}{max_row}")
    ws.add_data_validation(dv)


VALIDATIONS = {
    UNITS: {"单位类型": lambda: list(labels(UnitType))},
    INDICATORS: {
        "类型": lambda: list(labels(IndicatorKind)),
        "节点": lambda: list(labels(MilestoneKind)),
        "投资口径": lambda: list(labels(InvestmentBasis)),
        "仅新引进": lambda: [YES, NO],
        "资金来源": lambda: list(labels(FundsSource)),
    },
    PROJECTS: {
        "类别": lambda: list(labels(Category)),
        "新引进/结转": lambda: [NEW_LABEL, CARRIED_LABEL],
    },
    FUNDS: {"来源": lambda: list(labels(FundsSource))},
}


def style_header_row(ws, headers):
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(index)].width = column_width(header) + 6
    ws.freeze_panes = "A2"


def write_template(path_or_file):
    """Write the import template: SPEC §6 sheets and headers, one example row each, drop-downs."""
    wb = Workbook()
    notes = wb.active
    notes.title = NOTES_SHEET
    notes.column_dimensions["A"].width = 110
    notes.cell(
        row=1, column=1, value="招商引资任务考核 · 年度数据导入模板 填写说明"
    ).font = HEADER_FONT
    for row, text in enumerate(NOTES, start=2):
        notes.cell(row=row, column=1, value=f"{row - 1}. {text}")
    for sheet, headers in SHEETS.items():
        ws = wb.create_sheet(sheet)
        style_header_row(ws, headers)
        for index, value in enumerate(EXAMPLES[sheet], start=1):
            set_text(ws.cell(row=2, column=index), value)
        for header, values in VALIDATIONS.get(sheet, {}).items():
            _list_validation(ws, headers.index(header) + 1, values())
    wb.save(path_or_file)


def export_year_workbook(year, path_or_file):
    """Write year `year` from the database in the import format (the round trip of SPEC §6).

    Carries every unit, the year's groups, indicators and targets, and every project with an
    approved claim dated in the year: its approved milestones, its shares, and its approved
    monthly investment and funds up to the year's end (the completed-project indicator sums a
    project's investment since it began). Pending claims are left out: the workbook carries the
    verified figures, so importing it with --verified reproduces the year's assessment.
    """
    import datetime

    from django.db.models import Q

    from assessment.models import Indicator, Target
    from projects.models import (
        ClaimStatus,
        CreditShare,
        FundsEntry,
        Milestone,
        MonthlyInvestment,
        Project,
    )
    from units.models import CollaborationGroup, Unit

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
        Project.objects.filter(pk__in=Project.objects.filter(in_year).values("pk"))
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
                NEW_LABEL if p.is_new else CARRIED_LABEL,
                p.total_investment,
                p.contracted_investment,
                *(dates.get((p.pk, kind)) for kind in MILESTONE_COLUMNS.values()),
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
        rows[FUNDS].append([f.project.name, f.date, f.get_source_display(), f.amount])

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, headers in SHEETS.items():
        ws = wb.create_sheet(sheet)
        style_header_row(ws, headers + OPTIONAL_COLUMNS.get(sheet, []))
        for values in rows[sheet]:
            ws.append([None] * len(values))
            for col, value in enumerate(values, start=1):
                cell = set_text(ws.cell(row=ws.max_row, column=col), value)
                if isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
    wb.save(path_or_file)
