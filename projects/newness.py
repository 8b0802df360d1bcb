"""新引进 / 结转 (new vs carried over) of a project in an assessment year: the one rule (SPEC §3).

Whether a project counts as 新引进 is a fact of an assessment year, not of the project, so a past
year always recomputes to the figures it had, whatever later years' workbooks say:

- an override recorded for (project, year) (`NewnessOverride`, with a reason) decides;
- otherwise the project is 结转 in every year after the one it starts in, and 新引进 in the year
  it starts. It starts with its signing (签约 milestone date) once that is submitted — the start
  `ProjectQuerySet.in_year` uses (tests/projects/test_newness.py holds the two together): a
  unit's draft or a rejected signing (`NOT_STARTING`) says nothing yet.
- Decision (no signing date): a project without a submitted signing (still 洽谈, or an old project
  whose contract was never entered) starts in the year it was entered (录入时间), so it is 新引进
  in that year and 结转 later; an office that enters last year's project this year records 结转
  for this year. Years before the start also read 新引进 — nothing is carried over from a year
  before the project began (the project belongs to no such year anyway, see `in_year`).

So a project signed in 2025 is 新引进 in 2025 and 结转 from 2026 on with nothing recorded, and
next year's workbook marking it 结转 (the default for 2026) writes nothing and leaves 2025 alone.

The rule is written once, as conditions on two joined rows (`_joined`: the year's override and
the starting signing, at most one of each). Its forms: `new_in_year(year, prefix)`, a Q for any
queryset (the engine, the evidence lines, the dashboard: one non-correlated subquery, computed
once per query, never a query per project); `annotate_new` for project lists and exports; and
`is_new_in(project, year)` for one project (the form, the project page). Overrides are written
only by `record` — one row at a time through `save()` / `delete()`, with history — from the
project form and the workbook import.
"""

from django.db.models import BooleanField, ExpressionWrapper, FilteredRelation, Q
from django.utils import timezone

from projects.models import CARRIED_LABEL, NEW_LABEL, NOT_STARTING, NewnessOverride, Project

UNKNOWN = object()
# Aliases of the two rows that decide a project's 新引进 in a year, joined (`_joined`).
OVERRIDE, SIGNING = "newness_override", "newness_signing"


def current_year():
    """The assessment year the project form and lists speak of: this calendar year."""
    return timezone.localdate().year


def label(is_new):
    return NEW_LABEL if is_new else CARRIED_LABEL


def _joined(projects, year):
    """Project queryset `projects` with the year's override and the signing the project starts
    with joined — at most one row each (one override per project and year, one milestone per
    project and kind), so no row is repeated and no query runs per project."""
    return projects.alias(
        **{
            OVERRIDE: FilteredRelation(
                "newness_overrides", condition=Q(newness_overrides__year=year)
            ),
            SIGNING: FilteredRelation(
                "milestones",
                condition=Q(milestones__kind="signed") & ~Q(milestones__status__in=NOT_STARTING),
            ),
        }
    )


# Each term says whether its row is there, so the whole is true or false, never SQL's NULL (a
# missing row's columns are NULL, and NOT NULL would drop a 结转 project from "not 新引进").


def _derived(year):
    """Q on `_joined` projects: 新引进 in `year` by default — started in `year` or later."""
    return Q(**{f"{SIGNING}__isnull": False, f"{SIGNING}__date__year__gte": year}) | Q(
        **{f"{SIGNING}__isnull": True, "created__year__gte": year}
    )


def _effective(year):
    """Q on `_joined` projects: 新引进 in `year` — the year's override, else the default."""
    return Q(**{f"{OVERRIDE}__isnull": False, f"{OVERRIDE}__is_new": True}) | (
        Q(**{f"{OVERRIDE}__isnull": True}) & _derived(year)
    )


def new_in_year(year, prefix=""):
    """Q of the rows whose project (reached through `prefix`, "project__" from a claim) is 新引进
    in `year`. One non-correlated subquery: the database computes it once per query."""
    projects = _joined(Project.objects.order_by(), year).filter(_effective(year)).values("pk")
    return Q(**{f"{prefix}pk__in": projects})


def annotate_new(projects, year, name="new_in_year"):
    """Project queryset `projects` with a boolean `name`: 新引进 in `year`."""
    return _joined(projects, year).annotate(
        **{name: ExpressionWrapper(_effective(year), BooleanField())}
    )


def derived_new_in(project, year):
    """新引进 in `year` by default (ignoring any override): one query."""
    return _joined(Project.objects.filter(pk=project.pk), year).filter(_derived(year)).exists()


def is_new_in(project, year):
    """新引进 (True) or 结转 (False) of `project` in `year`: one query."""
    return _joined(Project.objects.filter(pk=project.pk), year).filter(_effective(year)).exists()


def derived_new_map(project_ids, year):
    """{project id: 新引进 in `year` by default} for many projects: one query."""
    rows = _joined(Project.objects.filter(pk__in=list(project_ids)), year).annotate(
        derived=ExpressionWrapper(_derived(year), BooleanField())
    )
    return dict(rows.order_by().values_list("pk", "derived"))


def record(
    project,
    year,
    is_new,
    reason,
    user=None,
    *,
    derived=None,
    override=UNKNOWN,
    amend_reason=False,
):
    """Make `project` read `is_new` in `year`; returns "created", "updated", "removed" or "".

    An override is kept only where the choice differs from the default: a choice equal to the
    default removes the year's override (if any; its history says so) and otherwise writes
    nothing. `reason` is
    recorded with a new or changed override (required then); with `amend_reason` a different
    reason alone updates an override (the form), without it an override of the same value is left
    as recorded (an import). `derived` and `override` (the year's row or None) may be passed when
    the caller read them for many projects at once.
    """
    if derived is None:
        derived = derived_new_in(project, year)
    if override is UNKNOWN:
        override = NewnessOverride.objects.filter(project=project, year=year).first()
    if is_new == derived:
        if override is None:
            return ""
        _stamp(override, user, f"恢复默认（{label(derived)}）")
        override.delete()
        return "removed"
    if override is not None and override.is_new == is_new:
        if not amend_reason or not reason or reason == override.reason:
            return ""
        action = "updated"
    elif override is not None:
        action = "updated"
    else:
        override = NewnessOverride(project=project, year=year)
        action = "created"
    if not reason:
        raise ValueError("an override of 新引进/结转 needs a reason")
    override.is_new = is_new
    override.reason = reason
    override.recorded_by = user
    _stamp(override, user, reason)
    override.save()
    return action


def _stamp(override, user, reason):
    override._change_reason = reason
    if user is not None:
        override._history_user = user
