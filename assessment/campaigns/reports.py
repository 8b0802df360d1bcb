"""周报 / 旬报 of a campaign (issue 20 item 4): who files, what is frozen, who has not reported.

- A unit takes part in a campaign when it holds a campaign target or a measure target; its own
  users (staff, head, a coordinator for their own unit — `units.access.can_edit_unit_data`)
  file its report, one per period (unique), for a period that has begun.
- A report stays editable by the unit until the 《简报》 of its period, or of a later period, is
  issued (the 简报 prints the figures so far): from then on the guard (`ReportRule`, registered
  by `zhaoshang.guard.register_rules`) refuses every save and delete of the report and its
  figures, whatever the path. A report filed after its due day (`periods.Period.due`) is kept
  and marked 逾期.
- The office and the city leaders read every unit's reports (`assessment.visibility.sees_drafts`);
  a unit user reads their own unit's only.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessment.models import (
    Campaign,
    CampaignBrief,
    CampaignMeasureTarget,
    CampaignReport,
    CampaignReportFigure,
    CampaignTarget,
    MeasureKind,
)
from assessment.visibility import sees_drafts
from units import access
from units.models import Unit
from zhaoshang.guarded import Frozen

REPORT_FROZEN = "第{}期（{}）简报已印发，本期及以前各期的报告已锁定，不能再修改或删除。"


# --- the guard ----------------------------------------------------------------------------


def _row_locks():
    connection = transaction.get_connection()
    return connection.features.has_select_for_update and connection.in_atomic_block


def freezing_brief(campaign_id, period):
    """The issued brief that freezes `period` of the campaign (its own or a later one), or None.
    Takes the campaign's row lock first, as issuing does, so a write and an issue serialise."""
    rows = Campaign.objects.filter(pk=campaign_id)
    if _row_locks():
        list(rows.select_for_update().values_list("pk"))
    return (
        CampaignBrief.objects.filter(campaign_id=campaign_id, period__gte=period)
        .order_by("period")
        .first()
    )


def frozen_message(brief):
    from assessment.campaigns.periods import period_of

    period = period_of(brief.campaign, brief.period)
    return REPORT_FROZEN.format(brief.number, period.label if period else brief.period)


class ReportRule:
    """CampaignReport and CampaignReportFigure: frozen once their period's 简报 is issued."""

    @staticmethod
    def _keys(obj):
        report = obj.report if hasattr(obj, "report_id") else obj
        keys = {(report.campaign_id, report.period)}
        if isinstance(obj, CampaignReport) and obj.pk is not None:
            stored = CampaignReport.objects.filter(pk=obj.pk).values_list("campaign_id", "period")
            keys |= set(stored)
        return keys

    def check_save(self, obj):
        for campaign_id, period in sorted(self._keys(obj)):
            brief = freezing_brief(campaign_id, period)
            if brief is not None:
                raise Frozen(frozen_message(brief))

    def check_create(self, objs):
        for obj in objs:
            self.check_save(obj)

    check_delete = check_save


def register_guard(register):
    rule = ReportRule()
    register(CampaignReport, rule)
    register(CampaignReportFigure, rule)


# --- who reports, who reads ---------------------------------------------------------------


def taking_part(campaign):
    """Units with a campaign target or a measure target, in the usual order (one query)."""
    with_targets = CampaignTarget.objects.filter(campaign=campaign).values("unit_id")
    with_measures = CampaignMeasureTarget.objects.filter(measure__campaign=campaign).values(
        "unit_id"
    )
    return list(Unit.objects.filter(Q(pk__in=with_targets) | Q(pk__in=with_measures)))


def reads_all(user):
    return sees_drafts(user)


def can_file(user, unit_id, units):
    """May `user` file the report of `unit_id`? Their own unit, taking part in the campaign."""
    return unit_id in {u.pk for u in units} and access.can_edit_unit_data(user, unit_id)


def own_unit(user, units):
    """The unit among `units` whose reports `user` files, or None."""
    for unit in units:
        if access.can_edit_unit_data(user, unit.pk) and unit.pk == user.unit_id:
            return unit
    return None


def can_open(user, campaign):
    """Whether the reports page opens for `user`: the office and leaders, or a user of a unit
    taking part (the page lists that unit's own reports)."""
    return reads_all(user) or own_unit(user, taking_part(campaign)) is not None


def reported_measures(campaign):
    return list(campaign.measures.filter(kind=MeasureKind.REPORTED))


def reports_of(campaign, period=None, unit=None):
    """Reports with their figures ({measure_id: value} as `.values`), two queries."""
    qs = CampaignReport.objects.filter(campaign=campaign).select_related("unit", "filed_by")
    if period is not None:
        qs = qs.filter(period=period)
    if unit is not None:
        qs = qs.filter(unit=unit)
    reports = list(qs)
    figures = CampaignReportFigure.objects.filter(report__in=[r.pk for r in reports])
    by_report = {}
    for report_id, measure_id, value in figures.values_list("report_id", "measure_id", "value"):
        by_report.setdefault(report_id, {})[measure_id] = value
    for report in reports:
        report.values = by_report.get(report.pk, {})
    return reports


def is_late(report, period):
    return timezone.localtime(report.filed_at).date() > period.due


def not_reported(units, reports):
    """The units of `units` without a report among `reports` (of one period)."""
    filed = {r.unit_id for r in reports}
    return [u for u in units if u.pk not in filed]


def issued_briefs(campaign):
    """{period: CampaignBrief} of the campaign (one query)."""
    return {b.period: b for b in CampaignBrief.objects.filter(campaign=campaign)}


@transaction.atomic
def save_report(campaign, unit, period, values, progress, user):
    """File or correct `unit`'s report of `period`: `values` {measure: Decimal}. The guard
    refuses it (Frozen, a Chinese message) once the period's 简报 is issued; then nothing is
    saved."""
    report = CampaignReport.objects.filter(campaign=campaign, unit=unit, period=period).first()
    if report is None:
        report = CampaignReport(campaign=campaign, unit=unit, period=period)
    report.progress = progress
    report.filed_by = user
    report.save()
    existing = {f.measure_id: f for f in report.figures.all()}
    for measure, value in values.items():
        figure = existing.get(measure.pk)
        if figure is None:
            CampaignReportFigure(report=report, measure=measure, value=value).save()
        elif figure.value != value:
            figure.value = value
            figure.save()
    return report
