"""Counted once at entry (SPEC §3, issue 17): duplicates are flagged as a claim is submitted or
imported — not only by 重新扫描 — and a flagged claim is not approved until the flag is resolved
(merge / keep both with a reason / reject)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from assessment.workbooks.contract import SHEETS
from assessment.workbooks.importer import import_workbook
from assessment.workbooks.year_export import export_year_workbook
from projects import claims
from projects.models import ClaimStatus, DuplicateFlag, DuplicateKind, FlagStatus, MilestoneKind
from projects.review import duplicates
from tests.assessment.factories import default_year
from tests.factories import (
    EvidenceFactory,
    FundsEntryFactory,
    IndustryFactory,
    MilestoneFactory,
    ProjectFactory,
)
from tests.factories.base import unguarded
from tests.workbooks.conftest import build_workbook

CODE = "91320500MA1XXXXX0Y"
DAY = datetime.date(2026, 2, 10)


def draft_signing(project, day=DAY):
    signing = MilestoneFactory(
        project=project, kind=MilestoneKind.SIGNED, date=day, status=ClaimStatus.DRAFT
    )
    EvidenceFactory(milestone=signing)
    return signing


@pytest.fixture
def theirs(unit_b):
    """Unit B's project of the same investor, already signed (submitted)."""
    project = ProjectFactory(unit=unit_b, investor_credit_code=CODE, name="新能源电池项目")
    MilestoneFactory(project=project, kind=MilestoneKind.SIGNED, date=DAY, status="submitted")
    return project


def test_submitting_a_near_identical_project_of_the_same_investor_flags_it(unit_a, theirs, staff_a):
    mine = ProjectFactory(unit=unit_a, investor_credit_code=CODE, name="新能源电池项目（一期）")
    signing = draft_signing(mine)
    assert not DuplicateFlag.objects.exists()  # a draft is the unit's own
    claims.transition(staff_a, signing, claims.Action.SUBMIT)
    flag = DuplicateFlag.objects.get()
    assert flag.kind == DuplicateKind.SAME_INVESTOR
    assert {flag.project_a, flag.project_b} == {mine, theirs}
    assert CODE in flag.detail and "申报时发现" in flag.detail


def test_a_different_project_of_the_same_investor_is_not_flagged_at_entry(unit_a, theirs, staff_a):
    mine = ProjectFactory(unit=unit_a, investor_credit_code=CODE, name="物流仓储中心")
    claims.transition(staff_a, draft_signing(mine), claims.Action.SUBMIT)
    assert not DuplicateFlag.objects.exists()


def test_a_project_entered_again_in_a_later_year_by_the_same_unit_is_flagged(unit_a, staff_a):
    earlier = ProjectFactory(unit=unit_a, investor_credit_code=CODE, name="新能源电池项目")
    MilestoneFactory(project=earlier, kind="signed", date=datetime.date(2025, 5, 1))
    later = ProjectFactory(unit=unit_a, investor_credit_code=CODE, name="新能源电池项目")
    claims.transition(staff_a, draft_signing(later), claims.Action.SUBMIT)
    flag = DuplicateFlag.objects.get()
    assert flag.kind == DuplicateKind.SIGNED_AGAIN
    assert (flag.project_a, flag.project_b) == (earlier, later)


def test_the_same_evidence_file_of_another_unit_is_flagged_on_submit(unit_a, unit_b, staff_a):
    other = FundsEntryFactory(project=ProjectFactory(unit=unit_b), status="submitted")
    EvidenceFactory(milestone=None, funds=other, sha256="ab" * 32, original_name="到账凭证.pdf")
    mine = FundsEntryFactory(project=ProjectFactory(unit=unit_a), date=DAY, status="draft")
    EvidenceFactory(milestone=None, funds=mine, sha256="ab" * 32, original_name="到账凭证.pdf")
    claims.transition(staff_a, mine, claims.Action.SUBMIT)
    flag = DuplicateFlag.objects.get()
    assert flag.kind == DuplicateKind.SAME_EVIDENCE
    assert "到账凭证.pdf" in flag.detail


def test_the_same_file_on_two_claims_of_one_unit_and_year_is_left_to_the_scan(unit_a, staff_a):
    project = ProjectFactory(unit=unit_a)
    other = FundsEntryFactory(project=project, status="submitted")
    EvidenceFactory(milestone=None, funds=other, sha256="ab" * 32)
    mine = FundsEntryFactory(project=project, date=DAY, status="draft")
    EvidenceFactory(milestone=None, funds=mine, sha256="ab" * 32)
    claims.transition(staff_a, mine, claims.Action.SUBMIT)
    assert not DuplicateFlag.objects.exists()


def test_bulk_submit_flags_too_and_a_flag_found_twice_is_one_flag(unit_a, theirs, staff_a):
    mine = ProjectFactory(unit=unit_a, investor_credit_code=CODE, name="新能源电池项目")
    result = claims.submit_many(staff_a, [draft_signing(mine)])
    assert not result.failed
    duplicates.scan()
    assert DuplicateFlag.objects.filter(kind=DuplicateKind.SAME_INVESTOR).count() == 1


