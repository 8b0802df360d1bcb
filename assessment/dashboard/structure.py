"""Structure analysis (the seeds' 三多一少 / 三多三少) and the 十佳引资功臣 ranking.

Structure: the projects of a year — signed in that year (by the signing milestone's date, any
status but rejected), or, not yet signed, registered in that year — counted and summed by size
band, category, industry, origin, high-tech flag and stage. Terminated projects are left out. One
aggregate query per breakdown (values().annotate()), whatever the number of projects.

Contributors: introducers (引资人/中介人) ranked by the verified results of the projects credited
to them in a year — contracted investment of projects whose approved signing falls in the year,
plus approved funds in place dated in the year. Two aggregate queries.
"""

from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When

from assessment.dashboard.numbers import num
from assessment.totals import ratio_pct
from projects.models import (
    Category,
    ClaimStatus,
    Introducer,
    MilestoneKind,
    Origin,
    Project,
    Stage,
)

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


def top_contributors(user, year, limit=10):
    """[{rank, name, organisation, is_intermediary, projects, contracted, funds, total}] best
    first. The same person (name + organisation) on several projects is one row; a project with
    several introducers credits each of them in full. Ties share a rank."""
    people = Introducer.objects.filter(project__in=Project.objects.visible_to(user).values("pk"))
    key = ("name", "organisation", "is_intermediary")
    signed = (
        people.filter(
            project__milestones__kind=MilestoneKind.SIGNED,
            project__milestones__status=ClaimStatus.APPROVED,
            project__milestones__date__year=year,
        )
        .order_by()
        .values(*key)
        .annotate(
            contracted=Sum("project__contracted_investment"),
            n=Count("project", distinct=True),
        )
    )
    funds = (
        people.filter(project__funds__status=ClaimStatus.APPROVED, project__funds__date__year=year)
        .order_by()
        .values(*key)
        .annotate(funds=Sum("project__funds__amount"))
    )
    merged = {}
    for row in signed:
        k = tuple(row[f] for f in key)
        merged[k] = {"contracted": row["contracted"] or ZERO, "funds": ZERO, "projects": row["n"]}
    for row in funds:
        k = tuple(row[f] for f in key)
        entry = merged.setdefault(k, {"contracted": ZERO, "funds": ZERO, "projects": 0})
        entry["funds"] = row["funds"] or ZERO
    rows = [
        {
            "name": k[0],
            "organisation": k[1],
            "is_intermediary": k[2],
            "projects": v["projects"],
            "contracted": v["contracted"],
            "funds": v["funds"],
            "total": v["contracted"] + v["funds"],
        }
        for k, v in merged.items()
        if v["contracted"] + v["funds"] > 0
    ]
    rows.sort(key=lambda r: (-r["total"], r["name"]))
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
    return shown
