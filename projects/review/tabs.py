"""The review queue's tabs (issue 18 item 2): what the user can act on now, what waits on someone
else, and what lies in a locked (published) quarter.

Decisions:
- **可办理** (the default tab) holds the pending claims whose *next forward step* the user may
  take now: 审核 / 现场评估 / 会办确认 for the office, 审定 for whoever approves (leaders by
  default, `claims.approver_roles`). The rules are the workflow's own (`claims.allowed_actions`,
  `projects.verification`), expressed as a filter so the tab pages and counts in the database:
  not in a locked quarter, not of the user's own unit, and — where the year separates duties —
  no other step of the claim taken by this user. A 会办确认 claim the office could still send
  back waits on the approver, so for the office it is in **待他人办理**.
- **待他人办理**: pending claims in open quarters that are not the user's to advance.
- **已锁定季度**: pending claims dated in a published quarter; nobody can act on them until the
  quarter is unlocked.
- **全部**: the queue as it was (any status through the 环节 filter).
The tab filters are the same `Q` for every claim model, built once per request from one read of
the years' settings (`Periods`), so the count of queries does not grow with the queue.
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from assessment.models import AssessmentYear
from projects import claims, verification
from projects.locks import Periods
from projects.models import PENDING_STATUSES, ClaimEvent, ClaimStatus
from units import access

ACTIONABLE = "act"
WAITING = "waiting"
LOCKED = "locked"
ALL = "all"
TABS = [
    (ACTIONABLE, "可办理"),
    (WAITING, "待他人办理"),
    (LOCKED, "已锁定季度"),
    (ALL, "全部"),
]
TAB_LABELS = dict(TABS)
NOTHING = Q(pk__in=[])


def tab_of(data):
    value = data.get("tab", "")
    return value if value in TAB_LABELS else ACTIONABLE


class QueueScope:
    """The years' settings one request needs to sort claims into tabs."""

    def __init__(self, user, periods=None):
        self.user = user
        years = list(AssessmentYear.objects.values_list("year", flat=True))
        self.periods = (periods or Periods()).read(years)
        self.years = years

    def _year_in(self, field, years):
        return Q(**{f"{field}__year__in": years}) if years else NOTHING

    def locked_q(self, model):
        """Claims dated inside a published quarter of their year."""
        field = model.claim_date_field
        parts = []
        for year in self.years:
            end = self.periods.locked_through(year)
            if end is not None:
                parts.append(Q(**{f"{field}__year": year, f"{field}__lte": end}))
        return reduce(or_, parts) if parts else NOTHING

    def _other_step_taken(self, model, target):
        """The user took another verification step of the claim, in a year separating duties."""
        slug = next(s for s, m in claims.CLAIM_MODELS.items() if m is model)
        others = [s for s in verification.STEP_STATUSES if s != target]
        taken = Exists(
            ClaimEvent.objects.filter(
                **{verification.FIELD[slug]: OuterRef("pk")},
                actor_id=self.user.pk,
                to_status__in=others,
            )
        )
        separating = [y for y in self.years if self.periods.separate_duties(y)]
        lenient = [y for y in self.years if y not in separating]
        # Years without settings separate duties (the default), so only lenient years are exempt.
        return taken & ~self._year_in(model.claim_date_field, lenient)

    def _step(self, model, status, target):
        return Q(status=status) & ~self._other_step_taken(model, target)

    def actionable_q(self, model):
        """Pending claims whose next forward step this user may take now."""
        user = self.user
        field = model.claim_date_field
        parts = []
        if access.is_reviewer(user):
            no_site = [y for y in self.years if not self.periods.site_assessment(y)]
            without_site = self._year_in(field, no_site)
            parts += [
                self._step(model, ClaimStatus.SUBMITTED, ClaimStatus.REVIEWED),
                self._step(model, ClaimStatus.REVIEWED, ClaimStatus.SITE_ASSESSED) & ~without_site,
                self._step(model, ClaimStatus.REVIEWED, ClaimStatus.CONFIRMED) & without_site,
                self._step(model, ClaimStatus.SITE_ASSESSED, ClaimStatus.CONFIRMED),
            ]
        if access.is_admin(user) or access.role_of(user) in claims.approver_roles():
            parts.append(self._step(model, ClaimStatus.CONFIRMED, ClaimStatus.APPROVED))
        if not parts:
            return NOTHING
        q = reduce(or_, parts) & ~self.locked_q(model)
        if getattr(user, "unit_id", None):
            q &= ~Q(project__unit_id=user.unit_id)  # a unit never verifies its own claims
        return q

    def tab_q(self, model, tab):
        """The filter of `tab` on pending claims of `model` (ALL: no filter)."""
        if tab == ALL:
            return Q()
        pending = Q(status__in=PENDING_STATUSES)
        if tab == LOCKED:
            return pending & self.locked_q(model)
        actionable = self.actionable_q(model)
        if tab == ACTIONABLE:
            return pending & actionable
        return pending & ~self.locked_q(model) & ~actionable
