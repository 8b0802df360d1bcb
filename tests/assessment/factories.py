"""The assessment factories and helpers, kept importable under this path; they live in
`tests.factories` (one module per app) with every other model's factory."""

from tests.factories.assessment import (  # noqa: F401
    AssessmentLogFactory,
    AssessmentYearFactory,
    CampaignFactory,
    CampaignTargetFactory,
    IndicatorFactory,
    ScoreAdjustmentFactory,
    SnapshotFactory,
    TargetFactory,
    adjust,
    default_year,
    funds,
    investment,
    milestone,
    set_campaign_targets,
    set_targets,
    signed_project,
    split_credit,
    year_form_data,
)
