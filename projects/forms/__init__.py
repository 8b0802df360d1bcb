"""Forms for projects and the figures units claim, one module per noun. Validation messages are in
Chinese; the models' validators catch negative and absurd amounts."""

from projects.forms.claims import (
    ClaimForm,
    EvidenceForm,
    FundsForm,
    InvestmentForm,
    MilestoneForm,
)
from projects.forms.fields import DATE, FUTURE, MonthField, not_future
from projects.forms.projects import (
    CreditShareForm,
    CreditShareFormSet,
    CreditShareFormSetFactory,
    IntroducerFormSet,
    IntroducerFormSetFactory,
    ProjectForm,
    TerminateForm,
)
from projects.forms.reports import MonthlyReportForm, ProjectSettingsForm
from projects.forms.work import AssistanceForm, LeadForm, VisitForm

__all__ = [
    "DATE",
    "FUTURE",
    "AssistanceForm",
    "ClaimForm",
    "CreditShareForm",
    "CreditShareFormSet",
    "CreditShareFormSetFactory",
    "EvidenceForm",
    "FundsForm",
    "IntroducerFormSet",
    "IntroducerFormSetFactory",
    "InvestmentForm",
    "LeadForm",
    "MilestoneForm",
    "MonthField",
    "MonthlyReportForm",
    "ProjectForm",
    "ProjectSettingsForm",
    "TerminateForm",
    "VisitForm",
    "not_future",
]
