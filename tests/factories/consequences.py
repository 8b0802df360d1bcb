"""Factories of the issue-20 models of `assessment` (heads in post, the ledger, campaign measure
targets, 周报/旬报 and 《简报》) and of the intermediary rewards of `projects` (issue 19)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from assessment.models import (
    CampaignBrief,
    CampaignMeasureTarget,
    CampaignReport,
    CampaignReportFigure,
    DecisionKind,
    LedgerDecision,
    UnitHead,
)
from projects.models import PersonKind
from projects.models.rewards import Reward, RewardChange, RewardList, RewardRule
from tests.factories.assessment import (
    AssessmentYearFactory,
    CampaignFactory,
    CampaignMeasureFactory,
)
from tests.factories.base import GuardedFactory
from tests.factories.projects import PersonFactory
from tests.factories.units import UnitFactory


class UnitHeadFactory(GuardedFactory):
    class Meta:
        model = UnitHead

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"负责人{n:02d}")
    start = datetime.date(2024, 1, 1)


class LedgerDecisionFactory(GuardedFactory):
    """A proposed 批评诫勉 of a unit in a year."""

    class Meta:
        model = LedgerDecision

    year = factory.SubFactory(AssessmentYearFactory)
    kind = DecisionKind.CRITICISM
    unit = factory.SubFactory(UnitFactory)
    reason = "年度任务未完成"


class CampaignMeasureTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignMeasureTarget

    measure = factory.SubFactory(CampaignMeasureFactory)
    unit = factory.SubFactory(UnitFactory)
    value = Decimal("10")


class CampaignReportFactory(GuardedFactory):
    class Meta:
        model = CampaignReport

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)
    period = 1
    progress = "本周走访客商3家。"


class CampaignReportFigureFactory(GuardedFactory):
    class Meta:
        model = CampaignReportFigure

    report = factory.SubFactory(CampaignReportFactory)
    measure = factory.SubFactory(
        CampaignMeasureFactory, campaign=factory.SelfAttribute("..report.campaign")
    )
    value = Decimal("4")


class CampaignBriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignBrief

    campaign = factory.SubFactory(CampaignFactory)
    period = 1
    number = 1
    issued_at = factory.LazyFunction(timezone.now)


class RewardRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RewardRule

    year = factory.SubFactory(AssessmentYearFactory)


class RewardListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RewardList

    year = factory.SubFactory(AssessmentYearFactory)


class RewardFactory(GuardedFactory):
    """A computed (拟奖励) reward of an intermediary."""

    class Meta:
        model = Reward

    reward_list = factory.SubFactory(RewardListFactory)
    person = factory.SubFactory(PersonFactory, kind=PersonKind.INTERMEDIARY)
    funds = Decimal("1000")
    computed_amount = Decimal("1")
    amount = Decimal("1")


class RewardChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RewardChange

    reward = factory.SubFactory(RewardFactory)
    old_amount = Decimal("1")
    new_amount = Decimal("0.8")
    reason = "公示期间核减"
