"""Structure analysis (the seeds' 三多一少 / 三多三少) and the 十佳引资功臣 ranking.

Structure: the projects of a year — signed in that year (by the signing milestone's date, any
status but rejected), or, not yet signed, registered in that year — counted and summed by size
band, category, industry, origin, high-tech flag and stage. Terminated projects are left out. One
aggregate query per breakdown (values().annotate()), whatever the number of projects.

Contributors: persons of the registry (引资人: staff, leaders, intermediaries) ranked by the
verified results of the projects credited to them in a year — contracted investment of projects
whose approved signing falls in the year, plus approved funds in place dated in the year. Two
aggregate queries, plus one each for the shown persons and their projects' names.
"""

from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When

from assessment.dashboard.numbers import num
from assessment.totals import ratio_pct
from projects.models import (
    EXTERNAL_KINDS,
    INTERNAL_KINDS,
    Category,
    ClaimStatus,
    FundsEntry,
    Introducer,
    Origin,
    Person,
    Project,
    Stage,
    counted_amount,
)
from units import access

ZERO = Decimal(0)
YI = Decimal(10000)

# Size bands by total investment, in 万元 (1 亿 = 10000 万元): (code, label, lower bound).
SIZE_BANDS = [
    ("lt5000", "5000万元以下", Decimal(0)),
    ("5000_1y", "5000万元–1亿元", Decimal(5000)),
    ("1y_10y", "1–10亿元", YI),
    ("10y_50y", "10–50亿元", 10 * YI),
    ("50y_100y", "50–100亿元", 50 * YI),
    ("ge100y", "100亿元及以上", 100 * YI),
]
# Origins as the seeds group them: 内资, 港资, 台资, other foreign (澳资 and 外资).
ORIGIN_GROUPS = [
    ("domestic", "内资", {Origin.DOMESTIC}),
    ("hk", "港资", {Origin.HONGKONG}),
    ("taiwan", "台资", {Origin.TAIWAN}),
    ("foreign", "其他外资", {Origin.MACAO, Origin.FOREIGN}),
]
STAGE_GROUPS = [
    ("洽谈", {Stage.LEAD, Stage.NEGOTIATING}),
    ("签约", {Stage.SIGNED}),
    ("开工", {Stage.STARTED}),
    ("竣工投产", {Stage.COMPLETED, Stage.PRODUCING}),
]


def size_band_expression():
    """CASE over total investment → band code (upper bounds exclusive)."""
    whens = []
    for (code, _label, _low), (_n, _l, upper) in zip(SIZE_BANDS, SIZE_BANDS[1:], strict=False):
        whens.append(When(total_investment__lt=upper, then=Value(code)))
    return Case(*whens, default=Value(SIZE_BANDS[-1][0]), output_field=CharField())


def year_projects(user, year, group=None, unit=None):
    """The projects of `year` the user may read, optionally of one group's members or one unit."""
    qs = (
        Project.objects.visible_to(user)
        .exclude(stage=Stage.TERMINATED)
        .filter(Q(signed_on__year=year) | Q(signed_on__isnull=True, created__year=year))
    )
    if group is not None:
        qs = qs.filter(unit__memberships__group=group)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def _breakdown(qs, field):
    """{value: (count, total investment)} grouped by `field` — one query."""
    rows = qs.order_by().values(field).annotate(n=Count("pk"), total=Sum("total_investment"))
    return {row[field]: (row["n"], row["total"] or ZERO) for row in rows}


def _rows(found, order):
    """[{name, count, investment}] in `order` [(key or keys, label)], zeros kept."""
    out = []
    for keys, label in order:
        keys = keys if isinstance(keys, set) else {keys}
        count = sum(found.get(k, (0, ZERO))[0] for k in keys)
        total = sum((found.get(k, (0, ZERO))[1] for k in keys), ZERO)
        out.append({"name": label, "count": count, "investment": total})
    return out


def _chart(rows, kind="bar"):
    """Bars of project counts with investment (万元) beside them."""
    if kind == "pie":
        return {
            "type": "pie",
            "unit": "个",
            "data": [{"name": r["name"], "value": r["count"]} for r in rows],
        }
    return {
        "type": "bar",
        "unit": "",
        "units": ["个", "亿元"],
        "categories": [r["name"] for r in rows],
        "series": [
            {"name": "项目数（个）", "data": [r["count"] for r in rows]},
            {"name": "总投资（亿元）", "data": [num(r["investment"] / YI) for r in rows]},
        ],
    }


def structure_data(user, year, group=None, unit=None):
    """Every breakdown of the year's projects, with chart specs. A fixed number of queries."""
    qs = year_projects(user, year, group, unit)
    sizes = _rows(
        _breakdown(qs.annotate(band=size_band_expression()), "band"),
        [(code, label) for code, label, _low in SIZE_BANDS],
    )
    categories = _rows(_breakdown(qs, "category"), list(Category.choices))
    industries = _breakdown(qs, "industry__name")
    industry_rows = sorted(
        _rows(industries, [(name, name) for name in industries]),
        key=lambda r: (-r["count"], -r["investment"], r["name"]),
    )
    origins = _rows(_breakdown(qs, "origin"), [(keys, label) for _c, label, keys in ORIGIN_GROUPS])
    stages = _rows(_breakdown(qs, "stage"), [(keys, label) for label, keys in STAGE_GROUPS])
    tech = _breakdown(qs, "is_high_tech")
    tech_rows = _rows(tech, [(True, "高新技术项目"), (False, "其他项目")])
    count_all = sum(r["count"] for r in tech_rows)
    invest_all = sum((r["investment"] for r in tech_rows), ZERO)
    high_tech = {
        "count": tech_rows[0]["count"],
        "count_share": ratio_pct(tech_rows[0]["count"], count_all),
        "investment": tech_rows[0]["investment"],
        "investment_share": ratio_pct(tech_rows[0]["investment"], invest_all),
    }
    return {
        "year": year,
        "group": group,
        "unit": unit,
        "count": count_all,
        "investment": invest_all,
        "sizes": sizes,
        "categories": categories,
        "industries": industry_rows,
        "origins": origins,
        "stages": stages,
        "tech": tech_rows,
        "high_tech": high_tech,
        "charts": {
            "sizes": _chart(sizes),
            "categories": _chart(categories),
            "industries": _chart(industry_rows),
            "origins": _chart(origins, "pie"),
            "stages": _chart(stages),
            "tech": _chart(tech_rows, "pie"),
        },
    }


