"""The funnel, the alerts and the forecast's pipeline read the verified milestone dates stored on
the project (`Project.signed_on` …), not a correlated subquery over milestones for every project
(issue 21), and give the same answers as the workflow moves milestones."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.dashboard.forecast import pipeline_additions
from assessment.dashboard.pipeline import funnel
from assessment.defaults import create_default_year
from projects import alerts, claims
from projects.models import ClaimStatus, Project, ProjectSettings
from tests.factories import EvidenceFactory, MilestoneFactory, ProjectFactory

S = ClaimStatus
MILESTONES = "projects_milestone"


def _sql(fn):
    with CaptureQueriesContext(connection) as ctx:
        value = fn()
    return value, " ".join(q["sql"] for q in ctx.captured_queries)


def test_the_funnel_reads_the_stored_dates_and_follows_the_workflow(unit_a, leader, reviewer):
    signed = ProjectFactory(unit=unit_a, contracted_investment=1000)
    MilestoneFactory(project=signed, date=datetime.date(2026, 2, 1))
    started = ProjectFactory(unit=unit_a, contracted_investment=3000)
    MilestoneFactory(project=started, date=datetime.date(2026, 1, 5))
    start = MilestoneFactory(
        project=started, kind="started", date=datetime.date(2026, 3, 1), status=S.CONFIRMED
    )
    EvidenceFactory(milestone=start)
    data, sql = _sql(lambda: funnel(Project.objects.all(), 2026))
    assert MILESTONES not in sql
    assert [s["count"] for s in data["stages"]][1:] == [2, 0, 0]
    claims.transition(leader, start, "approve", "")
    data = funnel(Project.objects.all(), 2026)
    assert [s["count"] for s in data["stages"]][1:] == [2, 1, 0]
    claims.transition(reviewer, start, "reopen", "重新核实")
    data = funnel(Project.objects.all(), 2026)
    assert [s["count"] for s in data["stages"]][1:] == [2, 0, 0]


def test_the_alert_rules_read_the_stored_dates(unit_a):
    settings = ProjectSettings.load()
    today = datetime.date(2026, 11, 1)
    waiting = ProjectFactory(unit=unit_a, name="久签未开工", planned_completion=None)
    MilestoneFactory(project=waiting, date=datetime.date(2025, 6, 1))
    overdue = ProjectFactory(
        unit=unit_a, name="超期未竣工", planned_completion=datetime.date(2026, 6, 1)
    )
    MilestoneFactory(project=overdue, date=datetime.date(2025, 1, 1))
    MilestoneFactory(project=overdue, kind="started", date=datetime.date(2025, 3, 1))
    projects, items = Project.objects.all(), []
    counts, sql = _sql(
        lambda: {
            "signed": alerts.signed_not_started_qs(
                projects, today, settings.signed_not_started_days
            ).count(),
            "late": alerts.past_planned_completion_qs(projects, today).count(),
        }
    )
    assert MILESTONES not in sql
    assert counts == {"signed": 1, "late": 1}
    names = {a.project_name for a in alerts.signed_not_started(projects, today, 180)}
    assert names == {"久签未开工"}
    assert items == []


def test_the_forecast_pipeline_reads_the_stored_verified_dates(unit_a):
    year = create_default_year(2026)
    to_start = ProjectFactory(
        unit=unit_a, planned_start=datetime.date(2026, 12, 1), contracted_investment=20000
    )
    MilestoneFactory(project=to_start, date=datetime.date(2026, 5, 1))
    unverified = ProjectFactory(
        unit=unit_a, planned_start=datetime.date(2026, 12, 1), contracted_investment=20000
    )
    MilestoneFactory(project=unverified, date=datetime.date(2026, 5, 1), status=S.SUBMITTED)
    indicators = list(year.indicators.all())
    additions, sql = _sql(lambda: pipeline_additions(indicators, datetime.date(2026, 9, 30)))
    # The verified signing is read from the project; only the open 开工/竣工 claims are looked up.
    assert "signed_on" in sql
    assert "'signed'" not in sql and '"kind" = signed' not in sql
    assert unit_a.pk in additions  # the verified project adds to its unit's year


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
