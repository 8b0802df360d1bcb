"""Which database row each workbook row is (issue 16): the stable identity that makes a corrected
workbook an update, never a second copy. Read-only; a fixed number of queries per workbook.

Decisions:
- A project is identified within the workbook's year by its 项目编号 when the row gives one
  (`Project.code`, written by the year export), else by its name and, when the row gives one, the
  investor's 统一社会信用代码 — never by its 责任单位, so a changed unit is an update of the same
  project (the write guard refuses it once the basis is frozen). Projects terminated before the
  workbook's year are not candidates. A name shared by several candidates, with no 编号, is
  refused at that row: the 编号 says which. A 编号 the database does not know creates the project
  with that 编号 (a year moved into an empty database keeps its codes), unless a project the
  name already identifies has another 编号 — then the row is refused as a mistyped 编号.
- A credit code in the row picks, among the projects of that name, the one with that code, or
  else one with no code yet (the file fills it in); a project whose stored code differs is
  another investor's project.
- A funds row is identified by its 编号 (`FundsEntry.code`) or else by (project, date, source,
  position among the file's rows with that key): `match_funds`. Rows of equal amount pair first,
  so reordering the rows of one day changes nothing, and a changed amount is an update.
- Monthly investment rows are identified by (project, month), milestones by (project, kind):
  both unique in the database.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q

from assessment.workbooks.cells import RowError
from assessment.workbooks.contract import FUNDS, FUNDS_CODE, PROJECT_CODE, PROJECTS
from projects.models import CODE_MAX_LENGTH, FundsEntry, Project, row_code_validator

AMBIGUOUS = (
    "系统中有 {n} 个名为“{name}”的项目（编号 {codes}），无法确定要更新哪一个："
    "请在“项目编号”列填写编号（年度数据导出中可查到）。"
)
CODE_CLASH = (
    "系统中没有编号为“{code}”的项目，而同名项目“{name}”的编号是“{other}”：请核对编号，"
    "或清空编号按项目名称匹配。"
)
SAME_PROJECT = "与第 {row} 行指向系统中的同一个项目（编号 {code}），请核对项目名称和编号。"
FUNDS_OTHER_PROJECT = "编号“{code}”是项目“{name}”的到位资金，不能用于本行的项目。"


def read_code(row, column):
    """The row's 编号 (optional): letters, digits, '-' and '_'."""
    code = row.text(column, required=False, max_length=CODE_MAX_LENGTH)
    if code:
        try:
            row_code_validator(code)
        except ValidationError as exc:
            row.error(column, exc.messages[0])
    return code


def identify_projects(plan, errors):
    """Set each 项目 row's `pk` (None: a new project) or refuse the row. Two queries."""
    rows = plan.projects
    codes = {r["code"] for r in rows if r["code"]}
    by_code = {p.code: p for p in Project.objects.filter(code__in=codes).only("code", "name")}
    running = Q(terminated_on__isnull=True) | Q(terminated_on__year__gte=plan.year)
    by_name = defaultdict(list)
    candidates = Project.objects.filter(running, name__in={r["name"] for r in rows})
    for p in candidates.only("code", "name", "investor_credit_code").order_by("pk"):
        by_name[p.name].append(p)
    taken, kept = {}, []
    for row in rows:
        named = _by_credit_code(by_name[row["name"]], row["investor_credit_code"])
        refusal, column, project = None, PROJECT_CODE, None
        if row["code"] and row["code"] in by_code:
            project = by_code[row["code"]]
        elif row["code"]:
            if len(named) == 1:
                refusal = CODE_CLASH.format(code=row["code"], name=row["name"], other=named[0].code)
        elif len(named) == 1:
            project = named[0]
        elif named:
            codes_text = "、".join(p.code for p in named)
            refusal = AMBIGUOUS.format(n=len(named), name=row["name"], codes=codes_text)
            column = "项目名称"
        if refusal is None and project is not None and project.pk in taken:
            refusal = SAME_PROJECT.format(row=taken[project.pk], code=project.code)
            column = "项目名称"
        if refusal:
            errors.append(RowError(PROJECTS, row["row"], column, refusal))
            continue
        row["pk"] = project.pk if project else None
        if project is not None:
            taken[project.pk] = row["row"]
        kept.append(row)
    plan.projects = kept


def _by_credit_code(projects, credit_code):
    if not credit_code:
        return projects
    same = [p for p in projects if p.investor_credit_code == credit_code]
    return same or [p for p in projects if not p.investor_credit_code]


def check_funds_codes(plan, errors):
    """A funds 编号 already stored belongs to the row's own project. One query."""
    codes = {r["code"] for r in plan.funds if r["code"]}
    if not codes:
        return
    owners = {
        code: (project_id, name)
        for code, project_id, name in FundsEntry.objects.filter(code__in=codes).values_list(
            "code", "project_id", "project__name"
        )
    }
    pks = {r["name"]: r.get("pk") for r in plan.projects}
    pks.update(plan.db_projects)
    kept = []
    for row in plan.funds:
        owner = owners.get(row["code"])
        if owner and owner[0] != pks.get(row["project"]):
            message = FUNDS_OTHER_PROJECT.format(code=row["code"], name=owner[1])
            errors.append(RowError(FUNDS, row["row"], FUNDS_CODE, message))
            continue
        kept.append(row)
    plan.funds = kept


def match_funds(rows, entries):
    """[entry or None for each row]: the stored entry each funds row is (None: a new one).

    `rows` are plan rows with `project_id` set; `entries` the stored entries of their projects,
    in the order they were entered. A row with a 编号 is the entry of that 编号; the others are
    matched within their (project, date, source): equal amounts first, then by position."""
    by_code = {e.code: e for e in entries}
    file_codes = {r["code"] for r in rows if r["code"]}
    pools = defaultdict(list)
    for entry in entries:
        if entry.code not in file_codes:
            pools[(entry.project_id, entry.date, entry.source)].append(entry)
    matched = [None] * len(rows)
    groups = defaultdict(list)
    for i, row in enumerate(rows):
        if row["code"]:
            matched[i] = by_code.get(row["code"])
        else:
            groups[(row["project_id"], row["date"], row["source"])].append(i)
    for key, indices in groups.items():
        pool, rest = pools.get(key, []), []
        for i in indices:
            same = next((e for e in pool if e.amount == rows[i]["amount"]), None)
            if same is None:
                rest.append(i)
            else:
                pool.remove(same)
                matched[i] = same
        for i in rest:
            matched[i] = pool.pop(0) if pool else None
    return matched