# --- 十佳引资功臣 -------------------------------------------------------------------------------

# The switch of 十佳引资功臣: 内部 (units' staff and leaders), 外部 (intermediaries), or both.
SIDES = {
    "all": ("全部", None),
    "internal": ("内部（干部职工、市县领导）", INTERNAL_KINDS),
    "external": ("外部（中介人）", EXTERNAL_KINDS),
}


def credited_figures(user, year, kinds=None, person_ids=None):
    """{person id: {project id: [contracted, funds]}}: what each registry person is credited with
    in `year` on the projects the user may read — the contracted investment of a project whose
    approved signing falls in the year, and the approved funds in place dated in the year at their
    counted amount (the 认定金额 where set; 不予认定 left out — SPEC §4, as the engine counts). Two
    queries whatever the number of persons (a person is credited once per project).

    Speed (issue 19: 十佳引资功臣 at M under 300 ms): the signing is read from the project's
    verified signing date (`Project.signed_on`, kept by `services.sync_stages` on every path that
    moves a milestone) instead of a join over milestones; funds are summed per project for the
    credited projects only and paired with their introducers in Python; and the visibility
    subquery is left out for those who read everything (it made SQLite walk every project)."""
    people = Introducer.objects.all()
    if not access.sees_everything(user):
        people = people.filter(project__in=Project.objects.visible_to(user).values("pk"))
    if kinds is not None:
        people = people.filter(person__kind__in=kinds)
    if person_ids is not None:
        people = people.filter(person_id__in=person_ids)
    funded = dict(
        FundsEntry.objects.filter(
            status=ClaimStatus.APPROVED,
            not_recognised=False,
            date__year=year,
            project_id__in=people.values("project_id"),
        )
        .order_by()
        .values("project_id")
        # At the counted amount (the 认定金额 where the office set one), as the engine counts.
        .annotate(total=Sum(counted_amount()))
        .values_list("project_id", "total")
    )
    # Every credit's pair, with the contracted investment only where the verified signing falls
    # in the year (NULL otherwise, so the rows not signed cost no Decimal conversion): a covering
    # index scan and one primary-key lookup each — cheaper than any join over claims.
    contracted = Case(
        When(project__signed_on__year=year, then="project__contracted_investment"), default=None
    )
    pairs = (
        people.order_by()
        .annotate(contracted=contracted)
        .values_list("person_id", "project_id", "contracted")
    )
    out = {}
    for person_id, project_id, signed in pairs:
        if signed is not None or project_id in funded:
            out.setdefault(person_id, {})[project_id] = [
                signed or ZERO,
                funded.get(project_id) or ZERO,
            ]
    return out


def top_contributors(user, year, limit=10, side="all"):
    """[{rank, person, projects, contracted, funds, total, items}] best first: registry persons
    (not name strings — 孙强 on four projects is one row with their sum) ranked by what they are
    credited with in the year (`credited_figures`); a project with several introducers credits
    each of them in full. `side` is a key of SIDES. `items` are the projects behind the figure.
    Ties share a rank. Four queries whatever the number of persons."""
    figures = credited_figures(user, year, kinds=SIDES.get(side, SIDES["all"])[1])
    rows = []
    for person_id, projects in figures.items():
        contracted = sum((f[0] for f in projects.values()), ZERO)
        funds = sum((f[1] for f in projects.values()), ZERO)
        if contracted + funds > 0:
            rows.append(
                {
                    "person_id": person_id,
                    "contracted": contracted,
                    "funds": funds,
                    "total": contracted + funds,
                    "by_project": projects,
                }
            )
    rows.sort(key=lambda r: (-r["total"], r["person_id"]))
    # Sorted by total, a row's shared rank is 1 + the index of its total's first row ("1, 2, 2,
    # 4"): one pass, where comparing every pair took 4.2 s at 500 units (issue 19). The list is
    # cut at the first rank past `limit`.
    shown, rank = [], 0
    for index, row in enumerate(rows):
        if index == 0 or row["total"] != rows[index - 1]["total"]:
            rank = index + 1
        if rank > limit:
            break
        row["rank"] = rank
        shown.append(row)
    persons = Person.objects.select_related("unit").in_bulk([r["person_id"] for r in shown])
    names = dict(
        Project.objects.filter(pk__in={p for r in shown for p in r["by_project"]}).values_list(
            "pk", "name"
        )
    )
    for row in shown:
        row["person"] = persons[row["person_id"]]
        row["items"] = sorted(
            (
                {"project_id": pk, "name": names.get(pk, ""), "contracted": c, "funds": f}
                for pk, (c, f) in row.pop("by_project").items()
            ),
            key=lambda item: (-(item["contracted"] + item["funds"]), item["name"]),
        )
        row["projects"] = len(row["items"])
    # Equal totals in the order of the persons' names, as the printed list reads.
    shown.sort(key=lambda r: (r["rank"], r["person"].name, r["person_id"]))
    return shown
