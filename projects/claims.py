"""Claims workflow (SPEC §4): who may change a claim, and its transitions.

A claim (Milestone, MonthlyInvestment, FundsEntry) is editable by its unit only while it is a draft
or rejected, and never when its date lies in a published quarter.
"""

from assessment.locks import is_date_locked
from units import access

from .models import EDITABLE_STATUSES


def claim_is_locked(claim):
    """Read-only for everyone: past the unit's hands, or dated inside a published quarter."""
    return claim.status not in EDITABLE_STATUSES or is_date_locked(claim.claim_date)


def can_edit_claim(user, claim):
    return access.can_edit_unit_data(user, claim.project.unit_id) and not claim_is_locked(claim)
