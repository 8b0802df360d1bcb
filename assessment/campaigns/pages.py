"""Campaign pages of issue 20 item 4: the measures and their targets (office), the units'
周报/旬报 (units file their own, the office and leaders read all), and the 《简报》 of a period
(page, workbook, 印发). Views stay thin: `measures`, `reports` and `briefs` compute."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessment import targets
from assessment.campaigns import briefs, reports, services
from assessment.campaigns.measure_forms import (
    CampaignCadenceForm,
    CampaignMeasureForm,
    CampaignReportForm,
)
from assessment.campaigns.periods import current_period, period_of, periods
from assessment.models import Campaign, CampaignMeasure, CampaignMeasureTarget
from units import access
from zhaoshang.guarded import Frozen
from zhaoshang.web import xlsx


def _managed(request, pk):
    access.require(services.can_manage(request.user))
    return get_object_or_404(Campaign.objects.select_related("year"), pk=pk)


def _visible(request, pk):
    return get_object_or_404(services.visible_campaigns(request.user), pk=pk)


# --- measures and their targets (考核办) ------------------------------------------------------


@login_required
def campaign_measures(request, pk):
    campaign = _managed(request, pk)
    form = CampaignMeasureForm(campaign=campaign)
    cadence = CampaignCadenceForm(instance=campaign)
    if request.method == "POST":
        if request.POST.get("form") == "cadence":
            cadence = CampaignCadenceForm(request.POST, instance=campaign)
            if cadence.is_valid():
                cadence.save()
                messages.success(request, "报送周期已保存。")
                return redirect(request.path)
        else:
            form = CampaignMeasureForm(request.POST, campaign=campaign)
            if form.is_valid():
                form.save()
                messages.success(request, f"专项指标“{form.instance.name}”已添加。")
                return redirect(request.path)
        messages.error(request, "填写有误，未保存，请按提示更正。")
    return render(
        request,
        "assessment/campaign_measures.html",
        {
            "title": f"{campaign.name} · 专项指标",
            "campaign": campaign,
            "measures": list(campaign.measures.all()),
            "form": form,
            "cadence": cadence,
        },
    )


@login_required
@require_POST
def campaign_measure_delete(request, pk, measure):
    campaign = _managed(request, pk)
    item = get_object_or_404(CampaignMeasure, campaign=campaign, pk=measure)
    try:
        with transaction.atomic():
            item.delete()
    except Frozen as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"专项指标“{item.name}”已删除。")
    return redirect("assessment:campaign_measures", pk=campaign.pk)


@login_required
def campaign_measure_targets(request, pk):
    """The grid of the measures' targets: units as rows, the measures as columns; a cell left
    empty means the unit has no target for that measure."""
    campaign = _managed(request, pk)
    measures = list(campaign.measures.all())
    units = services.grid_units(campaign)
    rows = CampaignMeasureTarget.objects.filter(measure__campaign=campaign)
    saved = {(t.unit_id, t.measure_id): t for t in rows}
    values = targets.shown_values({key: t.value for key, t in saved.items()})
    errors = {}
    if request.method == "POST":
        result, parsed = targets.parse_grid(
            units, measures, request.POST, {k: t.value for k, t in saved.items()}
        )
        if result.errors:
            values, errors = result.values, result.errors
            messages.error(request, f"有 {len(errors)} 处填写有误，全部未保存，请更正后重新提交。")
        else:
            _write_targets(parsed, saved)
            messages.success(request, "专项指标目标已保存。")
            return redirect(request.path)
    return render(
        request,
        "assessment/campaign_measure_targets.html",
        {
            "title": f"{campaign.name} · 专项指标目标",
            "campaign": campaign,
            "measures": measures,
            "table": targets.grid_table(units, measures, values, errors),
            "errors": list(errors.values()),
        },
    )


@transaction.atomic
def _write_targets(parsed, saved):
    stale, changed, new = [], [], []
    for (unit, measure), value in parsed.items():
        row = saved.get((unit.pk, measure.pk))
        if value is None:
            if row is not None:
                stale.append(row.pk)
        elif row is None:
            new.append(CampaignMeasureTarget(measure=measure, unit=unit, value=value))
        elif row.value != value:
            row.value = value
            changed.append(row)
    CampaignMeasureTarget.objects.filter(pk__in=stale).delete()
    CampaignMeasureTarget.objects.bulk_update(changed, ["value"])
    CampaignMeasureTarget.objects.bulk_create(new)


# --- 周报 / 旬报 ---------------------------------------------------------------------------------


@login_required
def campaign_reports(request, pk):
    """The office and leaders: every unit's report of one period and who has not reported.
    A unit user: their own unit's reports, period by period, with the link to file."""
    campaign = _visible(request, pk)
    units = reports.taking_part(campaign)
    all_periods = periods(campaign)
    today = timezone.localdate()
    briefs_issued = reports.issued_briefs(campaign)
    context = {
        "title": f"{campaign.name} · {campaign.get_report_cadence_display()[:2]}",
        "campaign": campaign,
        "briefs": briefs_issued,
        "can_manage": services.can_manage(request.user),
    }
    if reports.reads_all(request.user):
        number = _period_number(request, campaign, today)
        period = period_of(campaign, number)
        filed = reports.reports_of(campaign, period=number)
        measures = reports.reported_measures(campaign)
        for report in filed:
            report.late = reports.is_late(report, period)
            report.cells = [report.values.get(m.pk) for m in measures]
        context |= {
            "period": period,
            "periods": all_periods,
            "filed": filed,
            "missing": reports.not_reported(units, filed),
            "measures": measures,
            "issued": briefs_issued.get(number),
        }
        return render(request, "assessment/campaign_reports.html", context)
    unit = reports.own_unit(request.user, units)
    access.require(unit is not None)
    own = {r.period: r for r in reports.reports_of(campaign, unit=unit)}
    rows = [
        (p, own.get(p.number), _frozen_by(briefs_issued, p.number))
        for p in all_periods
        if p.start <= today
    ]
    context |= {"unit": unit, "rows": rows}
    return render(request, "assessment/campaign_reports_unit.html", context)


