"""A year's configuration history (SPEC §4: who changed what from which value to which) for the
year's page: its rules, indicators, unit and group targets, score adjustments, collaboration
groups and memberships, campaigns and campaign targets. The records are collected here, one query
per model whatever their number; `projects.history.entries`, the one renderer, reads them.
"""

from assessment.models import (
    AssessmentYear,
    Campaign,
    CampaignTarget,
    Indicator,
    ScoreAdjustment,
    Target,
)
from projects.history import entries
from projects.models import Category
from units.models import CollaborationGroup, GroupMembership

# Newest entries shown on the page; older ones stay in the database.
SHOWN = 60


def _name(obj, fallback):
    """A related object's name, or what is left of it once deleted."""
    return str(obj) if obj is not None else fallback


def _group_name(group):
    return group.name if group is not None else "已删除的协作组"


def _target_subject(r):
    indicator = _name(r.indicator, "已删除的指标")
    if r.group_id:
        return f"协作组目标 {_group_name(r.group)} · {indicator}"
    return f"单位目标 {_name(r.unit, '已删除的单位')} · {indicator}"


SUBJECTS = {
    AssessmentYear: lambda r: "年度设置",
    Indicator: lambda r: f"指标 {r.name}",
    Target: _target_subject,
    ScoreAdjustment: lambda r: f"加减分 {_name(r.unit, '已删除的单位')}",
    CollaborationGroup: lambda r: f"协作组 {r.name}",
    GroupMembership: lambda r: f"协作组成员 {_group_name(r.group)}",
    Campaign: lambda r: f"会战 {r.name}",
    CampaignTarget: lambda r: (
        f"会战目标 {_name(r.campaign, '已删除的会战')} · {_name(r.unit, '已删除的单位')}"
        f" · {_name(r.indicator, '已删除的指标')}"
    ),
}

# Fields the subject already names.
HIDDEN = {
    Indicator: {"year"},
    Target: {"indicator", "unit", "group"},
    ScoreAdjustment: {"year", "unit"},
    GroupMembership: {"group"},
    Campaign: {"year"},
    CampaignTarget: {"campaign", "unit", "indicator"},
}


# Stored as category codes; read as their names.
LABELS = {(AssessmentYear, "excluded_categories"): dict(Category.choices)}


def year_records(ay):
    """Every history record of the year's configuration."""
    indicator_ids = Indicator.history.filter(year_id=ay.pk).values("id")
    campaign_ids = Campaign.history.filter(year_id=ay.pk).values("id")
    querysets = [
        AssessmentYear.history.filter(id=ay.pk),
        Indicator.history.filter(year_id=ay.pk),
        Target.history.filter(indicator_id__in=indicator_ids).select_related(
            "indicator", "unit", "group"
        ),
        ScoreAdjustment.history.filter(year_id=ay.pk).select_related("unit"),
        CollaborationGroup.history.filter(year=ay.year),
        GroupMembership.history.filter(year=ay.year).select_related("group"),
        Campaign.history.filter(year_id=ay.pk),
        CampaignTarget.history.filter(campaign_id__in=campaign_ids).select_related(
            "campaign", "unit", "indicator"
        ),
    ]
    records = []
    for qs in querysets:
        records += qs.select_related("history_user")
    return records


def year_history(ay, limit=SHOWN):
    """(newest `limit` entries, how many there are) for the year's page."""
    shown = entries(
        year_records(ay),
        subject=lambda r: SUBJECTS[r.instance_type](r),
        hide_unchanged=True,
        with_values=True,
        hidden=HIDDEN,
        labels=LABELS,
    )
    return shown[:limit], len(shown)
