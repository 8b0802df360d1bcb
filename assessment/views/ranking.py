"""Ranking, unit explanation, snapshot actions, version diff and the quarterly 通报.

Views stay thin: what a user sees comes from `assessment.visibility` (through `units.access`),
figures from the engine and snapshots, explanations from `assessment.explain`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessment import locks, ranking_rows, snapshots, visibility
from assessment.bulletin import is_draft, report_context, signature
from assessment.diff import diff_results
from assessment.engine import compute
from assessment.evidence import stored_adjustments
from assessment.explain import explain_unit, next_echelon_steps, recognition_notes
from assessment.formatting import DRAFT_MARK, quarter_name
from assessment.forms import AdjustmentForm, ReasonForm
from assessment.gap import GapRules
from assessment.models import AssessmentYear
from assessment.recompute_job import recompute_job, recompute_title
from assessment.snapshots import SnapshotError
from units import access
from units.models import Unit
from zhaoshang.jobs import runner
from zhaoshang.jobs.models import Job, JobKind
from zhaoshang.web import confirm
from zhaoshang.web.pagination import page_query, positive_int

# Score adjustments count for the whole year; one entered for a sealed quarter would move its
# published ranking on the next recompute (issue 15 item 4).
ADJUSTMENT_LOCKED_MESSAGE = (
    "本季度考核结果已发布，不能再录入加减分；如确需调整，请先解锁本季度并填写理由。"
)


def _year(year):
    return get_object_or_404(AssessmentYear, year=year)


def _quarter(quarter):
    if quarter not in (1, 2, 3, 4):
        raise Http404
    return quarter


def _default_or_none(user):
    year, quarter = visibility.default_period(user)
    if not AssessmentYear.objects.filter(year=year).exists():
        ay = AssessmentYear.objects.order_by("-year").first()
        if ay is None:
            return None
        year = ay.year
    return year, quarter


@login_required
def index(request):
    period = _default_or_none(request.user)
    if period is None:
        return render(request, "assessment/no_year.html", {"title": "考核排名"})
    return redirect("assessment:ranking", *period)


@login_required
def report_latest(request):
    period = _default_or_none(request.user)
    if period is None:
        return render(request, "assessment/no_year.html", {"title": "通报"})
    return redirect("assessment:report", *period)


@login_required
def targets_latest(request):
    access.require(visibility.can_run(request.user))
    ay = AssessmentYear.objects.order_by("-year").first()
    if ay is None:
        return redirect("assessment:year_list")
    return redirect("assessment:targets", ay.year)


def _ranking_context(request, ay, quarter):
    shown = visibility.shown_result(request.user, ay, quarter)
    previous = visibility.previous_ranks(request.user, ay, quarter) if shown.result else {}
    result = shown.result
    return {
        "ay": ay,
        "quarter": quarter,
        "quarters": [1, 2, 3, 4],
        "shown": shown,
        "result": result,
        "unit_changes": visibility.rank_changes(result.units, previous) if result else {},
        "group_changes": visibility.rank_changes(result.groups, previous) if result else {},
        "can_run": visibility.can_run(request.user),
        "sees_drafts": visibility.sees_drafts(request.user),
        "versions": (
            # The list needs names and dates, not each version's stored figures.
            ay.snapshots.filter(quarter=quarter)
            .select_related("year", "unlocked_by")
            .defer("data", "adjustments")
            .order_by("-version")
            if visibility.sees_drafts(request.user)
            else []
        ),
        "unlock_form": ReasonForm(),
        "seen_token": snapshots.seen_token(shown.snapshot) if shown.snapshot else "",
        # Explanations of units the user may not read would be 404s: link only the readable ones.
        "linkable_units": (
            None
            if access.sees_everything(request.user)
            else set(access.visible_units(request.user, year=ay.year).values_list("pk", flat=True))
        ),
    }


def _shown_rows(request, result):
    """What of `result` this request shows: the tab, the filter, the page of each table shown
    (see `ranking`). Python lists only: no query, whatever the city's size."""
    flt = ranking_rows.RankingFilter.of(request)
    number = positive_int(request.GET.get("page")) or 1
    split = max(len(result.units), len(result.groups)) > ranking_rows.PAGE_SIZE
    show = "groups" if split and request.GET.get("show") == "groups" else "units"
    context = {"filter": flt, "split": split, "show": show, "unit_page": None, "group_page": None}
    if show == "units" or not split:
        context["unit_page"], context["unit_sections"] = ranking_rows.paged_sections(
            result.unit_sections(), flt, number
        )
    if show == "groups" or not split:
        context["group_page"], context["group_sections"] = ranking_rows.paged_sections(
            [("", result.groups)], flt, number
        )
    page = context["unit_page"] if show == "units" else context["group_page"]
    # The tabs keep the filter and start at the first page.
    tab_query = request.GET.copy()
    for field in ("show", "page"):
        tab_query.pop(field, None)
    context.update(
        page=page,
        page_numbers=ranking_rows.page_numbers(page),
        page_query=page_query(request),
        tab_query=tab_query.urlencode(),
        echelon_filters=ranking_rows.ECHELON_FILTERS,
        search_max=ranking_rows.SEARCH_MAX,
    )
    return context


