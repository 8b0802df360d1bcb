"""Write a validated import plan (`assessment.workbooks.validation`). Runs inside the import's
transaction; anything refused here is added to the report's errors and the caller rolls everything
back.

Natural keys make a re-import change nothing: units by name; groups by (year, name);
indicators by (year, code); targets by (indicator, unit/group); projects by 项目编号, else
name (+ 统一社会信用代码) — never by unit (`assessment.workbooks.identity`, issue 16);
milestones by (project, kind); investments by (project, month); funds by 编号, else
(project, date, source, position); 新引进/结转 by (project, workbook year), recorded only
where it differs from the default. What changes is listed cell by cell in the report
(`assessment.workbooks.changes`); the claims are written by `assessment.workbooks.apply_claims`.
"""

from contextlib import nullcontext

from assessment.defaults import DEFAULT_EXCLUDED_CATEGORIES
from assessment.models import AssessmentYear, Indicator, Target
from assessment.workbooks import apply_claims, changes
from assessment.workbooks.apply_claims import MILESTONES  # noqa: F401 - the report's line
from assessment.workbooks.contract import GROUPS, INDICATORS, PROJECTS, SHARES, TARGETS, UNITS
from assessment.workbooks.writer import BATCH, VERIFIED_REASON, Writer
from projects import newness, services
from projects.models import Category, CreditShare, Industry, NewnessOverride, Project
from units.models import CollaborationGroup, GroupMembership, Unit
from zhaoshang.guarded import Frozen, building, trusted

# Report lines for what the workbook has no sheet of its own for (and MILESTONES, 项目节点).
INDUSTRIES = "产业"
# Where in the 项目 sheet a refused project field or milestone is typed.
BASIS_COLUMNS = {
    "unit": "责任单位",
    "category": "类别",
    "total_investment": "总投资(万元)",
    "contracted_investment": "合同投资(万元)",
}


