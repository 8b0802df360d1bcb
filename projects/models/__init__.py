"""Projects (招商项目) and the figures units claim for them (SPEC §3, §4), one module per theme:

- `project`: projects, industries, credit shares (分成) and introducers (引资人);
- `persons`: the registry of persons (人员库) introducers and sponsor leaders are chosen from;
- `claims`: milestones, monthly fixed-asset investment and funds in place — the *claims*, which
  count in an assessment only once approved (the workflow itself lives in `projects.claims`) —
  with their evidence and workflow events;
- `work`: assistance items (帮办), leads (线索) and investor visits (客商接待);
- `reports`: monthly reports (月报) and the reporting and alert thresholds;
- `flags`: duplicate and fraud flags for reviewers;
- `supervision`: 督办单 issued by leaders and the office, the units' replies and their files;
- `rewards`: intermediary rewards (中介人引资奖励): the year's rule, list, rows and changes;
- `newness`: the 新引进/结转 a year records for a project where it differs from the default
  (the rule itself: `projects.newness`).

Every scoped model's manager answers `visible_to(user)` from the one access policy (`units.access`).
Every public name is re-exported here: `from projects.models import X` is the way to import them.
"""

from projects.models.claims import (
    COMPLETED_NEEDS_STARTED,
    EDITABLE_STATUSES,
    MILESTONE_ORDER,
    OUTSIDE_CITY_REGIONS,
    PENDING_STATUSES,
    Claim,
    ClaimEvent,
    ClaimQuerySet,
    ClaimStatus,
    Evidence,
    FundsEntry,
    FundsRegion,
    FundsSource,
    HistoricalFundsEntry,
    HistoricalMilestone,
    HistoricalMonthlyInvestment,
    Milestone,
    MilestoneKind,
    MonthlyInvestment,
    evidence_path,
)
from projects.models.fields import (
    CODE_MAX_LENGTH,
    MAX_AMOUNT,
    AmountField,
    amount_validators,
    credit_code_validator,
    new_funds_code,
    new_project_code,
    row_code_validator,
)
from projects.models.flags import DuplicateFlag, DuplicateKind, FlagStatus, HistoricalDuplicateFlag
from projects.models.newness import (
    CARRIED_LABEL,
    NEW_LABEL,
    HistoricalNewnessOverride,
    NewnessOverride,
)
from projects.models.persons import (
    EXTERNAL_KINDS,
    INTERNAL_KINDS,
    Person,
    PersonKind,
    PersonQuerySet,
    PersonStatus,
)
from projects.models.project import (
    NOT_STARTING,
    Category,
    CreditShare,
    HeadEnterprise,
    HistoricalCreditShare,
    HistoricalProject,
    Industry,
    Introducer,
    Origin,
    Project,
    ProjectQuerySet,
    Stage,
)
from projects.models.reports import MonthlyReport, ProjectSettings
from projects.models.rewards import (
    DEFAULT_RULE,
    Reward,
    RewardChange,
    RewardList,
    RewardRule,
    RewardStatus,
)
from projects.models.supervision import (
    Supervision,
    SupervisionFile,
    SupervisionQuerySet,
    SupervisionReply,
    SupervisionStatus,
    overdue_q,
    supervision_file_path,
)
from projects.models.verification import (
    DEFAULT_EVIDENCE_RULES,
    REQUIREMENT_LABELS,
    EvidenceKind,
    counted_amount,
    default_evidence_rules,
    kinds_label,
)
from projects.models.work import (
    AssistanceCategory,
    AssistanceItem,
    AssistanceQuerySet,
    AssistanceStatus,
    HistoricalAssistanceItem,
    Lead,
    LeadQuerySet,
    LeadStatus,
    Visit,
    VisitQuerySet,
)

__all__ = [
    "EXTERNAL_KINDS",
    "INTERNAL_KINDS",
    "Person",
    "PersonKind",
    "PersonQuerySet",
    "PersonStatus",
    "CODE_MAX_LENGTH",
    "DEFAULT_EVIDENCE_RULES",
    "REQUIREMENT_LABELS",
    "EvidenceKind",
    "counted_amount",
    "default_evidence_rules",
    "kinds_label",
    "CARRIED_LABEL",
    "NEW_LABEL",
    "EDITABLE_STATUSES",
    "MAX_AMOUNT",
    "COMPLETED_NEEDS_STARTED",
    "MILESTONE_ORDER",
    "NOT_STARTING",
    "PENDING_STATUSES",
    "AmountField",
    "AssistanceCategory",
    "AssistanceItem",
    "AssistanceQuerySet",
    "AssistanceStatus",
    "Category",
    "Claim",
    "ClaimEvent",
    "ClaimQuerySet",
    "ClaimStatus",
    "CreditShare",
    "DuplicateFlag",
    "DuplicateKind",
    "Evidence",
    "FlagStatus",
    "FundsEntry",
    "FundsRegion",
    "FundsSource",
    "OUTSIDE_CITY_REGIONS",
    "HeadEnterprise",
    "HistoricalAssistanceItem",
    "HistoricalCreditShare",
    "HistoricalDuplicateFlag",
    "HistoricalFundsEntry",
    "HistoricalMilestone",
    "HistoricalMonthlyInvestment",
    "HistoricalNewnessOverride",
    "HistoricalProject",
    "Industry",
    "Introducer",
    "Lead",
    "LeadQuerySet",
    "LeadStatus",
    "Milestone",
    "MilestoneKind",
    "MonthlyInvestment",
    "MonthlyReport",
    "NewnessOverride",
    "Origin",
    "Project",
    "ProjectQuerySet",
    "ProjectSettings",
    "DEFAULT_RULE",
    "Reward",
    "RewardChange",
    "RewardList",
    "RewardRule",
    "RewardStatus",
    "Stage",
    "Supervision",
    "SupervisionFile",
    "SupervisionQuerySet",
    "SupervisionReply",
    "SupervisionStatus",
    "overdue_q",
    "supervision_file_path",
    "Visit",
    "VisitQuerySet",
    "amount_validators",
    "credit_code_validator",
    "evidence_path",
    "new_funds_code",
    "new_project_code",
    "row_code_validator",
]
