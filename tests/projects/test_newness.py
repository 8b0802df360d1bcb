"""新引进/结转 is a fact of each assessment year (SPEC §3, issue 15 path 10): by default a project
is 新引进 in the year it is signed and 结转 in every later year; a year may record an override,
which changes that year and no other."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.engine import compute
from assessment.evidence import collect_lines
from projects import newness
from projects.models import ClaimStatus, NewnessOverride, Project
from tests.factories import (
    IndicatorFactory,
    NewnessOverrideFactory,
    ProjectFactory,
    default_year,
    funds,
    milestone,
    signed_project,
)
from tests.factories.base import unguarded

pytestmark = pytest.mark.django_db
D = Decimal


def figure(year, quarter, unit, code):
    result = compute(year, quarter)
    return next(u for u in result.units if u.id == unit.pk).indicators[code].actual


def with_new_funds(year):
    """The default year plus 新引进项目到位资金 (funds of new projects only)."""
    ay = default_year(year)
    IndicatorFactory(
        year=ay, code="new_funds", kind="funds", milestone="", new_only=True, display_unit="万元"
    )
    return ay


def entered_in(project, year):
    """The project as if it had been entered (录入) in `year`."""
    moment = timezone.make_aware(datetime.datetime(year, 5, 1, 9, 0))
    with unguarded():  # `created` is auto_now_add
        Project.objects.filter(pk=project.pk).update(created=moment)


def test_a_project_signed_in_2025_is_new_in_2025_and_carried_in_2026_without_any_flag(unit_a):
    with_new_funds(2025)
    with_new_funds(2026)
    project = signed_project(unit_a, date=datetime.date(2025, 3, 15))
    funds(project, datetime.date(2025, 6, 1), "500")
    funds(project, datetime.date(2026, 2, 1), "700")
    fresh = signed_project(unit_a, date=datetime.date(2026, 1, 20))
    funds(fresh, datetime.date(2026, 2, 1), "300")

    assert figure(2025, 4, unit_a, "signed_100m") == 1
    assert figure(2025, 4, unit_a, "new_funds") == D("500")
    # 2026: the 2025 project's money is a carried-over project's; the 2026 signing is new.
    assert figure(2026, 1, unit_a, "new_funds") == D("300")
    assert figure(2026, 1, unit_a, "funds") == D("1000")
    assert (newness.is_new_in(project, 2025), newness.is_new_in(project, 2026)) == (True, False)
    assert not NewnessOverride.objects.exists()


def test_an_override_changes_its_own_year_and_no_other(unit_a):
    with_new_funds(2025)
    with_new_funds(2026)
    project = signed_project(unit_a, date=datetime.date(2025, 3, 15))
    funds(project, datetime.date(2025, 6, 1), "500")
    funds(project, datetime.date(2026, 2, 1), "700")
    NewnessOverrideFactory(project=project, year=2026, is_new=True, reason="续签后按新引进认定")

    assert figure(2026, 1, unit_a, "new_funds") == D("700")
    assert figure(2025, 4, unit_a, "new_funds") == D("500")
    NewnessOverrideFactory(project=project, year=2025, is_new=False, reason="上年已签框架协议")
    assert figure(2025, 4, unit_a, "signed_100m") == 0
    assert figure(2025, 4, unit_a, "new_funds") == 0
    assert figure(2026, 1, unit_a, "new_funds") == D("700")


def test_the_evidence_lines_count_the_same_new_projects_as_the_engine(unit_a):
    ay = with_new_funds(2026)
    carried = signed_project(unit_a, date=datetime.date(2025, 3, 15))
    funds(carried, datetime.date(2026, 2, 1), "700")
    fresh = signed_project(unit_a, date=datetime.date(2026, 1, 20))
    funds(fresh, datetime.date(2026, 2, 1), "300")
    lines = collect_lines(ay, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    counted = {line.project_id for line in lines if line.indicator_code == "new_funds"}
    assert counted == {fresh.pk}
    assert figure(2026, 1, unit_a, "new_funds") == D("300")


def test_without_a_signing_a_project_is_new_in_the_year_it_was_entered(unit_a):
    project = ProjectFactory(unit=unit_a, stage="negotiating")
    entered_in(project, 2025)
    assert [newness.is_new_in(project, y) for y in (2024, 2025, 2026)] == [True, True, False]


def test_a_draft_signing_does_not_start_the_project_yet(unit_a):
    project = ProjectFactory(unit=unit_a)
    entered_in(project, 2025)
    signing = milestone(project, "signed", datetime.date(2026, 2, 1), ClaimStatus.DRAFT)
    assert not newness.is_new_in(project, 2026)  # entered in 2025, nothing submitted since
    signing.status = ClaimStatus.SUBMITTED
    signing.save()
    assert newness.is_new_in(project, 2026)


def test_record_keeps_an_override_only_where_it_differs_and_history_says_who_and_why(
    unit_a, reviewer
):
    # Submitted, not verified: a verified project's 新引进/结转 is frozen (zhaoshang.guard).
    project = signed_project(unit_a, date=datetime.date(2025, 3, 15), status=ClaimStatus.SUBMITTED)
    assert newness.record(project, 2026, False, "", reviewer) == ""  # the default: nothing
    assert not NewnessOverride.objects.exists()

    assert newness.record(project, 2026, True, "二期续建，按新引进认定", reviewer) == "created"
    override = NewnessOverride.objects.get(project=project, year=2026)
    assert (override.is_new, override.recorded_by) == (True, reviewer)
    assert newness.is_new_in(project, 2026) and newness.is_new_in(project, 2025)

    assert newness.record(project, 2026, False, "", reviewer) == "removed"
    assert not NewnessOverride.objects.exists()
    records = list(NewnessOverride.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "-"]
    assert [r.history_user for r in records] == [reviewer, reviewer]
    assert records[0].history_change_reason == "二期续建，按新引进认定"
    assert records[1].history_change_reason == "恢复默认（结转）"


def test_the_default_follows_the_start_that_decides_which_years_a_project_belongs_to(unit_a):
    """新引进 by default in every year up to its start, 结转 once it belongs to an earlier year:
    the start `ProjectQuerySet.in_year` uses (submitted signing, else registration)."""
    projects = []
    for signed, status, entered in [
        (datetime.date(2025, 3, 1), ClaimStatus.APPROVED, 2025),
        (datetime.date(2024, 7, 1), ClaimStatus.SUBMITTED, 2026),
        (datetime.date(2026, 2, 1), ClaimStatus.DRAFT, 2024),
        (datetime.date(2026, 2, 1), ClaimStatus.REJECTED, 2025),
        (None, None, 2025),
    ]:
        project = ProjectFactory(unit=unit_a)
        if signed:
            milestone(project, "signed", signed, status)
        entered_in(project, entered)
        projects.append(project)
    everyone = {p.pk for p in projects}
    for year in (2024, 2025, 2026, 2027):
        earlier = Project.objects.in_year(year - 1)
        carried = set(Project.objects.filter(earlier).values_list("pk", flat=True))
        new = {p.pk for p in projects if newness.derived_new_in(p, year)}
        assert new == everyone - carried, year
        assert new == {p.pk for p in projects if newness.is_new_in(p, year)}
        listed = newness.annotate_new(Project.objects.all(), year).filter(new_in_year=True)
        assert set(listed.values_list("pk", flat=True)) == new
