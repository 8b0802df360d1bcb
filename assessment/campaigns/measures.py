"""A campaign's own measures (issue 20 item 4) as the campaign engine reads them.

`MeasureSpec` looks like an Indicator to `assessment.actuals.compute_figures` and to the unit
scoring (`assessment.engine.unit_entity`): a project-band measure is a milestone count with a
threshold, so it rides in the milestone aggregate the year's indicators already run (no query of
its own when the year has a milestone indicator, one otherwise); a reported measure's actual is
the sum of the units' report figures, one grouped query (`reported_sums`). Loading the specs and
the targets is one query each — the engine's query count stays fixed in units, projects and
reports.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from assessment.models import (
    CampaignMeasure,
    CampaignMeasureTarget,
    CampaignReportFigure,
    IndicatorKind,
    MeasureKind,
)

REPORTED = "reported"  # MeasureSpec.kind of a count filed by the units


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    name: str
    display_unit: str
    weight: Decimal
    kind: str  # IndicatorKind.MILESTONE_COUNT for a project band, REPORTED otherwise
    milestone: str = ""
    threshold: Decimal | None = None
    investment_basis: str = ""
    # What compute_figures and the scoring ask of an indicator, always off for a measure.
    new_only: bool = False
    completed_in_period: bool = False
    funds_source: str = ""
    outside_city_only: bool = False
    score_cap: Decimal | None = None  # the year's cap applies

    @property
    def is_band(self):
        return self.kind == IndicatorKind.MILESTONE_COUNT


def spec_of(measure):
    band = measure.kind == MeasureKind.PROJECT_BAND
    return MeasureSpec(
        code=measure.code,
        name=measure.name,
        display_unit=measure.unit_label or "个",
        weight=measure.weight,
        kind=IndicatorKind.MILESTONE_COUNT if band else REPORTED,
        milestone=measure.milestone if band else "",
        threshold=measure.min_investment if band else None,
        investment_basis=measure.investment_basis if band else "",
    )


def measure_specs(campaign):
    """The campaign's measures as specs, in their order (one query)."""
    return [spec_of(m) for m in CampaignMeasure.objects.filter(campaign=campaign)]


def measure_target_map(campaign):
    """{unit_id: {measure code: Decimal}} (one query)."""
    out = defaultdict(dict)
    rows = CampaignMeasureTarget.objects.filter(measure__campaign=campaign).values_list(
        "unit_id", "measure_id", "value"
    )
    for unit_id, measure_id, value in rows:
        out[unit_id][f"m{measure_id}"] = value
    return dict(out)


def reported_sums(campaign, through_period=None):
    """{unit_id: {measure code: Decimal}}: the report figures summed over the periods up to
    `through_period` (all when None), one grouped query."""
    qs = CampaignReportFigure.objects.filter(report__campaign=campaign)
    if through_period is not None:
        qs = qs.filter(report__period__lte=through_period)
    rows = qs.values_list("report__unit_id", "measure_id").annotate(total=Sum("value"))
    out = defaultdict(dict)
    for unit_id, measure_id, total in rows.order_by():
        out[unit_id][f"m{measure_id}"] = Decimal(total).quantize(Decimal("0.01"))
    return dict(out)
