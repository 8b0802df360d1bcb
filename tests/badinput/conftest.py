"""A small city with one project carrying draft claims, so every form has something to edit."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import (
    AssistanceItemFactory,
    FundsEntryFactory,
    IndustryFactory,
    LeadFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    ProjectFactory,
    VisitFactory,
)


@pytest.fixture(scope="session")
def _media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("badinput-media")


@pytest.fixture(autouse=True)
def media_root(settings, _media_dir):
    """Evidence files go to one temporary folder for the whole corpus (a folder per case cost
    more than most cases; stored files are named by content hash, so cases cannot collide)."""
    settings.MEDIA_ROOT = _media_dir
    return settings.MEDIA_ROOT


@pytest.fixture
def industry(db):
    return IndustryFactory(name="装备制造")


@pytest.fixture
def project(unit_a, industry):
    return ProjectFactory(
        unit=unit_a,
        industry=industry,
        name="甲县光伏组件项目",
        stage="negotiating",
        total_investment=Decimal("20000"),
        contracted_investment=Decimal("15000"),
    )


@pytest.fixture
def drafts(project):
    """A signed milestone, a month of investment and a funds entry, all drafts of 2025."""
    return {
        "milestone": MilestoneFactory(
            project=project, kind="signed", date=datetime.date(2025, 3, 15), status="draft"
        ),
        "investment": MonthlyInvestmentFactory(
            project=project, month=datetime.date(2025, 4, 1), status="draft"
        ),
        "funds": FundsEntryFactory(
            project=project, date=datetime.date(2025, 4, 20), status="draft"
        ),
    }


@pytest.fixture
def lead(unit_a, industry, staff_a):
    return LeadFactory(
        unit=unit_a, investor_name="某新材料公司", industry=industry, created_by=staff_a
    )


@pytest.fixture
def visit(unit_a, staff_a):
    return VisitFactory(
        unit=unit_a, date=datetime.date(2025, 5, 1), investor_name="某客商", created_by=staff_a
    )


@pytest.fixture
def assistance(project, unit_a):
    return AssistanceItemFactory(
        project=project,
        category="land",
        problem="用地指标不足",
        responsible_unit=unit_a,
        deadline=datetime.date(2025, 6, 30),
    )
