"""Validation of an import workbook (SPEC §6): every sheet's rows checked cell by cell against the
contract and the database, into a Plan that `assessment.workbooks.apply` writes. Every bad cell is
a RowError on its row; nothing here writes.

Decisions:
- An unknown 产业 (industry) is not an error: `apply` creates it and the report lists it.
- A unit belongs to one group per year, counting the groups this workbook does not redefine.
- Claim sheets (分成, 固定资产投资, 到位资金) name projects of the 项目 sheet, or one existing
  project of that name.
- Which stored row each row is — 项目编号, else name (+ 统一社会信用代码), never the unit; funds by
  编号 or (project, date, source, position) — is `assessment.workbooks.identity`. Two equal
  tranches on one day are two rows, not a duplicate.
- A share is read as a percentage whether typed 60 or 60% (or a cell formatted as a percentage).
- 新引进/结转 is a fact of an assessment year (SPEC §3), and the 项目 sheet's column is read as
  the value of the year the workbook is for (`workbook_year`): the latest 年度 its 协作组, 考核指标
  and 目标 rows name (one workbook moves one year), or, when it names none (projects and claims
  only), the current year. Earlier years are never touched by it.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from assessment.models import MAX_TARGET, DisplayUnit, Indicator, IndicatorKind, InvestmentBasis
from assessment.workbooks.contract import (
    FUNDS,
    FUNDS_CODE,
    FUNDS_REGION,
    GROUPS,
    INDICATORS,
    INVESTMENTS,
    MILESTONE_COLUMNS,
    NEWNESS,
    NO,
    PROJECT_CODE,
    PROJECTS,
    SHARES,
    TARGETS,
    UNITS,
    YES,
    category_labels,
    labels,
)
from assessment.workbooks.identity import check_funds_codes, identify_projects, read_code
from projects.models import FundsRegion, FundsSource, MilestoneKind, Project, credit_code_validator
from projects.newness import current_year
from units.models import CollaborationGroup, GroupMembership, Unit, UnitType

CODE_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
MEMBER_SPLIT = re.compile(r"[、,，;；]")
INDICATOR_FIELD_COLUMNS = {
    "milestone": "节点",
    "investment_basis": "投资口径",
    "funds_source": "资金来源",
    "display_unit": "类型",
    "threshold": "门槛(万元)",
}


@dataclass
class Plan:
    units: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    shares: dict = field(default_factory=dict)  # project name → [(unit name, percent)]
    investments: list = field(default_factory=list)
    funds: list = field(default_factory=list)
    db_projects: dict = field(default_factory=dict)  # name → pk, for names not in 项目
    year: int | None = None  # the year the workbook is for (`workbook_year`)
    sheets: frozenset = frozenset()  # the sheets the workbook has (absent: nothing removed)
    apply_removals: bool = False  # delete what the file no longer has (the user confirmed)


def validate(sheets, errors):
    plan = Plan(sheets=frozenset(sheets))
    known_units = set(Unit.objects.values_list("name", flat=True))
    _units(sheets.get(UNITS, []), plan, known_units)
    _groups(sheets.get(GROUPS, []), plan, known_units, errors)
    _indicators(sheets.get(INDICATORS, []), plan)
    _targets(sheets.get(TARGETS, []), plan, known_units)
    refs = []  # (row, project name) of the claim sheets, resolved together below
    _projects(sheets.get(PROJECTS, []), plan, known_units)
    _shares(sheets.get(SHARES, []), plan, known_units, refs)
    _investments(sheets.get(INVESTMENTS, []), plan, refs)
    _funds(sheets.get(FUNDS, []), plan, refs)
    _resolve_projects(plan, refs)
    plan.year = workbook_year(plan)
    identify_projects(plan, errors)
    check_funds_codes(plan, errors)
    return plan


def workbook_year(plan):
    """The assessment year a workbook is for, whose 新引进/结转 its 项目 sheet gives: the latest
    年度 of its 协作组, 考核指标 and 目标 rows, else (a workbook of projects and claims only) the
    current year."""
    years = {row["year"] for rows in (plan.groups, plan.indicators, plan.targets) for row in rows}
    years.discard(None)
    return max(years) if years else current_year()


def _duplicate(row, seen, key, column, what):
    if key in seen:
        row.error(column, f"{what}重复（与第 {seen[key]} 行相同）。")
        return True
    seen[key] = row.number
    return False


def _unit(row, column, known_units):
    name = row.text(column, max_length=100)
    if name and name not in known_units:
        row.error(column, f"未知单位“{name}”（请先在“单位”表中列出或在系统中建立该单位）。")
        return None
    return name


def _units(rows, plan, known_units):
    seen = {}
    for row in rows:
        name = row.text("单位名称", max_length=100)
        unit_type = row.choice("单位类型", labels(UnitType), what="单位类型")
        head = row.text("负责人", required=False, max_length=50)
        if name and _duplicate(row, seen, name, "单位名称", "单位名称"):
            continue
        if row.ok:
            known_units.add(name)
            plan.units.append({"name": name, "unit_type": unit_type, "head_name": head})


def _groups(rows, plan, known_units, errors):
    seen, member_of = {}, {}
    for row in rows:
        year = row.year("年度")
        name = row.text("协作组", max_length=50)
        leader = row.text("组长", max_length=50)
        lead = _unit(row, "牵头单位", known_units)
        members_text = row.text("成员单位", required=False, max_length=5000)
        members = []
        for member in (m.strip() for m in MEMBER_SPLIT.split(members_text or "")):
            if not member:
                continue
            if member not in known_units:
                row.error("成员单位", f"未知单位“{member}”。")
            elif member in members:
                row.error("成员单位", f"成员单位“{member}”重复列出。")
            elif (year, member) in member_of:
                other = member_of[(year, member)]
                row.error(
                    "成员单位", f"“{member}”在 {year} 年已属于{other}，每年只能属于一个协作组。"
                )
            else:
                members.append(member)
                member_of[(year, member)] = name
        if year and name and _duplicate(row, seen, (year, name), "协作组", "同一年度的协作组"):
            continue
        if row.ok:
            plan.groups.append(
                {"year": year, "name": name, "leader_name": leader, "lead": lead,
                 "members": members, "row": row}
            )  # fmt: skip
    # A unit already in a group of that year that this workbook does not redefine.
    listed = {(g["year"], g["name"]) for g in plan.groups}
    existing = GroupMembership.objects.filter(year__in={y for y, _n in listed}).values_list(
        "year", "unit__name", "group__name"
    )
    for year, unit_name, group_name in existing:
        owner = member_of.get((year, unit_name))
        if owner and owner != group_name and (year, group_name) not in listed:
            row = next(g["row"] for g in plan.groups if (g["year"], g["name"]) == (year, owner))
            row.error(
                "成员单位", f"“{unit_name}”在 {year} 年已属于{group_name}，每年只能属于一个协作组。"
            )


def _yes_no(row, column):
    value = row.raw(column)
    if value in (None, NO, "否", False):
        return False
    if value in (YES, True):
        return True
    row.error(column, f"请填写“是”或“否”，而不是“{value}”。")
    return False


def _indicators(rows, plan):
    seen = {}
    for row in rows:
        year = row.year("年度")
        code = row.text("代码", max_length=40)
        if code and not CODE_PATTERN.match(code):
            row.error("代码", "指标代码只能包含字母、数字、下划线和连字符。")
        values = {
            "name": row.text("名称", max_length=100),
            "kind": row.choice("类型", labels(IndicatorKind), what="指标类型"),
            "milestone": row.choice("节点", labels(MilestoneKind), required=False, what="节点"),
            "investment_basis": row.choice(
                "投资口径", labels(InvestmentBasis), required=False, what="投资口径"
            ),
            "threshold": row.decimal("门槛(万元)", required=False, what="门槛"),
            "new_only": _yes_no(row, "仅新引进"),
            "funds_source": row.choice(
                "资金来源", labels(FundsSource), required=False, what="资金来源"
            ),
            "weight": row.decimal("权重", maximum=Decimal("9999"), what="权重"),
            "display_unit": row.choice(
                "显示单位", labels(DisplayUnit), required=False, what="显示单位"
            ),
        }
        if values["weight"] is not None and values["weight"] <= 0:
            row.error("权重", "权重必须大于 0。")
        if not values["display_unit"] and values["kind"]:
            count = values["kind"] == IndicatorKind.MILESTONE_COUNT
            values["display_unit"] = DisplayUnit.COUNT if count else DisplayUnit.WAN
        if row.ok:
            try:
                Indicator(**values).clean()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        row.error(INDICATOR_FIELD_COLUMNS.get(name, "类型"), message)
        if year and code and _duplicate(row, seen, (year, code), "代码", "同一年度的指标代码"):
            continue
        if row.ok:
            plan.indicators.append({"year": year, "code": code, "order": row.number, **values})


def _targets(rows, plan, known_units):
    group_names = {(g["year"], g["name"]) for g in plan.groups}
    group_names |= set(CollaborationGroup.objects.values_list("year", "name"))
    codes = {(i["year"], i["code"]) for i in plan.indicators}
    codes |= set(Indicator.objects.values_list("year__year", "code"))
    seen = {}
    for row in rows:
        year = row.year("年度")
        target = row.text("对象", max_length=100)
        code = row.text("指标代码", max_length=40)
        value = row.decimal("年度目标", maximum=MAX_TARGET, what="目标")
        is_group = (year, target) in group_names
        if target and year and not is_group and target not in known_units:
            row.error("对象", f"未知的单位或协作组“{target}”（{year} 年）。")
        if code and year and (year, code) not in codes:
            row.error("指标代码", f"未知的指标代码“{code}”（{year} 年度没有该指标）。")
        key = (year, target, code)
        if row.ok and not _duplicate(row, seen, key, "指标代码", "同一对象同一指标的目标"):
            plan.targets.append(
                {"year": year, "target": target, "is_group": is_group, "code": code, "value": value}
            )


def _projects(rows, plan, known_units):
    seen, seen_codes = {}, {}
    categories = category_labels()
    for row in rows:
        name = row.text("项目名称", max_length=200)
        unit = _unit(row, "责任单位", known_units)
        code = read_code(row, PROJECT_CODE)
        if code:
            _duplicate(row, seen_codes, code, PROJECT_CODE, "项目编号在工作簿内")
        credit_code = row.text("统一社会信用代码", required=False, max_length=18)
        if credit_code:
            try:
                credit_code_validator(credit_code)
            except ValidationError as exc:
                row.error("统一社会信用代码", exc.messages[0])
        newness = row.choice("新引进/结转", NEWNESS, what="新引进/结转")
        values = {
            "investor_name": row.text("投资方", max_length=200),
            "investor_credit_code": credit_code,
            "industry": row.text("产业", max_length=50),
            "category": row.choice("类别", categories, what="项目类别"),
            "is_new": newness,
            "total_investment": row.amount("总投资(万元)"),
            "contracted_investment": row.amount("合同投资(万元)", required=False) or Decimal(0),
        }
        total, contracted = values["total_investment"], values["contracted_investment"]
        if total is not None and contracted > total:
            row.error("合同投资(万元)", "合同投资不能大于总投资。")
        dates, previous = {}, None
        for column, kind in MILESTONE_COLUMNS.items():
            day = row.date(column)
            if day is None:
                continue
            if previous and day < previous[1]:
                row.error(
                    column, f"{column[:2]}日期早于{previous[0][:2]}日期（应签约≤开工≤竣工）。"
                )
            previous = (column, day)
            dates[kind] = day
        if name and _duplicate(row, seen, name, "项目名称", "项目名称在工作簿内"):
            continue
        if row.ok:
            plan.projects.append(
                {"name": name, "unit": unit, "code": code, "dates": dates, "row": row.number,
                 **values}
            )  # fmt: skip


def _shares(rows, plan, known_units, refs):
    seen, by_project = {}, defaultdict(list)
    for row in rows:
        project = row.text("项目名称", max_length=200)
        unit = _unit(row, "单位", known_units)
        percent = row.decimal("比例(%)", maximum=Decimal(100), what="比例", percent=True)
        if percent is not None and percent <= 0:
            row.error("比例(%)", "分成比例必须大于 0。")
        if (
            project
            and unit
            and _duplicate(row, seen, (project, unit), "单位", "同一项目的分成单位")
        ):
            continue
        if row.ok:
            by_project[project].append((row, unit, percent))
            refs.append((row, project))
    for project, entries in by_project.items():
        total = sum(percent for _row, _unit_name, percent in entries)
        if total != 100:
            # Fractions (0.6 + 0.4) are a share typed as a ratio, not as a percentage.
            hint = "（比例请填写百分数，如 60 或 60% 表示 60%）" if total == 1 else ""
            entries[0][0].error(
                "比例(%)",
                f"项目“{project}”的分成比例合计为 {total.normalize():f}%，应为 100%。{hint}",
            )
            continue
        plan.shares[project] = [(unit, percent) for _row, unit, percent in entries]


def _investments(rows, plan, refs):
    seen = {}
    for row in rows:
        project = row.text("项目名称", max_length=200)
        month = row.month("月份")
        amount = row.amount("金额(万元)")
        key = (project, month)
        if project and month and _duplicate(row, seen, key, "月份", "同一项目同一月份的投资"):
            continue
        if row.ok:
            plan.investments.append(
                {"project": project, "month": month, "amount": amount, "row": row.number}
            )
            refs.append((row, project))


def _funds(rows, plan, refs):
    """Two rows of one project, day, source and amount are two tranches (issue 16), not a
    duplicate; only a repeated 编号 is."""
    seen = {}
    sources = labels(FundsSource)
    regions = labels(FundsRegion)
    for row in rows:
        project = row.text("项目名称", max_length=200)
        day = row.date("日期", required=True)
        source = row.choice("来源", sources, what="资金来源")
        amount = row.amount("金额(万元)")
        code = read_code(row, FUNDS_CODE)
        if code:
            _duplicate(row, seen, code, FUNDS_CODE, "到位资金编号")
        region = None  # no 资金来源地 cell: the stored one stays
        if FUNDS_REGION in row.values:
            region = row.choice(FUNDS_REGION, regions, required=False, what="资金来源地")
        if row.ok:
            plan.funds.append(
                {"project": project, "date": day, "source": source, "amount": amount,
                 "code": code, "region": region, "row": row.number}
            )  # fmt: skip
            refs.append((row, project))


def _resolve_projects(plan, refs):
    """Claim sheets name projects of the 项目 sheet, or (if absent there) one existing project."""
    in_workbook = {p["name"] for p in plan.projects}
    wanted = {name for _row, name in refs if name not in in_workbook}
    found = defaultdict(list)
    for pk, name in Project.objects.filter(name__in=wanted).values_list("pk", "name"):
        found[name].append(pk)
    for row, name in refs:
        if name in in_workbook:
            continue
        matches = found.get(name, [])
        if len(matches) == 1:
            plan.db_projects[name] = matches[0]
        elif not matches:
            row.error("项目名称", f"未知项目“{name}”（请在“项目”表中列出该项目）。")
        else:
            row.error(
                "项目名称", f"系统中有多个名为“{name}”的项目，请在“项目”表中列出以确定责任单位。"
            )
    # Drop claim rows whose project could not be resolved (their errors are recorded).
    known = in_workbook | set(plan.db_projects)
    plan.investments = [i for i in plan.investments if i["project"] in known]
    plan.funds = [f for f in plan.funds if f["project"] in known]
    plan.shares = {k: v for k, v in plan.shares.items() if k in known}
