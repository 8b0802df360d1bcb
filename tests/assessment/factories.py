"""Assessment factories and helpers (kept in this folder so parallel helpers do not collide)."""

import datetime
from decimal import Decimal

import factory

from assessment.defaults import create_default_year
from assessment.models import AssessmentYear, Indicator, ScoreAdjustment, Target
from projects.models import ClaimStatus, CreditShare, MilestoneKind
from tests.factories import (
    FundsEntryFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    ProjectFactory,
)


class AssessmentYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentYear
        django_get_or_create = ("year",)

    year = 2026


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    year = factory.SubFactory(AssessmentYearFactory)
    code = factory.Sequence(lambda n: f"ind{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    kind = "milestone_count"
    milestone = MilestoneKind.SIGNED
    display_unit = "个"
    weight = Decimal(25)


def default_year(year=2026):
    return create_default_year(year)


def set_targets(year_obj, owner, **values):
    """set_targets(ay, unit_or_group, signed_100m=2, funds=1000) → Target rows."""
    from units.models import CollaborationGroup

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


def split_credit(project, shares):
    """shares: {unit: percent}; replaces the project's default 100 % share."""
    CreditShare.objects.filter(project=project).delete()
    for unit, percent in shares.items():
        CreditShare.objects.create(project=project, unit=unit, percent=Decimal(str(percent)))


def adjust(year_obj, unit, points, reason="测试加减分"):
    return ScoreAdjustment.objects.create(
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
        "note": "",
    }
    data.update(overrides)
    return data
