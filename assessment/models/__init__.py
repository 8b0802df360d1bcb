"""The assessment app's models, one module per room (NetBox-style `models/` package):

- `years`: AssessmentYear, Indicator, Target, ScoreAdjustment (the year's rules, SPEC §5);
- `snapshots`: Snapshot, SnapshotLine, AssessmentLog (computed quarters and what was done to them);
- `campaign`: Campaign, CampaignTarget (百日会战);
- `heads`: UnitHead (heads in post) and `ledger`: LedgerDecision (奖惩台账, issue 20);
- `campaign_measures`: a campaign's own measures, 周报/旬报 and 《简报》 (issue 20);
- `imports`: ImportLease (the one workbook import writing at a time);
- `fields`: the field helpers and small rules they share.

Every public name is re-exported here, so `from assessment.models import X` keeps working and
Django finds every model of the app.
"""

from assessment.models.campaign import (
    MAX_CAMPAIGN_DAYS,
    Campaign,
    CampaignTarget,
    ReportCadence,
)
from assessment.models.campaign_measures import (
    CampaignBrief,
    CampaignMeasure,
    CampaignMeasureTarget,
    CampaignReport,
    CampaignReportFigure,
    MeasureKind,
)
from assessment.models.fields import (
    MAX_TARGET,
    ProgressField,
    TargetValueField,
    parse_fraction,
    percent_validators,
    quarter_end,
    quarter_of,
    validate_fraction,
)
from assessment.models.heads import UnitHead, head_on
from assessment.models.imports import ImportLease
from assessment.models.ledger import (
    DecisionKind,
    DecisionSource,
    DecisionStatus,
    LedgerDecision,
)
from assessment.models.recognition import RecognitionExclusion, excluded_claims
from assessment.models.snapshots import (
    AssessmentLog,
    LogAction,
    Snapshot,
    SnapshotLine,
    SnapshotQuerySet,
    SnapshotStatus,
)
from assessment.models.years import (
    AssessmentYear,
    DisplayUnit,
    EscalationDisplay,
    Indicator,
    IndicatorKind,
    InvestmentBasis,
    ScoreAdjustment,
    Target,
)

__all__ = [
    "MAX_CAMPAIGN_DAYS",
    "MAX_TARGET",
    "AssessmentLog",
    "AssessmentYear",
    "Campaign",
    "CampaignBrief",
    "CampaignMeasure",
    "CampaignMeasureTarget",
    "CampaignReport",
    "CampaignReportFigure",
    "CampaignTarget",
    "DecisionKind",
    "DecisionSource",
    "DecisionStatus",
    "MeasureKind",
    "ReportCadence",
    "DisplayUnit",
    "EscalationDisplay",
    "ImportLease",
    "Indicator",
    "IndicatorKind",
    "InvestmentBasis",
    "LedgerDecision",
    "LogAction",
    "ProgressField",
    "RecognitionExclusion",
    "ScoreAdjustment",
    "Snapshot",
    "SnapshotLine",
    "SnapshotQuerySet",
    "SnapshotStatus",
    "Target",
    "TargetValueField",
    "UnitHead",
    "excluded_claims",
    "head_on",
    "parse_fraction",
    "percent_validators",
    "quarter_end",
    "quarter_of",
    "validate_fraction",
]