def _changed(obj, values):
    """Set values that differ; True when anything did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def apply_plan(plan, report, verified=False, user=None):
    """Write the plan through the write guard; a `--verified` import of historical data writes
    its claims approved, as the recorded path `zhaoshang.guarded.trusted` allows."""
    if verified:
        with trusted(VERIFIED_REASON):
            _apply(plan, report, verified, user)
    else:
        _apply(plan, report, verified, user)


def _apply(plan, report, verified, user):
    w = Writer(report, verified, user)
    units = _units(plan, w)
    groups = _groups(plan, w, units)
    indicators = _indicators(plan, w)
    _targets(plan, w, units, groups, indicators)
    by_name = _projects(plan, w, units)
    for project in Project.objects.filter(pk__in=plan.db_projects.values()):
        by_name[project.name] = project
    _shares(plan, w, units, by_name)
    apply_claims.investments(plan, w, by_name)
    apply_claims.funds(plan, w, by_name)
    w.flush()
    _newness(plan, w, by_name)
    # The stage follows verified milestones only (an imported date waiting for verification
    # moves nothing); a verified import's milestones are approved by now.
    services.sync_stages({p.pk for p in by_name.values()}, user)


def _units(plan, w):
    units = {u.name: u for u in Unit.objects.all()}
    for row in plan.units:
        unit = units.get(row["name"])
        values = {"unit_type": row["unit_type"], "head_name": row["head_name"]}
        if unit is None:
            units[row["name"]] = unit = Unit(name=row["name"], **values)
            w.save(unit, UNITS, True)
        elif _changed(unit, values):
            w.save(unit, UNITS, False)
        else:
            w.report.count(UNITS, "unchanged")
    return units


def _groups(plan, w, units):
    """Groups by (year, name) and their members. Every change goes through the guard: a
    published year's groups and memberships are refused with the group's name."""
    years = {g["year"] for g in plan.groups}
    existing = {
        (g.year, g.name): g
        for g in CollaborationGroup.objects.filter(year__in=years).prefetch_related("memberships")
    }
    # Free every listed unit first, so a unit moving between two listed groups does not clash.
    for row in plan.groups:
        group = existing.get((row["year"], row["name"]))
        wanted = {units[m].pk for m in row["members"]}
        if group is not None:
            label = f"协作组“{group.name}”（{group.year} 年）"
            stale = [m for m in group.memberships.all() if m.unit_id not in wanted]
            for membership in stale:
                w.delete(membership, GROUPS, label)
            row["_stale"] = bool(stale)
    for row in plan.groups:
        key = (row["year"], row["name"])
        group = existing.get(key)
        label = f"协作组“{row['name']}”（{row['year']} 年）"
        values = {"leader_name": row["leader_name"], "lead_unit_id": units[row["lead"]].pk}
        created = group is None
        if created:
            group = CollaborationGroup(year=row["year"], name=row["name"], **values)
            if not w.save(group, GROUPS, True, label):
                continue
            existing[key] = group
        changed = _changed(group, values) if not created else False
        if changed and not w.save(group, GROUPS, False, label):
            continue
        current = set(group.memberships.values_list("unit_id", flat=True))
        added = [units[m].pk for m in row["members"] if units[m].pk not in current]
        for unit_id in added:
            membership = GroupMembership(group=group, unit_id=unit_id, year=group.year)
            try:
                membership.save()
            except Frozen as exc:
                w.refuse(GROUPS, "", f"{label}：{exc.message}")
        if not created and not changed:
            w.report.count(GROUPS, "updated" if added or row.get("_stale") else "unchanged")
    return existing


def _year(year_cache, year):
    if year not in year_cache:
        year_cache[year], _created = AssessmentYear.objects.get_or_create(
            year=year, defaults={"excluded_categories": list(DEFAULT_EXCLUDED_CATEGORIES)}
        )
    return year_cache[year]


def _indicators(plan, w):
    years = {}
    indicators = {(i.year.year, i.code): i for i in Indicator.objects.select_related("year").all()}
    fields = [
        "name",
        "kind",
        "milestone",
        "investment_basis",
        "threshold",
        "new_only",
        "funds_source",
        "weight",
        "display_unit",
    ]
    for row in plan.indicators:
        key = (row["year"], row["code"])
        values = {name: row[name] for name in fields}
        indicator = indicators.get(key)
        year = _year(years, row["year"])
        if indicator is None:
            if year.rules_locked():
                w.refuse(INDICATORS, "代码", f"{row['year']} 年度考核规则已锁定，不能新增指标。")
                continue
            indicator = Indicator(year=year, code=row["code"], order=row["order"], **values)
            indicator.save()
            indicators[key] = indicator
            w.report.count(INDICATORS, "created")
        elif _changed(indicator, values):
            if year.rules_locked():
                w.refuse(INDICATORS, "代码", f"{row['year']} 年度考核规则已锁定，不能修改指标。")
                continue
            indicator.save()
            w.report.count(INDICATORS, "updated")
        else:
            w.report.count(INDICATORS, "unchanged")
    return indicators


def _targets(plan, w, units, groups, indicators):
    existing = {}
    for t in Target.objects.filter(indicator__in=list(indicators.values())):
        existing[(t.indicator_id, "g" if t.group_id else "u", t.group_id or t.unit_id)] = t
    for row in plan.targets:
        indicator = indicators[(row["year"], row["code"])]
        if row["is_group"]:
            owner = {"group": groups.get((row["year"], row["target"]))}
            if owner["group"] is None:
                owner = {
                    "group": CollaborationGroup.objects.get(year=row["year"], name=row["target"])
                }
            key = (indicator.pk, "g", owner["group"].pk)
        else:
            owner = {"unit": units[row["target"]]}
            key = (indicator.pk, "u", owner["unit"].pk)
        target = existing.get(key)
        if target is not None and target.value == row["value"]:
            w.report.count(TARGETS, "unchanged")
            continue
        if indicator.year.rules_locked():
            w.refuse(TARGETS, "年度目标", f"{row['year']} 年度考核规则已锁定，不能修改目标。")
            continue
        if target is None:
            Target.objects.create(indicator=indicator, value=row["value"], **owner)
            w.report.count(TARGETS, "created")
        else:
            target.value = row["value"]
            target.save(update_fields=["value"])
            w.report.count(TARGETS, "updated")


PROJECT_COLUMNS = {
    "name": "项目名称",
    "unit_id": "责任单位",
    "investor_name": "投资方",
    "investor_credit_code": "统一社会信用代码",
    "industry_id": "产业",
    "category": "类别",
    "total_investment": "总投资(万元)",
    "contracted_investment": "合同投资(万元)",
}


def _projects(plan, w, units):
    industries = {i.name: i for i in Industry.objects.all()}
    existing = Project.objects.filter(pk__in=[r["pk"] for r in plan.projects if r.get("pk")])
    existing = {p.pk: p for p in existing}
    stored = apply_claims.stored_milestones(list(existing.values()))
    names = {
        "unit_id": {u.pk: u.name for u in units.values()},
        "industry_id": {i.pk: i.name for i in industries.values()},
        "category": dict(Category.choices),
    }
    projects, new = {}, []
    for row in plan.projects:
        industry = industries.get(row["industry"])
        if industry is None:
            industry = industries[row["industry"]] = Industry.objects.create(name=row["industry"])
            names["industry_id"][industry.pk] = industry.name
            w.report.new_industries.append(row["industry"])
            w.report.count(INDUSTRIES, "created")
        values = {
            "name": row["name"],
            "unit_id": units[row["unit"]].pk,
            "investor_name": row["investor_name"],
            "investor_credit_code": row["investor_credit_code"],
            "industry_id": industry.pk,
            "category": row["category"],
            "total_investment": row["total_investment"],
            "contracted_investment": row["contracted_investment"],
        }
        project, cells = existing.get(row.get("pk")), []
        if project is None:
            code = {"code": row["code"]} if row["code"] else {}
            project = Project(created_by=w.user, **code, **values)
            new.append(project)
            w.report.count(PROJECTS, "created")
        else:
            old = {name: getattr(project, name) for name in values}
            if _changed(project, values):
                project.version += 1
                at = (PROJECTS, row["row"], "")
                w.save(project, PROJECTS, False, f"项目“{project.name}”", at, BASIS_COLUMNS)
                cells = [
                    (PROJECT_COLUMNS[name], _shown(names, name, old[name]), _shown(names, name, v))
                    for name, v in values.items()
                    if old[name] != v
                ]
            else:
                w.report.count(PROJECTS, "unchanged")
        projects[row["name"]] = project
        cells += apply_claims.milestones(plan, w, project, row, stored)
        if cells:
            changes.record(
                w.report, PROJECTS, changes.row_line(row["row"], f"“{project.name}”", cells)
            )
    _create_projects(new, w, set(plan.shares))
    w.created_projects = {p.pk for p in new}
    return projects


def _shown(names, name, value):
    return changes.shown(names.get(name, {}).get(value, value))


def _create_projects(projects, w, with_shares):
    """Insert new projects in bulk, with history and Project.save()'s invariant: the responsible
    unit holds 100 % unless the 分成 sheet gives the project its shares."""
    Project.objects.bulk_create(projects, batch_size=BATCH)
    Project.history.bulk_history_create(
        projects, batch_size=BATCH, default_user=w.user, default_change_reason=w.reason
    )
    shares = [
        CreditShare(project=p, unit_id=p.unit_id, percent=100)
        for p in projects
        if p.name not in with_shares
    ]
    CreditShare.objects.bulk_create(shares, batch_size=BATCH)
    CreditShare.history.bulk_history_create(
        shares, batch_size=BATCH, default_user=w.user, default_change_reason=w.reason
    )


def _shares(plan, w, units, projects):
    current = {}
    for share in CreditShare.objects.filter(project__in=[projects[n] for n in plan.shares]):
        current.setdefault(share.project_id, {})[share.unit_id] = share.percent
    for name, rows in plan.shares.items():
        project = projects[name]
        wanted = {units[unit].pk: percent for unit, percent in rows}
        if current.get(project.pk) == wanted:
            w.report.count(SHARES, "unchanged", len(rows))
            continue
        label = f"项目“{project.name}”的分成"
        removed = all(
            w.delete(share, SHARES, label) for share in CreditShare.objects.filter(project=project)
        )
        if not removed:
            continue
        for unit_id, percent in wanted.items():
            share = CreditShare(project=project, unit_id=unit_id, percent=percent)
            if not w.save(share, SHARES, True, label):
                break


def _newness(plan, w, projects):
    """The 项目 sheet's 新引进/结转 as the value of the workbook's year (`plan.year`), through
    `projects.newness.record`: equal to the default (from the signing dates just written) it
    writes nothing — and clears an override of that year — different, it records that year's
    override. Other years are never touched. Runs after the claims are written, so the default
    reads this workbook's 签约日期; one query for the defaults, one for the overrides."""
    if not plan.projects:
        return
    year = plan.year
    sheet = f"新引进/结转（{year} 年度）"
    rows = [(projects[row["name"]], row["is_new"], row["row"]) for row in plan.projects]
    ids = [project.pk for project, _is_new, _row in rows]
    derived = newness.derived_new_map(ids, year)
    overrides = {
        o.project_id: o for o in NewnessOverride.objects.filter(project_id__in=ids, year=year)
    }
    for project, is_new, number in rows:
        reason = f"{w.reason}：{year} 年度工作簿标为{newness.label(is_new)}"
        # A project this workbook creates is built by it, its verified history included; an
        # existing project's 新引进/结转 goes through the guard like the rest of its basis.
        built = building("工作簿导入新项目") if project.pk in w.created_projects else nullcontext()
        try:
            with built:
                done = newness.record(
                    project,
                    year,
                    is_new,
                    reason,
                    w.user,
                    derived=derived[project.pk],
                    override=overrides.get(project.pk),
                )
        except Frozen as exc:
            w.refuse(PROJECTS, "新引进/结转", exc.message, number)
            continue
        w.report.count(sheet, {"created": "created", "": "unchanged"}.get(done, "updated"))