@login_required
def ranking(request, year, quarter):
    """The quarterly ranking (排名), live or from the snapshot shown, paged (issue 21).

    A city of 500 units drew 1.9 MB of HTML here, every row on one page. What the office and the
    leaders use this page for is reading where units stand (the top, the bottom, one unit) and
    running the quarter (测算, 发布, 解锁, the versions); the complete list on paper is the ranking
    workbook (下载排名表) and the 通报. So, decided:

    - The unit ranking shows `ranking_rows.PAGE_SIZE` (50) rows a page (`?page=`), with 上一页 /
      下一页 and numbered pages. Each row keeps its rank in the whole ranking, its 方阵 and
      较上季度, not a position on the page. A year that ranks by unit type keeps one section per
      type, each its own ranking: the sections are paged as one list in their order, a section
      going on to the next page says 续.
    - A unit is found by the 方阵 filter (`?echelon=1|2|3`, `0` the unranked) and a search on its
      name (`?q=`), which apply to every table shown; the pager and the tabs keep them.
    - A small city (no table longer than a page) reads as before: the unit and the group
      ranking on one page. A larger one shows them as two tabs (`?show=groups`), the groups
      paged the same way, so one tab is at most a page of rows.
    - A page number that is not a positive number is page 1, one past the end the last page; an
      unknown filter value is no filter. Nothing in the address gives a 500 or a 404.
    The draft / published notice, the controls and the version list are the same on every page.
    """
    ay, quarter = _year(year), _quarter(quarter)
    context = _ranking_context(request, ay, quarter)
    context["title"] = f"{ay.year}年{quarter_name(quarter)}招商引资考核排名"
    shown = context["shown"]
    context["draft_mark"] = DRAFT_MARK if shown.result and is_draft(shown.snapshot) else ""
    if shown.result is not None:
        context.update(_shown_rows(request, shown.result))
    return render(request, "assessment/ranking.html", context)


def _evidence_stored(snapshot):
    return snapshot is not None and snapshot.lines_stored


@login_required
def unit_assessment(request, year, quarter, unit_id):
    ay, quarter = _year(year), _quarter(quarter)
    unit = get_object_or_404(access.visible_units(request.user, year=ay.year), pk=unit_id)
    shown = visibility.shown_result(request.user, ay, quarter)
    entity = None
    if shown.result is not None:
        entity = next((e for e in shown.result.units if e.id == unit.pk), None)
    # A computed quarter names the unit as it was computed (and published), not as it is now.
    name = entity.name if entity is not None and shown.snapshot is not None else unit.name
    context = {
        "title": f"{name} · {ay.year}年{quarter_name(quarter)}考核情况",
        "ay": ay,
        "quarter": quarter,
        "unit": unit,
        "shown": shown,
        "entity": entity,
        "specs": shown.result.indicators if shown.result else [],
        "explanations": (
            explain_unit(ay, quarter, unit.pk, shown.result.indicators, shown.snapshot)
            if entity
            else []
        ),
        "recognition_notes": recognition_notes(ay, quarter, unit.pk) if entity else [],
        "evidence_live": entity is not None and not _evidence_stored(shown.snapshot),
        "next_steps": (
            next_echelon_steps(shown.result, entity, GapRules.of_year(ay, quarter))
            if entity
            else None
        ),
        "adjustments": (
            stored_adjustments(shown.snapshot, unit.pk)
            if _evidence_stored(shown.snapshot)
            else ay.adjustments.filter(unit=unit).select_related("created_by")
        ),
        "can_run": visibility.can_run(request.user),
        "adjustment_form": AdjustmentForm(),
        "adjustment_locked": locks.adjustments_closed(ay.year, quarter),
    }
    return render(request, "assessment/unit_assessment.html", context)


