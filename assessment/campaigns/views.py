"""Campaign pages: list, report (ranking), create/edit, target grid and the workbook download.

Everyone logged in reads published campaigns; reviewers and leaders also read drafts; only
reviewers create, edit and set targets (`assessment.campaigns.services`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from assessment import targets
from assessment.campaigns import reports as campaign_reports
from assessment.campaigns import services
from assessment.campaigns.forms import CampaignForm
from assessment.models.campaign import Campaign
from units import access
from zhaoshang.web import xlsx
from zhaoshang.web.generic import ObjectEditView


@login_required
def campaign_list(request):
    campaigns = services.visible_campaigns(request.user).order_by("-start", "-pk")
    return render(
        request,
        "assessment/campaign_list.html",
        {
            "title": "百日会战",
            "campaigns": campaigns,
            "can_manage": services.can_manage(request.user),
        },
    )


@login_required
def campaign_detail(request, pk):
    """The campaign report: ranking over [start, min(end, today)], echelons, completion per
    indicator and the time progress."""
    campaign = get_object_or_404(services.visible_campaigns(request.user), pk=pk)
    shown = services.standing(campaign)
    return render(
        request,
        "assessment/campaign_detail.html",
        {
            "title": campaign.name,
            "campaign": campaign,
            "shown": shown,
            "result": shown.result,
            "can_manage": services.can_manage(request.user),
            "has_targets": campaign.targets.exists(),
            "can_read_reports": campaign_reports.can_open(request.user, campaign),
            # The unit explanation pages are per quarter: a campaign links no unit.
            "linkable_units": set(),
        },
    )


@login_required
def campaign_export(request, pk):
    campaign = get_object_or_404(services.visible_campaigns(request.user), pk=pk)
    shown = services.standing(campaign)
    if shown.result is None:
        messages.info(request, "会战尚未开始，暂无可导出的排名。")
        return redirect(campaign)
    claims = services.campaign_evidence(shown.result, request.user)
    end = shown.result.period_end
    filename = f"{campaign.name}排名（截至{end:%Y年%m月%d日}）.xlsx"
    return xlsx.xlsx_file_response(
        lambda f: services.write_campaign_workbook(campaign, shown.result, f, claims), filename
    )


class CampaignEditView(LoginRequiredMixin, ObjectEditView):
    model = Campaign
    form_class = CampaignForm
    success_message = "会战已保存。"

    def check_permission(self, obj):
        access.require(services.can_manage(self.request.user))

    def form_valid(self, form):
        if form.instance.pk is None:
            form.instance.created_by = self.request.user
        return super().form_valid(form)

    def get_success_url(self):
        if not self.object.targets.exists():
            return reverse("assessment:campaign_targets", args=[self.object.pk])
        return self.object.get_absolute_url()


@login_required
def campaign_targets(request, pk):
    """One grid: units as rows, the campaign year's indicators as columns."""
    access.require(services.can_manage(request.user))
    campaign = get_object_or_404(Campaign.objects.select_related("year"), pk=pk)
    indicators = list(campaign.year.indicators.all())
    units = services.grid_units(campaign)
    values = targets.shown_values(services.saved_values(campaign))
    errors = {}
    if request.method == "POST":
        grid = services.save_targets(campaign, request.POST)
        if grid.errors:
            values, errors = grid.values, grid.errors
            messages.error(request, f"有 {len(errors)} 处填写有误，全部未保存，请更正后重新提交。")
        else:
            messages.success(request, "会战目标已保存。")
            return redirect(request.path)
    return render(
        request,
        "assessment/campaign_targets.html",
        {
            "title": f"{campaign.name} · 会战目标",
            "campaign": campaign,
            "indicators": indicators,
            "table": targets.grid_table(units, indicators, values, errors),
            "errors": list(errors.values()),
        },
    )
