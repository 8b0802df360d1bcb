"""The year's intermediary rewards, computed from verified funds only (issue 19 item 4).

Which funds count: the year's approved funds in place, each for its recognised amount (认定金额
when the office set one), under the year's recognition rules — exactly the selection the
assessment engine counts (`assessment.actuals.funds_claims`, approved rows only): not 不予认定,
not of an excluded category, not on the 不予认定清单, registered (备案) when the year requires it.
Pending (not yet verified) funds never count.

Who is rewarded: persons of the registry of kind 中介人 credited as 引资人 on the project
(`Introducer`). The units' own staff and leaders are never rewarded (they stand in 十佳引资功臣).

Several introducers on one project: 十佳引资功臣 credits each introducer with the project's
figures in full — an honour can be given twice, money cannot. So the project's reward,
min(rate × funds, per-project cap), is split equally among the project's intermediaries (an
internal co-introducer takes no share: they are not paid, and their work does not make the
intermediary's smaller). The per-project cap thus holds for the project, not per head.

A person's reward: the sum of their project shares, then min(sum, per-person cap), rounded to
the 分 of 万元 (0.01 万元 = 100 元, the place every amount of the app keeps), and zero when it
is below the year's minimum. Persons whose reward is zero are not listed.

Three queries whatever the number of persons and projects: the rule, funds per project,
introducers of those projects (plus one for the persons and project names).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from assessment.actuals import APPROVED, exact, funds_claims
from assessment.models import AssessmentYear
from projects.models import Introducer, Person, PersonKind, Project
from projects.models.rewards import DEFAULT_RULE, RewardRule

ZERO = Decimal(0)
CENT = Decimal("0.01")
PERMILLE = Decimal(1000)


def rule_for(year_obj):
    """The year's rule, unsaved defaults when the office has not set one."""
    rule = RewardRule.objects.filter(year=year_obj).first()
    return rule or RewardRule(year=year_obj, **DEFAULT_RULE)


def verified_funds(year_obj):
    """{project id: verified funds in place (万元)} of the year — the engine's selection."""
    start, end = datetime.date(year_obj.year, 1, 1), datetime.date(year_obj.year, 12, 31)
    qs = funds_claims(start, end, year_obj.excluded_categories, year_obj.filing_required)
    rows = qs.filter(status=APPROVED).order_by().values("project_id").annotate(total=Sum("counted"))
    return {row["project_id"]: exact(row["total"]) for row in rows if row["total"]}


def compute_rewards(year, rule=None):
    """[{person, funds, amount, basis}] of `year` (an AssessmentYear or its number), biggest
    first; `basis` is [{project_id, name, funds, share, credited, reward}] per project, Decimals.
    `rule` overrides the stored one (a preview)."""
    year_obj = year if isinstance(year, AssessmentYear) else AssessmentYear.objects.get(year=year)
    rule = rule or rule_for(year_obj)
    funds = verified_funds(year_obj)
    credits = (
        Introducer.objects.filter(project_id__in=list(funds), person__kind=PersonKind.INTERMEDIARY)
        .order_by()
        .values_list("project_id", "person_id")
    )
    by_project = {}
    for project_id, person_id in credits:
        by_project.setdefault(project_id, []).append(person_id)
    rate = rule.rate / PERMILLE
    per_person = {}
    for project_id, person_ids in by_project.items():
        pool = min(funds[project_id] * rate, rule.project_cap)
        heads = len(person_ids)
        for person_id in person_ids:
            per_person.setdefault(person_id, []).append(
                {
                    "project_id": project_id,
                    "funds": funds[project_id],
                    "share": heads,
                    "credited": funds[project_id] / heads,
                    "reward": pool / heads,
                }
            )
    rows = []
    for person_id, items in per_person.items():
        total = sum((i["reward"] for i in items), ZERO)
        amount = min(total, rule.person_cap).quantize(CENT, ROUND_HALF_UP)
        if amount <= 0 or amount < rule.minimum:
            continue
        credited = sum((i["credited"] for i in items), ZERO).quantize(CENT, ROUND_HALF_UP)
        rows.append({"person_id": person_id, "funds": credited, "amount": amount, "basis": items})
    if rows:
        persons = Person.objects.in_bulk([r["person_id"] for r in rows])
        project_ids = {i["project_id"] for r in rows for i in r["basis"]}
        names = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "name"))
        for row in rows:
            row["person"] = persons[row["person_id"]]
            for item in row["basis"]:
                item["name"] = names.get(item["project_id"], "")
            row["basis"].sort(key=lambda i: (-i["funds"], i["name"]))
    rows.sort(key=lambda r: (-r["amount"], r["person"].name, r["person_id"]))
    return rows


def basis_json(items):
    """A computed basis as stored on the row (Decimals as strings, rounded to 0.01)."""
    return [
        {
            "project_id": i["project_id"],
            "name": i["name"],
            "funds": str(i["funds"]),
            "share": i["share"],
            "credited": str(i["credited"].quantize(CENT, ROUND_HALF_UP)),
            "reward": str(i["reward"].quantize(CENT, ROUND_HALF_UP)),
        }
        for i in items
    ]