@login_required
@require_POST
def adjustment_add(request, year, quarter, unit_id):
    access.require(visibility.can_run(request.user))
    ay, quarter = _year(year), _quarter(quarter)
    unit = get_object_or_404(Unit, pk=unit_id)
    if locks.adjustments_closed(ay.year, quarter):
        messages.error(request, ADJUSTMENT_LOCKED_MESSAGE)
        return redirect(
            "assessment:unit_assessment", year=ay.year, quarter=quarter, unit_id=unit.pk
        )
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        adj = form.save(commit=False)
        adj.year, adj.unit, adj.created_by = ay, unit, request.user
        adj.save()
        messages.success(request, f"已为{unit}录入加减分 {adj.points:+} 分，重新测算后计入排名。")
    else:
        errors = "；".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"加减分未保存：{errors}")
    return redirect("assessment:unit_assessment", year=ay.year, quarter=quarter, unit_id=unit.pk)


@login_required
@require_POST
def snapshot_compute(request, year, quarter):
    """测算 as a background job (`assessment.recompute_job`): the office follows it on the job
    page, which ends with the result and the way back here to publish."""
    access.require(visibility.can_run(request.user))
    ay, quarter = _year(year), _quarter(quarter)
    if not confirm.confirmed(request):
        confirm.refuse(request, "测算")
        return redirect("assessment:ranking", year=ay.year, quarter=quarter)
    job = Job.objects.create(
        user=request.user,
        kind=JobKind.RECOMPUTE,
        title=recompute_title(ay.year, quarter),
        params={"year": ay.year, "quarter": quarter},
    )
    runner.start(job, recompute_job)
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def snapshot_unlock(request, year, quarter):
    access.require(visibility.can_run(request.user))
    ay, quarter = _year(year), _quarter(quarter)
    snapshot = snapshots.latest_snapshot(ay, quarter)
    form = ReasonForm(request.POST)
    if snapshot is None:
        messages.error(request, "本季度尚无测算结果。")
    elif not form.is_valid():
        messages.error(request, "解锁必须填写理由，未解锁。")
    elif not confirm.confirmed(request):
        confirm.refuse(request, "解锁")
    else:
        try:
            snapshots.unlock(snapshot, request.user, form.cleaned_data["reason"])
            messages.success(request, f"已解锁{snapshot}，本期数据可更正后重新测算。")
        except SnapshotError as exc:
            messages.error(request, str(exc))
    return redirect("assessment:ranking", year=ay.year, quarter=quarter)


@login_required
def snapshot_diff(request, year, quarter):
    """Version against the previous version, or (?against=live) against a recompute now."""
    access.require(visibility.sees_drafts(request.user))
    ay, quarter = _year(year), _quarter(quarter)
    versions = list(ay.snapshots.filter(quarter=quarter).order_by("-version"))
    if not versions:
        raise Http404
    by_version = {s.version: s for s in versions}
    try:
        new_v = int(request.GET.get("version", versions[0].version))
    except ValueError:
        new_v = versions[0].version
    new = by_version.get(new_v) or versions[0]
    older = [s for s in versions if s.version < new.version]
    against = request.GET.get("against") or ("previous" if older else "live")
    if against == "previous" and older:
        old_result, new_result = snapshots.result_of(older[0]), snapshots.result_of(new)
        caption = f"第{older[0].version}版 → 第{new.version}版"
    else:
        old_result, new_result = snapshots.result_of(new), compute(ay, quarter)
        caption = f"第{new.version}版 → 按当前数据重新测算"
    return render(
        request,
        "assessment/diff.html",
        {
            "title": f"{ay.year}年{quarter_name(quarter)} 版本差异",
            "ay": ay,
            "quarter": quarter,
            "caption": caption,
            "changes": diff_results(old_result, new_result),
            "versions": versions,
            "current": new,
        },
    )


@login_required
def report(request, year, quarter):
    """The quarterly 通报, A4-printable."""
    ay, quarter = _year(year), _quarter(quarter)
    shown = visibility.shown_result(request.user, ay, quarter)
    if shown.result is None:
        messages.info(request, "本季度通报尚未发布。")
        return redirect(reverse("assessment:ranking", args=[ay.year, quarter]))
    context = report_context(shown.result)
    context.update({"ay": ay, "quarter": quarter, "shown": shown})
    context["signature"] = signature(ay, shown.snapshot)
    context["draft"] = is_draft(shown.snapshot)
    context["title"] = f"{ay.year}年{quarter_name(quarter)}全市招商引资工作考核情况通报"
    return render(request, "assessment/report.html", context)
