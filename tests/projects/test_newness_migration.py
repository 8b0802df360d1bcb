"""The migration from one 新引进 flag per project to a value per assessment year (projects 0006)
keeps every year that has a snapshot computing to what it was computed with: a project its stored
evidence counted as 新引进 stays so in that year, whatever the flag says now; otherwise the old
flag is kept where it differs from the new default. Years without a snapshot take the default."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from projects import newness
from projects.models import NewnessOverride, Project

BEFORE = [
    ("projects", "0005_stage_from_verified_milestones"),
    ("assessment", "0005_snapshot_evidence_lines"),
]
AFTER = [("projects", "0006_newness_per_year")]
REASON = "迁移：保留原新引进/结转标记"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_through_0006():
    """Apply 0006, then every later migration: the checks read with today's models."""
    migrate(AFTER)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def old_apps(transactional_db):
    yield migrate(BEFORE)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # whatever the test did


class OldCity:
    """Rows written with the models as they were before the migration (`Project.is_new`)."""

    def __init__(self, apps):
        self.apps = apps
        model = apps.get_model
        self.unit = model("units", "Unit").objects.create(name="东湖区", unit_type="county")
        self.industry = model("projects", "Industry").objects.create(name="装备制造")
        self.years = {}
        for year in (2024, 2025, 2026):
            ay = model("assessment", "AssessmentYear").objects.create(year=year)
            self.years[year] = ay
            Indicator = model("assessment", "Indicator")
            Indicator.objects.create(year=ay, code="signed_100m", name="新引进亿元合同项目",
                                     kind="milestone_count", milestone="signed", new_only=True,
                                     weight=25)  # fmt: skip
            Indicator.objects.create(year=ay, code="new_funds", name="新引进项目到位资金",
                                     kind="funds", new_only=True, weight=15)  # fmt: skip
            Indicator.objects.create(year=ay, code="funds", name="实际到位资金", kind="funds",
                                     weight=15)  # fmt: skip

    def project(self, name, is_new, signed=None):
        project = self.apps.get_model("projects", "Project").objects.create(
            name=name,
            investor_name=f"{name}投资方",
            industry=self.industry,
            category="industrial",
            unit=self.unit,
            total_investment=Decimal("20000"),
            is_new=is_new,
        )
        if signed:
            self.apps.get_model("projects", "Milestone").objects.create(
                project=project, kind="signed", date=signed, status="approved"
            )
        return project

    def snapshot(self, year, quarter, version, status, counted=()):
        """A snapshot whose stored lines count `counted`: [(project, indicator code)]."""
        snapshot = self.apps.get_model("assessment", "Snapshot").objects.create(
            year=self.years[year],
            quarter=quarter,
            version=version,
            status=status,
            data={},
            computed_at=timezone.now(),
            lines_stored=True,
        )
        for n, (project, code) in enumerate(counted):
            self.apps.get_model("assessment", "SnapshotLine").objects.create(
                snapshot=snapshot, indicator_code=code, claim_kind="milestone", claim_id=n + 1,
                project_id=project.pk, project_name=project.name, unit_id=self.unit.pk,
                unit_name=self.unit.name, date=datetime.date(year, 3, 1), amount=1, share=100,
                counted=1, verified=True,
            )  # fmt: skip
        return snapshot


def test_years_with_a_snapshot_keep_the_value_they_were_computed_with(old_apps):
    city = OldCity(old_apps)
    # Signed in 2025, counted as 新引进 then; the 2026 workbook has since flipped the flag.
    flipped = city.project("翻转项目", is_new=False, signed=datetime.date(2025, 3, 1))
    # Signed in 2025 but deliberately 结转 when 2025 was published (not counted).
    carried = city.project("认定结转项目", is_new=False, signed=datetime.date(2025, 5, 1))
    # Signed in 2024, counted among 2025's new-project funds, still flagged 新引进.
    counted = city.project("续建项目", is_new=True, signed=datetime.date(2024, 6, 1))
    # Signed in 2024 and flagged 结转: 2024 has no snapshot, so it takes the default there.
    unsnapshotted = city.project("往年项目", is_new=False, signed=datetime.date(2024, 2, 1))
    city.snapshot(2025, 4, 1, "published", [(flipped, "signed_100m"), (counted, "new_funds")])
    # A later draft of the same quarter does not replace what was published.
    city.snapshot(2025, 4, 2, "draft", [(carried, "signed_100m")])
    city.snapshot(2026, 1, 1, "draft", [(flipped, "funds")])

    migrate_through_0006()

    rows = {
        (o.project.name, o.year, o.is_new, o.reason)
        for o in NewnessOverride.objects.select_related("project")
    }
    assert rows == {
        ("认定结转项目", 2025, False, REASON),
        ("续建项目", 2025, True, REASON),
        ("续建项目", 2026, True, REASON),  # no evidence either way in 2026: the old flag
    }
    history = NewnessOverride.history.filter(history_type="+")
    assert {r.history_change_reason for r in history} == {REASON} and history.count() == 3
    by_name = {p.name: p for p in Project.objects.all()}
    assert newness.is_new_in(by_name["翻转项目"], 2025)
    assert not newness.is_new_in(by_name["翻转项目"], 2026)
    assert not newness.is_new_in(by_name["认定结转项目"], 2025)
    assert newness.is_new_in(by_name[unsnapshotted.name], 2024)
    assert "is_new" not in {f.name for f in Project._meta.get_fields()}


def test_without_any_snapshot_nothing_is_recorded(old_apps):
    city = OldCity(old_apps)
    city.project("结转项目", is_new=False, signed=datetime.date(2026, 3, 1))
    migrate_through_0006()
    assert not NewnessOverride.objects.exists()
