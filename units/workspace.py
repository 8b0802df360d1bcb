"""The coordinator's workspace of one collaboration group for one quarter (issue 19 item 1): the
group's targets against actuals per indicator with the quarter's 序时进度, every member's figures,
rank and echelon, the members behind schedule, the group's open 帮办 items and shared leads — and
the same figures for the printable group 通报.

Decisions:
- Who reads it (`access.can_read_group_workspace`): staff of the group's lead unit (协作组牵头单位)
  and the office, the city leaders (the group leader among them) and admins. Member units' own
  staff see the group page without it; everyone else does not see the group at all (404).
- Scoped by the year of membership: a group is one year's, so its members are that year's
  memberships and its figures that year's assessment. A unit that moved groups shows in its new
  group this year and in its old group for last year.
- Which result: the one `assessment.visibility.shown_result` gives the user — the published
  snapshot where the quarter is published (frozen), else for the office and leaders the newest
  draft or a live computation, as on the ranking page. A coordinator, like every unit user, sees
  ranks, scores and echelons only once published; before that the workspace shows the live figures
  (targets, actuals, completion, 序时进度 — members' data the coordinator may read anyway) and says
  the ranking awaits publication.
- Members are the group's memberships as they stand; their figures are looked up by unit in the
  result, so a published quarter shows the figures it announced.
- A fixed number of queries whatever the number of members: the engine's own, one for the
  memberships, one each for 帮办 items and leads (and the leads' shared-with units).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils import timezone

from assessment import visibility
from assessment.bulletin import behind_schedule
from assessment.engine import compute_cached
from assessment.models import AssessmentYear, quarter_of
from projects.models import AssistanceItem, AssistanceStatus, Lead, LeadStatus, Project
from units.models import GroupMembership, Unit

QUARTERS = (1, 2, 3, 4)


def default_quarter(group, today=None):
    """The quarter a group's workspace opens on: today's quarter in the group's own year, the
    fourth quarter of a past year, the first of a future one."""
    today = today or timezone.localdate()
    if group.year == today.year:
        return quarter_of(today)
    return 4 if group.year < today.year else 1


@dataclass
class MemberRow:
    unit: Unit
    is_lead: bool
    entity: object = None  # the unit's EntityResult in the shown result, or None
    behind: list = field(default_factory=list)  # names of indicators behind the time progress

    @property
    def is_behind(self):
        return bool(self.behind)


@dataclass
class Workspace:
    group: object
    quarter: int
    year: object = None  # AssessmentYear, or None when the year has no rules yet
    shown: object = None  # visibility.Shown of the ranking the user may see
    result: object = None  # the AssessmentResult whose figures are shown
    ranks_shown: bool = False  # ranks, scores and echelons may be shown to this user
    group_entity: object = None
    members: list = field(default_factory=list)
    assistance: list = field(default_factory=list)
    leads: list = field(default_factory=list)
    today: object = field(default_factory=timezone.localdate)  # overdue 帮办 are marked

    @property
    def behind_members(self):
        return [m for m in self.members if m.is_behind]

    @property
    def members_by_rank(self):
        """Members in rank order, those not ranked last (in the 通报)."""
        return sorted(
            self.members,
            key=lambda m: (m.entity is None or m.entity.rank is None, m.entity and m.entity.rank),
        )

    @property
    def indicator_rows(self):
        """[(IndicatorSpec, IndicatorResult or None)] of the group, in the result's order."""
        if self.result is None:
            return []
        figures = self.group_entity.indicators if self.group_entity else {}
        return [(spec, figures.get(spec.code)) for spec in self.result.indicators]


def _memberships(group):
    return list(
        GroupMembership.objects.filter(group=group)
        .select_related("unit")
        .order_by("unit__sort_order", "unit__name")
    )


def open_assistance(user, group, unit_ids):
    """Unresolved 帮办 items of the member units' projects belonging to the group's year, as far
    as the user may read them (a coordinator: the years the unit was a member)."""
    projects = Project.objects.filter(unit_id__in=unit_ids).filter(
        Project.objects.in_year(group.year)
    )
    return list(
        AssistanceItem.objects.visible_to(user)
        .filter(project__in=projects.values("pk"))
        .exclude(status=AssistanceStatus.RESOLVED)
        .select_related("project", "project__unit", "responsible_unit")
        .order_by("deadline", "pk")
    )


def shared_leads(user, group, unit_ids):
    """Leads still followed up that member units collected in the group's year and shared with
    other units, as far as the user may read them."""
    return list(
        Lead.objects.visible_to(user)
        .filter(unit_id__in=unit_ids, created__year=group.year, status=LeadStatus.OPEN)
        .annotate(share_count=Count("shared_with"))
        .filter(share_count__gt=0)
        .select_related("unit", "industry")
        .prefetch_related(Prefetch("shared_with", queryset=Unit.objects.order_by("name")))
        .order_by("-created", "pk")
    )


def build(user, group, quarter):
    """The Workspace of `group` for `quarter` as `user` may see it (call only after
    `access.can_read_group_workspace`)."""
    ws = Workspace(group=group, quarter=quarter)
    memberships = _memberships(group)
    unit_ids = [m.unit_id for m in memberships]
    ws.assistance = open_assistance(user, group, unit_ids)
    ws.leads = shared_leads(user, group, unit_ids)
    ws.members = [MemberRow(m.unit, m.unit_id == group.lead_unit_id) for m in memberships]
    ws.year = AssessmentYear.objects.filter(year=group.year).first()
    if ws.year is None:
        return ws
    ws.shown = visibility.shown_result(user, ws.year, quarter)
    ws.ranks_shown = ws.shown.result is not None
    # Before publication a unit user still sees the figures themselves, computed now.
    ws.result = ws.shown.result or compute_cached(ws.year, quarter, with_escalation=False)
    ws.group_entity = next((g for g in ws.result.groups if g.id == group.pk), None)
    units = {u.id: u for u in ws.result.units}
    # The 通报's rule of "behind schedule" (ranked units, indicators below the time progress).
    behind = {u.id: names for u, names in behind_schedule(ws.result)}
    for row in ws.members:
        row.entity = units.get(row.unit.pk)
        row.behind = behind.get(row.unit.pk, [])
    return ws
