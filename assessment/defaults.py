"""The default assessment year of SPEC §5: the seeds' four indicators plus funds in place."""

from decimal import Decimal

from django.db import transaction

from assessment.models import AssessmentYear, DisplayUnit, Indicator, IndicatorKind, InvestmentBasis
from projects.models import Category, MilestoneKind

YI_THRESHOLD = Decimal("10000")  # 1 亿元 in 万元

DEFAULT_INDICATORS = [
    {
        "code": "signed_100m",
        "name": "新引进亿元合同项目",
        "kind": IndicatorKind.MILESTONE_COUNT,
        "milestone": MilestoneKind.SIGNED,
        "investment_basis": InvestmentBasis.CONTRACTED,
        "threshold": YI_THRESHOLD,
        "new_only": True,
        "display_unit": DisplayUnit.COUNT,
        "weight": Decimal(25),
    },
    {
        "code": "started_100m",
        "name": "亿元新开工项目",
        "kind": IndicatorKind.MILESTONE_COUNT,
        "milestone": MilestoneKind.STARTED,
        "investment_basis": InvestmentBasis.TOTAL,
        "threshold": YI_THRESHOLD,
        "display_unit": DisplayUnit.COUNT,
        "weight": Decimal(25),
    },
    {
        "code": "completed_100m",
        "name": "亿元新竣工项目",
        "kind": IndicatorKind.MILESTONE_COUNT,
        "milestone": MilestoneKind.COMPLETED,
        "investment_basis": InvestmentBasis.TOTAL,
        "threshold": YI_THRESHOLD,
        "display_unit": DisplayUnit.COUNT,
        "weight": Decimal(20),
    },
    {
        "code": "completed_fai",
        "name": "竣工项目完成固定资产投资",
        "kind": IndicatorKind.FIXED_ASSET,
        "milestone": MilestoneKind.COMPLETED,
        "display_unit": DisplayUnit.YI,
        "weight": Decimal(15),
    },
    {
        "code": "funds",
        "name": "实际到位资金",
        "kind": IndicatorKind.FUNDS,
        "display_unit": DisplayUnit.YI,
        "weight": Decimal(15),
    },
]

# Real-estate projects do not count in the city's assessment (the seeds' eligibility rule); a
# reviewer may change this per year.
DEFAULT_EXCLUDED_CATEGORIES = [Category.REAL_ESTATE.value]


@transaction.atomic
def create_default_year(year):
    """Create (or complete) assessment year `year` with SPEC §5's default rules and indicators.

    Idempotent: an existing year and indicators of the same code are left as they are.
    Returns the AssessmentYear.
    """
    obj, created = AssessmentYear.objects.get_or_create(
        year=year, defaults={"excluded_categories": list(DEFAULT_EXCLUDED_CATEGORIES)}
    )
    for order, spec in enumerate(DEFAULT_INDICATORS, start=1):
        fields = dict(spec)
        code = fields.pop("code")
        Indicator.objects.get_or_create(year=obj, code=code, defaults={**fields, "order": order})
    return obj