def test_the_import_flags_what_it_brings_in(unit_a, theirs):
    IndustryFactory(name="装备制造")
    row = {
        "项目名称": "新能源电池项目一期",  # the import matches an equal name to that project
        "责任单位": unit_a.name,
        "投资方": "某某电池科技有限公司",
        "统一社会信用代码": CODE,
        "产业": "装备制造",
        "类别": "产业类（工业创税型）",
        "新引进/结转": "新引进",
        "总投资(万元)": 52000,
        "合同投资(万元)": 50000,
        "签约日期": "2026-01-15",
        "开工日期": None,
        "竣工日期": None,
    }

    report = import_workbook(build_workbook({"项目": [[row[h] for h in SHEETS["项目"]]]}))
    assert report.ok, report.errors
    flag = DuplicateFlag.objects.get(kind=DuplicateKind.SAME_INVESTOR)
    assert theirs in (flag.project_a, flag.project_b)


def test_the_import_reads_and_writes_the_funds_region(unit_a):
    project = ProjectFactory(unit=unit_a, name="导入资金项目")
    headers = ["项目名称", "日期", "来源", "金额(万元)", "编号", "资金来源地"]
    rows = [["导入资金项目", "2026-02-01", "企业和个人投资", 100, None, "省外"]]
    report = import_workbook(build_workbook({"到位资金": rows}, headers={"到位资金": headers}))
    assert report.ok, report.errors
    entry = project.funds.get()
    assert entry.source_region == "out_province"
    # Read back by a year export: the column carries the label, so the file round-trips.

    buf = io.BytesIO()
    with unguarded():
        FundsEntryFactory._meta.model.objects.filter(pk=entry.pk).update(status="approved")

    default_year(2026)
    export_year_workbook(2026, buf)
    ws = load_workbook(io.BytesIO(buf.getvalue()))["到位资金"]
    header = [c.value for c in ws[1]]
    assert header[-1] == "资金来源地"
    assert ws[2][header.index("资金来源地")].value == "省外"


# --- approval refused while flagged; resolution ------------------------------------------------


@pytest.fixture
def flagged_claim(unit_a, unit_b, theirs):
    """A confirmed funds claim of unit A whose project is flagged with unit B's."""
    mine = ProjectFactory(unit=unit_a, investor_credit_code=CODE, name="新能源电池项目")
    with unguarded():
        claim = FundsEntryFactory(project=mine, date=DAY, status=ClaimStatus.CONFIRMED)
        EvidenceFactory(milestone=None, funds=claim)
    duplicates.scan()
    return claim


def test_a_flagged_claim_cannot_be_approved(flagged_claim, leader):
    assert claims.Action.APPROVE not in claims.allowed_actions(leader, flagged_claim)
    with pytest.raises(claims.ClaimError) as exc:
        claims.transition(leader, flagged_claim, claims.Action.APPROVE)
    assert "未处理的重复/异常标记" in exc.value.message
    assert "同一投资方被两个单位申报" in exc.value.message  # the flag is named
    flagged_claim.refresh_from_db()
    assert flagged_claim.status == ClaimStatus.CONFIRMED


def test_keeping_both_with_a_reason_lets_the_claim_be_approved(flagged_claim, leader, reviewer):
    flag = DuplicateFlag.objects.get(kind=DuplicateKind.SAME_INVESTOR)
    with pytest.raises(duplicates.ResolveError):
        duplicates.resolve(reviewer, flag, FlagStatus.KEPT, "")
    for other in DuplicateFlag.objects.all():
        duplicates.resolve(reviewer, other, FlagStatus.KEPT, "两期项目，分别建设")
    claim = type(flagged_claim).objects.get(pk=flagged_claim.pk)
    claims.transition(leader, claim, claims.Action.APPROVE)
    assert claim.status == ClaimStatus.APPROVED


def test_rejecting_the_flag_sends_the_claim_back(flagged_claim, reviewer):
    flag = DuplicateFlag.objects.get(kind=DuplicateKind.SAME_INVESTOR)
    assert flag.project_b == flagged_claim.project  # the later project is B
    duplicates.resolve(reviewer, flag, FlagStatus.REJECTED, "重复申报")
    flagged_claim.refresh_from_db()
    assert flagged_claim.status == ClaimStatus.REJECTED


def test_merging_terminates_the_duplicate(flagged_claim, reviewer):
    flag = DuplicateFlag.objects.get(kind=DuplicateKind.SAME_INVESTOR)
    assert FlagStatus.MERGED in duplicates.resolutions_for(flag)
    duplicates.resolve(reviewer, flag, FlagStatus.MERGED, "")
    flagged_claim.project.refresh_from_db()
    assert flagged_claim.project.stage == "terminated"
