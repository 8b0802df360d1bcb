"""Campaign (百日会战) services: who sees which campaign, the target grid, the ranking and its
workbook. Views call these; nothing here needs a request.

Visibility: reviewers, leaders and admins see every campaign; everyone else logged in sees the
published ones (公布), whose ranking of all units is public like an announced quarter. Drafts are
hidden from units the way unpublished snapshots are.
"""

import io
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook

from assessment import targets
from assessment.campaigns.engine import compute_campaign, time_progress
from assessment.campaigns.measures import measure_specs, measure_target_map, reported_sums
from assessment.models.campaign import Campaign, CampaignTarget
from assessment.visibility import sees_drafts
from assessment.workbooks.ranking import evidence_rows, write_ranking_workbook
from units import access
from units.models import GroupMembership, Unit
from zhaoshang.web.xlsx import set_text


def can_manage(user):
    """Create and edit campaigns and their targets (考核办)."""
    return access.is_reviewer(user)


def visible_campaigns(user):
    """Campaigns the user may open (a queryset)."""
    qs = Campaign.objects.select_related("year")
    if sees_drafts(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(published=True)


# --- the target grid ------------------------------------------------------------------------


def grid_units(campaign):
    """Grid rows: active top-level units (the level ranked; sub-units' figures roll up to them),
    and inactive ones or sub-units still holding a target of this campaign."""
    holding = CampaignTarget.objects.filter(campaign=campaign).values("unit_id")
    return list(Unit.objects.filter(Q(is_active=True, parent__isnull=True) | Q(pk__in=holding)))


def saved_values(campaign):
    """{(unit_id, indicator_id): Decimal} of the campaign's saved targets."""
    rows = CampaignTarget.objects.filter(campaign=campaign)
    return {(u, i): v for u, i, v in rows.values_list("unit_id", "indicator_id", "value")}


@transaction.atomic
def save_targets(campaign, data):
    """The year's grid, for the campaign's units (assessment.targets): every cell validated,
    all or nothing; a cell posted empty removes its target, a cell left out of the POST is kept.
    Returns a GridResult; `errors` is empty when saved."""
    indicators = list(campaign.year.indicators.all())
    result, parsed = targets.parse_grid(
        grid_units(campaign), indicators, data, saved_values(campaign)
    )
    if result.errors:
        return result
    existing = {(t.unit_id, t.indicator_id): t for t in campaign.targets.all()}
    targets.write_grid(CampaignTarget, "unit", parsed, existing, campaign=campaign)
    return result


# --- the ranking ----------------------------------------------------------------------------


@dataclass
class CampaignStanding:
    result: object  # AssessmentResult (quarter 0) or None before the campaign starts
    days_elapsed: int
    total_days: int
    time_progress: object  # Decimal percent
    finished: bool


def target_map(campaign):
    """{unit_id: {indicator code: Decimal}} of the campaign's targets (one query)."""
    out = {}
    rows = CampaignTarget.objects.filter(campaign=campaign).values_list(
        "unit_id", "indicator__code", "value"
    )
    for unit_id, code, value in rows:
        out.setdefault(unit_id, {})[code] = value
    return out


def standing(campaign, today=None):
    """The campaign ranked over [start, min(end, today)] with the year's rules; time progress is
    the share of the campaign's days gone by. Only approved claims count (as in the engine);
    the campaign's own measures count with their targets and the reports filed so far."""

    today = today or timezone.localdate()
    ay = campaign.year
    gone = campaign.days_elapsed(today)
    progress = time_progress(campaign.start, campaign.end, today)
    result = None
    if gone > 0:
        result = compute_campaign(
            campaign.start,
            campaign.end,
            ay.indicators.all(),
            target_map(campaign),
            year=ay,
            excluded_categories=ay.excluded_categories,
            as_of=today,
            through=today,
            **measure_inputs(campaign),
        )
        groups = dict(
            GroupMembership.objects.filter(year=ay.year).values_list("unit_id", "group__name")
        )
        for entity in result.units:
            entity.group_name = groups.get(entity.id, "")
    return CampaignStanding(result, gone, campaign.total_days, progress, today > campaign.end)


def measure_inputs(campaign, through_period=None):
    """The engine's measure arguments (three queries): specs, targets and reported sums up to
    `through_period` (every report filed when None)."""
    return {
        "measures": measure_specs(campaign),
        "measure_targets": measure_target_map(campaign),
        "reported": reported_sums(campaign, through_period),
    }


# --- the workbook ---------------------------------------------------------------------------


def campaign_evidence(result, user):
    """The approved claims behind the figures, for the campaign's units; a unit user gets only
    their own unit's claims (the others' projects are not part of the public ranking)."""
    names = {e.name for e in result.units}
    if not sees_drafts(user):
        own = Unit.objects.filter(pk=user.unit_id).values_list("name", flat=True).first()
        names = names & {own}
    return [row for row in evidence_rows(result) if row.unit in names]


def write_campaign_workbook(campaign, result, fileobj, claim_rows):
    """The ranking workbook of SPEC §6 for a campaign: 单位排名 and 佐证明细 titled with the
    campaign's name and period (the shared writer titles by quarter; campaigns have no groups)."""
    buffer = io.BytesIO()
    write_ranking_workbook(result, buffer, claim_rows=claim_rows)
    buffer.seek(0)
    wb = load_workbook(buffer)
    period = f"（{result.period_start:%Y年%m月%d日}至{result.period_end:%Y年%m月%d日}）"
    note = f"时间进度 {result.expected_progress}%；金额单位：万元"
    if result.echelon_rules:
        note += "；方阵规则：" + "；".join(result.echelon_rules)
    # One 单位排名 sheet, or one per unit type when the year ranks them apart.
    for name in [n for n in wb.sheetnames if n.startswith("单位排名")]:
        label = name.removeprefix("单位排名")
        set_text(wb[name]["A1"], f"{campaign.name}单位排名{label}{period}")
        set_text(wb[name]["A2"], note)
    # The indicator sheets too: the shared writer's quarter title reads 第0季度 for a campaign.
    for name in [n for n in wb.sheetnames if n.startswith("指标完成情况")]:
        set_text(wb[name]["A1"], f"{campaign.name}{name}{period}")
    del wb["协作组排名"]
    set_text(wb["佐证明细"]["A1"], f"{campaign.name}考核佐证明细（已审定）{period}")
    wb.save(fileobj)
