"""Demo sub-units (issue 20 item 3): a town and a park under the first demo county, a few projects
of theirs with funds in place in the current year's fourth quarter (after the computed quarters,
so no computed figure moves), and the county's funds target passed down to them — on purpose a
little short of the county's own, so the 下属单位 page shows its warning."""

import datetime
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from assessment.models import AssessmentYear, Target
from projects.models import ClaimStatus, FundsEntry, Project
from units.models import Unit, UnitType
from zhaoshang.ops.demo import demo_writes
from zhaoshang.ops.demo.city import COUNTIES
from zhaoshang.ops.demo.names import NameBook
from zhaoshang.ops.demo.vocabulary import LEADERS

YEAR = 2026
SUBUNITS = [
    ("城关街道", UnitType.TOWN, Decimal("0.45")),
    ("产业园", UnitType.PARK, Decimal("0.35")),
]
FUNDS = [Decimal("1200"), Decimal("800")]


@demo_writes
def load(stdout):
    county = Unit.objects.filter(name=COUNTIES[0]).first()
    ay = AssessmentYear.objects.filter(year=YEAR).first()
    if county is None or ay is None or county.children.exists():
        return
    model = Project.objects.filter(unit=county).order_by("pk").first()
    funds_ind = ay.indicators.filter(code="funds").first()
    own = Target.objects.filter(indicator=funds_ind, unit=county).first()
    targets = []
    # Their heads and contacts named like every other unit's: none shares a given name.
    taken = [n for pair in Unit.objects.values_list("head_name", "contact_name") for n in pair]
    book = NameBook(f"{YEAR}-subunits", taken=[*LEADERS, *taken])
    for n, (suffix, unit_type, share) in enumerate(SUBUNITS):
        sub = Unit.objects.create(
            name=f"{county.name}{suffix}",
            unit_type=unit_type,
            parent=county,
            sort_order=n,
            head_name=book.name(),
            contact_name=book.name(),
        )
        for k, amount in enumerate(FUNDS):
            project = Project.objects.create(
                name=f"{sub.name}{'食品加工' if k == 0 else '物流仓储'}项目",
                investor_name=f"{sub.name}招商示范企业{k + 1}有限公司",
                unit=sub,
                industry=model.industry if model else None,
                total_investment=amount * 5,
                contracted_investment=amount * 4,
                stage="signed",
                created_by=model.created_by if model else None,
            )
            FundsEntry.objects.create(
                project=project,
                date=datetime.date(YEAR, 10, 15 + k),
                source="enterprise",
                amount=amount * (n + 1) / 2,
                status=ClaimStatus.SUBMITTED,
            )
        if own is not None:
            value = (own.value * share).quantize(Decimal(1))
            targets.append(Target(indicator=funds_ind, unit=sub, value=value))
    bulk_create_with_history(targets, Target)
    stdout.write(f"  下属单位：{county.name}下设 {len(SUBUNITS)} 个，下达目标 {len(targets)} 项")
