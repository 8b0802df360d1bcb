"""Factories of `projects`: the registry, claims with evidence and workflow events, everyday work
(assistance, leads, visits, monthly reports), the thresholds row and duplicate flags."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from projects import services, steps
from projects.models import (
    DEFAULT_EVIDENCE_RULES,
    AssistanceCategory,
    AssistanceItem,
    ClaimEvent,
    ClaimStatus,
    CreditShare,
    DuplicateFlag,
    DuplicateKind,
    Evidence,
    EvidenceKind,
    FundsEntry,
    FundsSource,
    Industry,
    Introducer,
    Lead,
    Milestone,
    MilestoneKind,
    MonthlyInvestment,
    MonthlyReport,
    NewnessOverride,
    Person,
    PersonKind,
    Project,
    ProjectSettings,
    Supervision,
    SupervisionFile,
    SupervisionReply,
    Visit,
)
from tests.factories.base import GuardedFactory, building
from tests.factories.units import UnitFactory


class IndustryFactory(GuardedFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = "装备制造"


class ProjectFactory(GuardedFactory):
    """A project; saving it gives its unit the 100 % credit share (Project.save)."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n:04d}")
    investor_name = factory.Sequence(lambda n: f"测试投资有限公司{n:04d}")
    industry = factory.SubFactory(IndustryFactory)
    category = "industrial"
    unit = factory.SubFactory(UnitFactory)
    total_investment = Decimal("20000")
    contracted_investment = Decimal("15000")
    stage = "signed"


class NewnessOverrideFactory(GuardedFactory):
    """A year's 新引进/结转 override (by default: 结转 in 2026, whatever the signing says)."""

    class Meta:
        model = NewnessOverride

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    is_new = False
    reason = "测试：本年度认定为结转"


class CreditShareFactory(GuardedFactory):
    """A further share; the project's own 100 % share must be changed for the sum to stay 100."""

    class Meta:
        model = CreditShare

    project = factory.SubFactory(ProjectFactory)
    unit = factory.SubFactory(UnitFactory)
    percent = Decimal("100")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person of the registry: by default a staff member of a new unit."""

    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"引资人{n:02d}")
    kind = PersonKind.STAFF
    unit = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == PersonKind.STAFF),
        factory.SubFactory(UnitFactory),
        None,
    )


class IntroducerFactory(GuardedFactory):
    """A project's 引资人: by default a staff member of the project's unit."""

    class Meta:
        model = Introducer

    project = factory.SubFactory(ProjectFactory)
    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..project.unit"))


def submitted_now(claim):
    """A claim past its draft was submitted once: now, unless the test says when (issue 21)."""
    return None if claim.status == ClaimStatus.DRAFT else timezone.now()


class MilestoneFactory(GuardedFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    kind = MilestoneKind.SIGNED
    date = datetime.date(2026, 3, 15)
    status = ClaimStatus.APPROVED
    submitted_at = factory.LazyAttribute(submitted_now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The project's verified dates (`Project.signed_on` …) follow, as the workflow keeps them.
        # Dates only: the stage stays what the test set (tests build stages directly).
        milestone = super()._create(model_class, *args, **kwargs)
        with building("测试数据"):
            services.fill_milestone_dates(Project.objects.filter(pk=milestone.project_id))
        return milestone


class MonthlyInvestmentFactory(GuardedFactory):
    class Meta:
        model = MonthlyInvestment

    project = factory.SubFactory(ProjectFactory)
    month = datetime.date(2026, 3, 1)
    amount = Decimal("1000")
    status = ClaimStatus.APPROVED
    submitted_at = factory.LazyAttribute(submitted_now)


class FundsEntryFactory(GuardedFactory):
    class Meta:
        model = FundsEntry

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2026, 3, 20)
    source = FundsSource.ENTERPRISE
    amount = Decimal("500")
    status = ClaimStatus.APPROVED
    submitted_at = factory.LazyAttribute(submitted_now)


def default_evidence_kind(claim):
    """The first kind the default rules ask of `claim` (SPEC §4): a receipt for funds, a
    contract for 签约 …; 其他 where evidence is optional."""
    key = (
        claim.kind
        if isinstance(claim, Milestone)
        else ("funds" if isinstance(claim, FundsEntry) else "investment")
    )
    kinds = DEFAULT_EVIDENCE_RULES.get(key) or [EvidenceKind.OTHER]
    return kinds[0]


class EvidenceFactory(GuardedFactory):
    """An evidence file of a new milestone, or of the investment= or funds= given; of the kind
    its claim needs by default unless kind= is given."""

    class Meta:
        model = Evidence

    investment = None
    funds = None
    milestone = factory.Maybe(
        factory.LazyAttribute(lambda o: o.investment is None and o.funds is None),
        yes_declaration=factory.SubFactory(MilestoneFactory),
        no_declaration=None,
    )
    file = factory.django.FileField(filename="合同扫描件.pdf", data=b"%PDF-1.4 demo")
    original_name = "合同扫描件.pdf"
    content_type = "application/pdf"
    size = 13
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    kind = factory.LazyAttribute(
        lambda o: default_evidence_kind(o.milestone or o.investment or o.funds)
    )


class ClaimEventFactory(GuardedFactory):
    """A workflow step of a new milestone, or of the milestone=, investment= or funds= given."""

    class Meta:
        model = ClaimEvent

    investment = None
    funds = None
    milestone = factory.Maybe(
        factory.LazyAttribute(lambda o: o.investment is None and o.funds is None),
        yes_declaration=factory.SubFactory(MilestoneFactory),
        no_declaration=None,
    )
    from_status = ClaimStatus.DRAFT
    to_status = ClaimStatus.SUBMITTED
    # 现场评估 and 会办确认 always carry their record (issue 17, `projects.steps`).
    details = factory.LazyAttribute(lambda o: dict(STEP_DETAILS.get(o.to_status, {})))


# What a 现场评估 / 会办确认 records (`projects.steps`): complete, so the step passes validation.
STEP_DETAILS = {
    ClaimStatus.SITE_ASSESSED: {
        "visit_date": "2026-03-20",
        "inspectors": "郑评估、李核查",
        "result": "现场核实，与申报一致。",
    },
    ClaimStatus.CONFIRMED: {"departments": "市发改委、市商务局", "decision": "同意上报审定。"},
}


def step_record(action, **kwargs):
    """A `projects.steps.StepRecord` complete for `action` ('site_assess', 'confirm', …)."""
    status = {"site_assess": ClaimStatus.SITE_ASSESSED, "confirm": ClaimStatus.CONFIRMED}
    details = dict(STEP_DETAILS.get(status.get(action), {}))
    return steps.StepRecord(details=details, **kwargs)


class AssistanceItemFactory(GuardedFactory):
    """帮办事项 of a project; the project's unit must act on it unless told otherwise."""

    class Meta:
        model = AssistanceItem

    project = factory.SubFactory(ProjectFactory)
    category = AssistanceCategory.LAND
    problem = "用地指标不足"
    responsible_unit = factory.SelfAttribute("project.unit")
    deadline = datetime.date(2026, 6, 30)


