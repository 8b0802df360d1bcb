"""Data the journeys start from, built with the shared factories and the claims service."""

from decimal import Decimal

from django.utils import timezone

from projects import claims
from projects.models import ClaimStatus
from tests.browser.files import tiny_pdf, tiny_png
from tests.factories import (
    EvidenceFactory,
    FundsEntryFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    ProjectFactory,
)


def submitted_claims(staff, name="光伏组件智能制造项目"):
    """A project of the staff member's unit with a signing (contract PDF), this month's
    investment and funds in place (receipt PNG), all three submitted by the unit.

    Returns (project, milestone, investment, funds).
    """
    today = timezone.localdate()
    project = ProjectFactory(
        unit=staff.unit,
        name=name,
        investor_name="安徽晶曜光伏科技有限公司",
        total_investment=Decimal("32000"),
        contracted_investment=Decimal("30000"),
        stage="signed",
    )
    draft = ClaimStatus.DRAFT
    milestone = MilestoneFactory(project=project, date=today, status=draft)
    investment = MonthlyInvestmentFactory(
        project=project, month=today.replace(day=1), amount=Decimal("1500"), status=draft
    )
    funds = FundsEntryFactory(project=project, date=today, amount=Decimal("2600"), status=draft)
    pdf = tiny_pdf("Contract")
    EvidenceFactory(
        milestone=milestone,
        file__data=pdf,
        file__filename="投资合同.pdf",
        original_name="投资合同.pdf",
        size=len(pdf),
    )
    png = tiny_png()
    EvidenceFactory(
        milestone=None,
        funds=funds,
        file__data=png,
        file__filename="到账凭证.png",
        original_name="到账凭证.png",
        content_type="image/png",
        size=len(png),
    )
    result = claims.submit_many(staff, [milestone, investment, funds])
    assert not result.failed, result.failed
    return project, milestone, investment, funds
