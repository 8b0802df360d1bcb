"""Factories of `assessment` (years, indicators, targets, adjustments, snapshots, the log,
campaigns and their targets) and the helpers the engine tests build cities with."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from assessment.defaults import create_default_year
from assessment.engine import compute
from assessment.models import (
    AssessmentLog,
    AssessmentYear,
    Campaign,
    CampaignMeasure,
    CampaignMeasureTarget,
    CampaignReport,
    CampaignReportFigure,
    CampaignTarget,
    ImportLease,
    Indicator,
    LogAction,
    MeasureKind,
    RecognitionExclusion,
    ScoreAdjustment,
    Snapshot,
    SnapshotLine,
    SnapshotStatus,
    Target,
)
from assessment.serialize import result_to_dict
from projects.models import ClaimStatus, CreditShare, MilestoneKind
from tests.factories.base import GuardedFactory, setting_up
from tests.factories.projects import (
    FundsEntryFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    ProjectFactory,
)
from tests.factories.units import UnitFactory
from units.models import CollaborationGroup


class AssessmentYearFactory(GuardedFactory):
    """A year's rules without indicators; `default_year(y)` gives the default five."""

    class Meta:
        model = AssessmentYear
        django_get_or_create = ("year",)

    year = 2026


class IndicatorFactory(GuardedFactory):
    class Meta:
        model = Indicator

    year = factory.SubFactory(AssessmentYearFactory)
    code = factory.Sequence(lambda n: f"ind{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    kind = "milestone_count"
    milestone = MilestoneKind.SIGNED
    display_unit = "个"
    weight = Decimal(25)


class TargetFactory(GuardedFactory):
    """A unit's target, or a group's when group= is given (a target has one owner)."""

    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    group = None
    unit = factory.Maybe(
        "group", yes_declaration=None, no_declaration=factory.SubFactory(UnitFactory)
    )
    value = Decimal("2")


class RecognitionExclusionFactory(GuardedFactory):
    """A project on the year's 不予认定清单."""

    class Meta:
        model = RecognitionExclusion

    year = factory.SubFactory(AssessmentYearFactory)
    project = factory.SubFactory(ProjectFactory)
    reason = "非本地投资，不予认定"


class ScoreAdjustmentFactory(GuardedFactory):
    class Meta:
        model = ScoreAdjustment

    year = factory.SubFactory(AssessmentYearFactory)
    unit = factory.SubFactory(UnitFactory)
    points = Decimal("-2.5")
    reason = "测试加减分"


class SnapshotFactory(GuardedFactory):
    """A stored snapshot of the year's figures as computed now (or pass `data`, a serialised
    result, to store other figures); `compute_snapshot` is the product's way to one."""

    class Meta:
        model = Snapshot

    year = factory.SubFactory(AssessmentYearFactory)
    quarter = 1
    version = 1
    status = SnapshotStatus.DRAFT
    data = factory.LazyAttribute(lambda s: result_to_dict(compute(s.year.year, s.quarter)))
    computed_at = factory.LazyFunction(timezone.now)


class SnapshotLineFactory(GuardedFactory):
    """One stored evidence line of a snapshot (`compute_snapshot` stores the real ones)."""

    class Meta:
        model = SnapshotLine

    snapshot = factory.SubFactory(SnapshotFactory)
    indicator_code = "funds"
    claim_kind = "funds"
    claim_id = 1
    claim_label = "企业和个人投资"
    project_id = 1
    project_name = "示例项目"
    unit_id = 1
    unit_name = "示例县"
    date = datetime.date(2026, 3, 1)
    amount = Decimal("100")
    share = Decimal("100")
    counted = Decimal("100")
    verified = True


class AssessmentLogFactory(GuardedFactory):
    class Meta:
        model = AssessmentLog

    year = factory.SubFactory(AssessmentYearFactory)
    action = LogAction.CHANGE_RULES
    reason = "测试记录"


class ImportLeaseFactory(factory.django.DjangoModelFactory):
    """The import lease, held by a workbook import job (`assessment.workbooks.serial`)."""

    class Meta:
        model = ImportLease
        django_get_or_create = ("id",)

    id = ImportLease.SINGLETON
    token = factory.Faker("hexify", text="^" * 32)
    holder = "Excel 导入任务 #1"
    years = factory.LazyFunction(lambda: [2026])
    started_at = factory.LazyFunction(timezone.now)
    heartbeat_at = factory.LazyFunction(timezone.now)


class CampaignFactory(GuardedFactory):
    """A 100-day campaign inside its year (1 April → 9 July)."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"百日招商攻坚会战{n}")
    year = factory.SubFactory(AssessmentYearFactory)
    start = factory.LazyAttribute(lambda c: datetime.date(c.year.year, 4, 1))
    end = factory.LazyAttribute(lambda c: datetime.date(c.year.year, 7, 9))


class CampaignTargetFactory(GuardedFactory):
    class Meta:
        model = CampaignTarget

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)
    indicator = factory.SubFactory(IndicatorFactory, year=factory.SelfAttribute("..campaign.year"))
    value = Decimal("1")


# --- helpers ----------------------------------------------------------------------------------


@setting_up
def default_year(year=2026, **rules):
    """The default year of SPEC §5, except that every unit with an assessed indicator is ranked
    (min_indicators = 1): most test cities give a unit a single target, and their tests are about
    something else. The product's default (2) and every other echelon rule are tested in
    tests/assessment/test_engine_echelons.py. `rules` sets further AssessmentYear fields."""
    ay = create_default_year(year)
    rules = {"min_indicators": 1, **rules}
    if any(getattr(ay, name) != value for name, value in rules.items()):
        for name, value in rules.items():
            setattr(ay, name, value)
        ay.save()
    return ay


@setting_up
def set_targets(year_obj, owner, **values):
    """set_targets(ay, unit_or_group, signed_100m=2, funds=1000) → Target rows."""
    key = "group" if isinstance(owner, CollaborationGroup) else "unit"
    rows = []
    for code, value in values.items():
        ind = year_obj.indicators.get(code=code)
        rows.append(
            Target.objects.update_or_create(
                indicator=ind, **{key: owner}, defaults={"value": Decimal(str(value))}
            )[0]
        )
    return rows


def set_campaign_targets(campaign, unit, **values):
    """set_campaign_targets(campaign, unit, signed_100m=1, funds=400) → CampaignTarget rows."""
    return [
        CampaignTargetFactory(
            campaign=campaign,
            unit=unit,
            indicator=campaign.year.indicators.get(code=code),
            value=Decimal(str(value)),
        )
        for code, value in values.items()
    ]


def signed_project(unit, date=datetime.date(2026, 3, 15), status=ClaimStatus.APPROVED, **kw):
    """A project of `unit` with a signing milestone (contracted 15000 万元 by default)."""
    project = ProjectFactory(unit=unit, **kw)
    MilestoneFactory(project=project, kind=MilestoneKind.SIGNED, date=date, status=status)
    return project


def milestone(project, kind, date, status=ClaimStatus.APPROVED):
    return MilestoneFactory(project=project, kind=kind, date=date, status=status)


def investment(project, month, amount, status=ClaimStatus.APPROVED):
    return MonthlyInvestmentFactory(
        project=project, month=month, amount=Decimal(str(amount)), status=status
    )


def funds(project, date, amount, source="enterprise", status=ClaimStatus.APPROVED):
    return FundsEntryFactory(
        project=project, date=date, amount=Decimal(str(amount)), source=source, status=status
    )


@setting_up
def split_credit(project, shares):
    """shares: {unit: percent}; replaces the project's default 100 % share."""
    CreditShare.objects.filter(project=project).delete()
    for unit, percent in shares.items():
        CreditShare.objects.create(project=project, unit=unit, percent=Decimal(str(percent)))


def adjust(year_obj, unit, points, reason="测试加减分"):
    return ScoreAdjustmentFactory(
        year=year_obj, unit=unit, points=Decimal(str(points)), reason=reason
    )


def year_form_data(**overrides):
    """A valid POST of the assessment-year form (2027, the default rules), with `overrides`."""
    data = {
        "year": "2027",
        "score_cap": "1.2",
        "echelon_first": "1/3",
        "echelon_second": "2/3",
        "progress_q1": "25",
        "progress_q2": "50",
        "progress_q3": "75",
        "progress_q4": "100",
        "site_assessment": "on",
        "excluded_categories": ["real_estate"],
        "tie_break": "on",
        "tie_break_indicator": "",
        "zero_progress_third": "on",
        "first_echelon_floor": "0.5",
        "min_indicators": "2",
        "escalation_display": "projected",
        "separate_duties": "on",
        # The default evidence of issue 17 item 1, as the form's checkboxes post it.
        "evidence_funds": ["receipt"],
        "evidence_signed": ["contract"],
        "evidence_started": ["permit", "site_photo"],
        "evidence_completed": ["acceptance"],
        "note": "",
    }
    data.update(overrides)
    return data


# --- campaign measures and reports (issue 20 item 4) -----------------------------------------


class CampaignMeasureFactory(factory.django.DjangoModelFactory):
    """A count the units report (招商信息条数, weight 10); `band(...)` for a project band."""

    class Meta:
        model = CampaignMeasure

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"招商信息条数{n}")
    kind = MeasureKind.REPORTED
    unit_label = "条"
    weight = Decimal("10")


def band_measure(campaign, name, lower, milestone=MilestoneKind.SIGNED, weight=20, basis=None):
    """A project-band measure: projects signed (or started) with investment ≥ `lower` 万元."""
    return CampaignMeasureFactory(
        campaign=campaign,
        name=name,
        kind=MeasureKind.PROJECT_BAND,
        unit_label="个",
        weight=Decimal(str(weight)),
        milestone=milestone,
        investment_basis=basis or "contracted",
        min_investment=Decimal(str(lower)),
    )


def measure_target(measure, unit, value):
    return CampaignMeasureTarget.objects.create(
        measure=measure, unit=unit, value=Decimal(str(value))
    )


def file_report(campaign, unit, period, progress="", **values):
    """file_report(c, unit, 1, progress="…", m12=4): a report with its figures ({code: value},
    the measure's `code`)."""
    report = CampaignReport.objects.create(
        campaign=campaign, unit=unit, period=period, progress=progress
    )
    for code, value in values.items():
        CampaignReportFigure.objects.create(
            report=report, measure_id=int(code[1:]), value=Decimal(str(value))
        )
    return report