class SupervisionFactory(GuardedFactory):
    """督办单 on a project (its unit answers), awaiting a reply."""

    class Meta:
        model = Supervision

    project = factory.SubFactory(ProjectFactory)
    request = "请加快推进项目开工，书面报告进展"
    reply_by = datetime.date(2026, 6, 30)


class SupervisionReplyFactory(factory.django.DjangoModelFactory):
    """The answering unit's reply to a 督办."""

    class Meta:
        model = SupervisionReply

    supervision = factory.SubFactory(SupervisionFactory)
    text = "已召开专题会议，项目计划下月开工"


class SupervisionFileFactory(factory.django.DjangoModelFactory):
    """A file attached to a 督办 reply."""

    class Meta:
        model = SupervisionFile

    reply = factory.SubFactory(SupervisionReplyFactory)
    file = factory.django.FileField(filename="答复材料.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "答复材料.pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64


class LeadFactory(GuardedFactory):
    class Meta:
        model = Lead
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    investor_name = factory.Sequence(lambda n: f"某新材料公司{n:03d}")

    @factory.post_generation
    def shared_with(obj, create, extracted, **kwargs):
        """LeadFactory(shared_with=[unit, …])."""
        if create and extracted:
            obj.shared_with.add(*extracted)


class VisitFactory(GuardedFactory):
    class Meta:
        model = Visit

    unit = factory.SubFactory(UnitFactory)
    date = datetime.date(2026, 5, 1)
    investor_name = factory.Sequence(lambda n: f"某客商{n:03d}")


class MonthlyReportFactory(GuardedFactory):
    class Meta:
        model = MonthlyReport

    unit = factory.SubFactory(UnitFactory)
    month = datetime.date(2026, 3, 1)
    is_zero = False
    submitted_at = factory.LazyFunction(timezone.now)


class ProjectSettingsFactory(GuardedFactory):
    """The single thresholds row (pk 1, as ProjectSettings.load() reads it)."""

    class Meta:
        model = ProjectSettings
        django_get_or_create = ("id",)

    id = 1


class DuplicateFlagFactory(GuardedFactory):
    """A flag on one project (as shares_over is); pass project_b= for a pair."""

    class Meta:
        model = DuplicateFlag

    kind = DuplicateKind.SHARES_OVER
    project_a = factory.SubFactory(ProjectFactory)
    project_b = None
