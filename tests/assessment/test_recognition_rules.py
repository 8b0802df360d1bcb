"""Recognition rules of a year (SPEC §4, issue 17): 仅计市域外资金, the 不予认定清单 and 备案 —
each off by default, each honoured by the engine inside its aggregates (no query more), shown in
the unit explanation, and frozen with the year's rules once a quarter is published."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.engine import compute
from assessment.models import (
    AssessmentYear,
    Indicator,
    RecognitionExclusion,
    SnapshotStatus,
)
from assessment.workbooks.importer import import_workbook
from projects import claims
from projects.models import ClaimStatus, FundsEntry, FundsRegion, Project
from tests.assessment.factories import (
    IndicatorFactory,
    SnapshotFactory,
    default_year,
    funds,
    set_targets,
    signed_project,
)
from tests.assessment.test_engine_queries import build_city
from tests.factories import EvidenceFactory, FundsEntryFactory, IndustryFactory, ProjectFactory
from tests.factories.base import unguarded
from tests.workbooks.conftest import build_workbook
from zhaoshang.guarded import Frozen

D = Decimal
Q1 = datetime.date(2026, 2, 10)


def actual(result, unit, code):
    return next(e for e in result.units if e.id == unit.pk).indicators[code].actual


@pytest.fixture
def year(db):
    return default_year(2026)


def outside_indicator(year, on=True):
    return IndicatorFactory(
        year=year,
        code="outside_funds",
        name="市域外到位资金",
        kind="funds",
        milestone="",
        display_unit="万元",
        outside_city_only=on,
    )


def with_region(entry, region):
    with unguarded():
        FundsEntry.objects.filter(pk=entry.pk).update(source_region=region)


# --- defaults ---------------------------------------------------------------------------------


def test_every_new_rule_is_off_by_default(year):
    assert year.filing_required is False
    assert not Indicator.objects.filter(year=year, outside_city_only=True).exists()
    assert not RecognitionExclusion.objects.exists()
    assert FundsEntryFactory().source_region == ""


# --- 仅计市域外资金 ---------------------------------------------------------------------------


def test_outside_city_only_counts_only_funds_from_outside_the_city(year, unit_a):
    project = signed_project(unit_a)
    for amount, region in [
        (100, FundsRegion.IN_CITY),
        (200, FundsRegion.IN_PROVINCE),
        (300, FundsRegion.ABROAD),
        (400, FundsRegion.OUT_PROVINCE),
        (50, ""),  # not stated: never shown to come from outside
    ]:
        with_region(funds(project, Q1, amount), region)
    outside_indicator(year)
    result = compute(year, 1)
    assert actual(result, unit_a, "funds") == D(1050)  # the rule off: every source region
    assert actual(result, unit_a, "outside_funds") == D(900)  # 200 + 300 + 400


def test_outside_city_only_off_on_the_same_indicator_counts_everything(year, unit_a):
    project = signed_project(unit_a)
    with_region(funds(project, Q1, 100), FundsRegion.IN_CITY)
    with_region(funds(project, Q1, 30), FundsRegion.ABROAD)
    outside_indicator(year, on=False)
    assert actual(compute(year, 1), unit_a, "outside_funds") == D(130)


def test_outside_city_only_applies_to_funds_indicators_only(year):
    ind = Indicator(year=year, code="x", name="x", kind="milestone_count", milestone="signed",
                    display_unit="个", weight=1, outside_city_only=True)  # fmt: skip
    with pytest.raises(Exception) as exc:
        ind.full_clean()
    assert "只有到位资金指标可以设置仅计市域外资金" in str(exc.value)


def test_a_funds_claim_needs_its_region_to_be_submitted_when_the_rule_is_on(year, unit_a, staff_a):
    project = ProjectFactory(unit=unit_a)
    entry = FundsEntryFactory(project=project, date=Q1, status=ClaimStatus.DRAFT)
    EvidenceFactory(milestone=None, funds=entry)
    outside_indicator(year)
    with pytest.raises(claims.ClaimError) as exc:
        claims.transition(staff_a, entry, claims.Action.SUBMIT)
    assert "须填写“资金来源地”" in exc.value.message
    entry.refresh_from_db()
    assert entry.status == ClaimStatus.DRAFT
    with_region(entry, FundsRegion.OUT_PROVINCE)
    entry.refresh_from_db()
    claims.transition(staff_a, entry, claims.Action.SUBMIT)
    assert entry.status == ClaimStatus.SUBMITTED


def test_without_the_rule_a_funds_claim_is_submitted_without_region(year, unit_a, staff_a):
    entry = FundsEntryFactory(
        project=ProjectFactory(unit=unit_a), date=Q1, status=ClaimStatus.DRAFT
    )
    EvidenceFactory(milestone=None, funds=entry)
    claims.transition(staff_a, entry, claims.Action.SUBMIT)
    assert entry.status == ClaimStatus.SUBMITTED


# --- 不予认定清单 ----------------------------------------------------------------------------


def test_a_listed_project_does_not_count_and_the_others_do(year, unit_a):
    listed = signed_project(unit_a, name="违规供地项目")
    funds(listed, Q1, 500)
    kept = signed_project(unit_a)
    funds(kept, Q1, 70)
    before = compute(year, 1)
    assert actual(before, unit_a, "signed_100m") == 2
    assert actual(before, unit_a, "funds") == D(570)
    RecognitionExclusion.objects.create(year=year, project=listed, reason="未取得用地手续")
    after = compute(year, 1)
    assert actual(after, unit_a, "signed_100m") == 1
    assert actual(after, unit_a, "funds") == D(70)


def test_a_listed_industry_leaves_out_its_projects(year, unit_a):
    estate = IndustryFactory(name="房地产开发")
    funds(signed_project(unit_a, industry=estate), Q1, 500)
    funds(signed_project(unit_a), Q1, 70)
    RecognitionExclusion.objects.create(year=year, industry=estate, reason="房地产项目不计入")
    assert actual(compute(year, 1), unit_a, "funds") == D(70)


def test_a_list_of_another_year_changes_nothing(year, unit_a):
    project = signed_project(unit_a)
    funds(project, Q1, 500)
    other = default_year(2025)
    RecognitionExclusion.objects.create(year=other, project=project, reason="上年度不予认定")
    assert actual(compute(year, 1), unit_a, "funds") == D(500)


def test_an_entry_names_a_project_or_an_industry(year):
    entry = RecognitionExclusion(year=year, reason="x")
    with pytest.raises(Exception) as exc:
        entry.full_clean()
    assert "请选择一个项目或一个主导产业" in str(exc.value)


def test_the_explanation_shows_the_listed_project_and_its_reason(year, unit_a, reviewer, login):
    set_targets(year, unit_a, signed_100m=2, funds=100)
    listed = signed_project(unit_a, name="违规供地项目")
    signed_project(unit_a, name="光伏组件项目")
    RecognitionExclusion.objects.create(year=year, project=listed, reason="未取得用地手续")
    page = login(reviewer).get(reverse("assessment:unit_assessment", args=[2026, 1, unit_a.pk]))
    text = page.content.decode()
    assert "不予认定：违规供地项目 — 未取得用地手续" in text
    assert "光伏组件项目" in text  # the counted one is still explained


def test_a_published_years_list_is_frozen(year, unit_a):
    project = signed_project(unit_a)
    entry = RecognitionExclusion.objects.create(year=year, project=project, reason="初定")
    SnapshotFactory(year=year, quarter=1, status=SnapshotStatus.PUBLISHED)
    with pytest.raises(Frozen):
        RecognitionExclusion.objects.create(
            year=year, project=signed_project(unit_a), reason="后加"
        )
    entry.reason = "改理由"
    with pytest.raises(Frozen):
        entry.save()
    with pytest.raises(Frozen):
        entry.delete()
    assert RecognitionExclusion.objects.get().reason == "初定"


# --- 备案 -------------------------------------------------------------------------------------


def test_filing_required_counts_only_projects_registered_by_the_period_end(year, unit_a):
    unfiled = signed_project(unit_a)
    filed = signed_project(unit_a, filing_date=datetime.date(2026, 1, 5), filing_number="备-1")
    late = signed_project(unit_a, filing_date=datetime.date(2026, 4, 20))
    for project, amount in [(unfiled, 100), (filed, 20), (late, 3)]:
        funds(project, Q1, amount)
    assert actual(compute(year, 1), unit_a, "funds") == D(123)  # the rule off
    year.filing_required = True
    year.save()
    q1, q2 = compute(year, 1), compute(year, 2)
    assert actual(q1, unit_a, "funds") == D(20)
    assert actual(q1, unit_a, "signed_100m") == 1
    assert actual(q2, unit_a, "funds") == D(23)  # filed in April: counts from Q2 on


def test_the_explanation_says_which_projects_lack_filing(year, unit_a, reviewer, login):
    set_targets(year, unit_a, signed_100m=2, funds=100)
    signed_project(unit_a, name="未备案项目")
    signed_project(unit_a, name="已备案项目", filing_date=datetime.date(2026, 1, 5))
    year.filing_required = True
    year.save()
    page = login(reviewer).get(reverse("assessment:unit_assessment", args=[2026, 1, unit_a.pk]))
    text = page.content.decode()
    assert "未备案，不计入：未备案项目" in text
    assert "未备案，不计入：已备案项目" not in text


def test_filing_rule_is_frozen_when_published(year):
    SnapshotFactory(year=year, quarter=1, status=SnapshotStatus.PUBLISHED)
    year.filing_required = True
    with pytest.raises(Frozen):
        year.save()
    assert AssessmentYear.objects.get(year=2026).filing_required is False


# --- the engine's query budget ----------------------------------------------------------------


def test_the_rules_cost_the_engine_no_query(year):
    build_city(year, 10)
    with CaptureQueriesContext(connection) as ctx:
        compute(2026, 2)
    plain = len(ctx.captured_queries)
    year.filing_required = True
    year.save()
    outside_indicator(year)
    project = Project.objects.order_by("pk").first()
    RecognitionExclusion.objects.create(year=year, project=project, reason="不予认定")
    RecognitionExclusion.objects.create(year=year, industry=project.industry, reason="产业")
    with CaptureQueriesContext(connection) as ctx:
        compute(2026, 2)
    assert len(ctx.captured_queries) == plain
    assert plain <= 15  # the budget of tests/assessment/test_engine_queries.py


def test_an_imported_funds_row_needs_its_region_under_the_rule(year, unit_a):
    ProjectFactory(unit=unit_a, name="导入资金项目")
    outside_indicator(year)
    headers = {"到位资金": ["项目名称", "日期", "来源", "金额(万元)", "编号", "资金来源地"]}

    def rows(region):
        return {"到位资金": [["导入资金项目", "2026-02-01", "企业和个人投资", 100, None, region]]}

    report = import_workbook(build_workbook(rows(None), headers=headers))
    assert not report.ok
    assert any("须填写“资金来源地”" in e.message for e in report.errors)
    assert not FundsEntry.objects.exists()  # nothing saved
    report = import_workbook(build_workbook(rows("境外"), headers=headers))
    assert report.ok, report.errors
    assert FundsEntry.objects.get().source_region == FundsRegion.ABROAD


def test_the_year_page_shows_the_recognition_rules(year, unit_a, reviewer, login):
    RecognitionExclusion.objects.create(
        year=year, project=signed_project(unit_a, name="违规供地项目"), reason="未取得用地手续"
    )
    outside_indicator(year)
    text = login(reviewer).get(reverse("assessment:year_detail", args=[2026])).content.decode()
    assert "项目备案后方计入：否" in text
    assert "违规供地项目（未取得用地手续）" in text
    assert "（仅计市域外）" in text