def _frozen_by(briefs_issued, number):
    later = [b for period, b in briefs_issued.items() if period >= number]
    return min(later, key=lambda b: b.period) if later else None


def _period_number(request, campaign, today):
    try:
        number = int(request.GET.get("period", ""))
    except ValueError:
        number = current_period(campaign, today).number
    if period_of(campaign, number) is None:
        raise Http404
    return number


@login_required
def campaign_report_edit(request, pk, period):
    """A unit files or corrects its report of `period` until the period's 简报 is issued."""
    campaign = _visible(request, pk)
    units = reports.taking_part(campaign)
    unit = reports.own_unit(request.user, units)
    access.require(unit is not None)
    span = period_of(campaign, period)
    if span is None or span.start > timezone.localdate():
        raise Http404
    measures = reports.reported_measures(campaign)
    existing = reports.reports_of(campaign, period=period, unit=unit)
    report = existing[0] if existing else None
    frozen = _frozen_by(reports.issued_briefs(campaign), period)
    initial = {"progress": report.progress} if report else {}
    if report:
        initial |= {f"m{m}": v for m, v in report.values.items()}
    form = CampaignReportForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        measures=measures,
    )
    if request.method == "POST":
        if frozen:
            messages.error(request, reports.frozen_message(frozen))
        elif form.is_valid():
            try:
                reports.save_report(
                    campaign, unit, period, form.values(), form.cleaned_data["progress"],
                    request.user,
                )  # fmt: skip
            except Frozen as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"{span.label}报告已报送。")
                return redirect("assessment:campaign_reports", pk=campaign.pk)
        else:
            messages.error(request, "填写有误，未保存，请按提示更正。")
    return render(
        request,
        "assessment/campaign_report_form.html",
        {
            "title": f"{campaign.name} · {unit.name} · {span.label}",
            "campaign": campaign,
            "period": span,
            "form": form,
            "report": report,
            "frozen": frozen,
            "frozen_message": reports.frozen_message(frozen) if frozen else "",
        },
    )


# --- 《简报》 ---------------------------------------------------------------------------------


def _brief(request, pk, period):
    """The brief as this user may read it: the office and leaders any period's (draft or
    issued); everyone else only an issued one of a published campaign."""
    campaign = _visible(request, pk)
    brief = briefs.build(campaign, period)
    if brief is None:
        raise Http404
    if brief.draft and not reports.reads_all(request.user):
        raise Http404
    return brief


@login_required
def campaign_brief(request, pk, period):
    brief = _brief(request, pk, period)
    return render(
        request,
        "assessment/campaign_brief.html",
        {
            "title": f"{brief.title}（第{brief.number}期）",
            "brief": brief,
            "campaign": brief.campaign,
            "can_issue": brief.draft and services.can_manage(request.user),
            "previous": period - 1 if period > 1 else None,
            "next": period + 1 if period_of(brief.campaign, period + 1) else None,
        },
    )


@login_required
def campaign_brief_export(request, pk, period):
    brief = _brief(request, pk, period)
    return xlsx.xlsx_file_response(
        lambda f: briefs.write_workbook(brief, f), briefs.filename(brief)
    )


@login_required
@require_POST
def campaign_brief_issue(request, pk, period):
    campaign = _managed(request, pk)
    if period_of(campaign, period) is None:
        raise Http404
    try:
        issued = briefs.issue(campaign, period, request.user)
    except Frozen as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"第{issued.number}期简报已印发，本期及以前各期报告已锁定。")
    return redirect(reverse("assessment:campaign_brief", args=[campaign.pk, period]))
