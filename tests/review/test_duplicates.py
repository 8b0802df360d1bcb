"""Duplicate and fraud signals: each kind is found once, and a reviewer's decision is recorded."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from projects.models import (
    ClaimStatus,
    DuplicateFlag,
    DuplicateKind,
    FlagStatus,
    MilestoneKind,
    Stage,
)
from projects.review import duplicates
from tests.factories import (
    CreditShareFactory,
    EvidenceFactory,
    FundsEntryFactory,
    MilestoneFactory,
    ProjectFactory,
)

CODE = "91320500MA1XXXXX0Y"


def same_code_pair(unit_a, unit_b):
    """Two projects of one investor (one credit code) with unrelated names, in two units."""
    a = ProjectFactory(
        unit=unit_a, investor_credit_code=CODE, investor_name="恒通新材料", name="甲"
    )
    b = ProjectFactory(unit=unit_b, investor_credit_code=CODE, investor_name="远大物流", name="乙")
    return a, b


def kinds():
    return sorted(DuplicateFlag.objects.values_list("kind", flat=True))


def test_normalise_strips_company_suffixes_spaces_and_punctuation():
    assert duplicates.normalise("江苏 恒通（集团）股份有限公司") == "江苏恒通"
    assert duplicates.normalise("江苏恒通集团有限公司") == "江苏恒通"


def test_same_credit_code_claimed_by_two_units_is_flagged_once(unit_a, unit_b):
    a = ProjectFactory(unit=unit_a, investor_credit_code=CODE, investor_name="恒通新材料有限公司")
    b = ProjectFactory(unit=unit_b, investor_credit_code=CODE, investor_name="苏州某某贸易公司")
    duplicates.scan()
    duplicates.scan()  # rescanning is idempotent
    flag = DuplicateFlag.objects.get(kind=DuplicateKind.SAME_INVESTOR)
    assert (flag.project_a, flag.project_b) == (a, b)
    assert "甲县" in flag.detail and "乙县" in flag.detail


def test_near_identical_investor_and_project_names_across_units_are_flagged(unit_a, unit_b):
    ProjectFactory(
        unit=unit_a, investor_name="江苏恒通新材料股份有限公司", name="年产5万吨新材料项目"
    )
    ProjectFactory(unit=unit_b, investor_name="江苏恒通新材料有限公司", name="年产5万吨新材料项目 ")
    ProjectFactory(unit=unit_b, investor_name="江苏恒通新材料有限公司", name="职工宿舍楼建设")
    ProjectFactory(unit=unit_b, investor_name="浙江远大物流集团", name="年产5万吨新材料项目")
    duplicates.scan()
    assert kinds() == [DuplicateKind.SIMILAR_NAME]


def test_same_names_within_one_unit_are_not_a_cross_unit_duplicate(unit_a):
    ProjectFactory(unit=unit_a, investor_name="江苏恒通新材料有限公司", name="新材料项目")
    ProjectFactory(unit=unit_a, investor_name="江苏恒通新材料有限公司", name="新材料项目")
    duplicates.scan()
    assert kinds() == []


def test_a_project_signed_again_in_a_later_year_is_flagged(unit_a):
    old = ProjectFactory(unit=unit_a, investor_name="恒通新材料有限公司", name="新材料产业园")
    new = ProjectFactory(unit=unit_a, investor_name="恒通新材料有限公司", name="新材料产业园")
    MilestoneFactory(project=old, kind=MilestoneKind.SIGNED, date=datetime.date(2025, 5, 1))
    MilestoneFactory(project=new, kind=MilestoneKind.SIGNED, date=datetime.date(2026, 3, 1))
    duplicates.scan()
    flag = DuplicateFlag.objects.get()
    assert flag.kind == DuplicateKind.SIGNED_AGAIN
    assert (flag.project_a, flag.project_b) == (old, new)


def test_the_same_evidence_file_on_two_claims_is_flagged(unit_a, unit_b):
    one = FundsEntryFactory(project=ProjectFactory(unit=unit_a, investor_name="恒通新材料"))
    two = FundsEntryFactory(project=ProjectFactory(unit=unit_b, investor_name="远大物流"))
    EvidenceFactory(milestone=None, funds=one, sha256="ab" * 32, original_name="到账凭证.pdf")
    EvidenceFactory(milestone=None, funds=two, sha256="ab" * 32, original_name="到账凭证.pdf")
    EvidenceFactory(milestone=None, funds=two, sha256="cd" * 32)
    duplicates.scan()
    flag = DuplicateFlag.objects.get()
    assert flag.kind == DuplicateKind.SAME_EVIDENCE
    assert {flag.project_a, flag.project_b} == {one.project, two.project}
    assert "到账凭证.pdf" in flag.detail


def test_credit_shares_over_100_percent_are_flagged(unit_a, unit_b):
    project = ProjectFactory(unit=unit_a)
    CreditShareFactory(project=project, unit=unit_b, percent=Decimal("30"))
    duplicates.scan()
    duplicates.scan()
    flag = DuplicateFlag.objects.get()
    assert flag.kind == DuplicateKind.SHARES_OVER
    assert flag.project_b is None
    assert "130" in flag.detail


def test_merge_terminates_the_second_project_and_records_who_and_why(unit_a, unit_b, reviewer):
    a, b = same_code_pair(unit_a, unit_b)
    duplicates.scan()
    flag = DuplicateFlag.objects.get()
    duplicates.resolve(reviewer, flag, FlagStatus.MERGED)
    b.refresh_from_db()
    assert b.stage == Stage.TERMINATED
    assert a.name in b.termination_reason and "合并" in b.termination_reason
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by) == (FlagStatus.MERGED, reviewer)
    assert flag.resolved_at is not None
    assert flag.history.first().history_user == reviewer
    assert b.history.first().history_user == reviewer
    duplicates.scan()  # the merged project no longer raises fresh flags
    assert DuplicateFlag.objects.count() == 1


def test_keep_both_needs_a_reason(unit_a, unit_b, reviewer):
    same_code_pair(unit_a, unit_b)
    duplicates.scan()
    flag = DuplicateFlag.objects.get()
    with pytest.raises(duplicates.ResolveError, match="请填写处理理由"):
        duplicates.resolve(reviewer, flag, FlagStatus.KEPT, "")
    duplicates.resolve(reviewer, flag, FlagStatus.KEPT, "同一企业在两地分别投资建厂")
    flag.refresh_from_db()
    assert flag.resolution_reason == "同一企业在两地分别投资建厂"
    with pytest.raises(duplicates.ResolveError, match="已处理"):
        duplicates.resolve(reviewer, flag, FlagStatus.REJECTED, "改判")


def test_reject_sends_the_second_projects_approved_claims_back_with_the_reason(
    unit_a, unit_b, reviewer
):
    _, b = same_code_pair(unit_a, unit_b)
    signed = MilestoneFactory(project=b, status=ClaimStatus.APPROVED)
    draft = FundsEntryFactory(project=b, status=ClaimStatus.DRAFT)
    duplicates.scan()
    message = duplicates.resolve(
        reviewer, DuplicateFlag.objects.get(), FlagStatus.REJECTED, "重复申报"
    )
    assert "1 条申报退回" in message
    signed.refresh_from_db()
    draft.refresh_from_db()
    assert signed.status == ClaimStatus.REJECTED
    assert "重复申报" in signed.events.get().comment
    assert draft.status == ClaimStatus.DRAFT


def test_only_reviewers_resolve(unit_a, unit_b, leader):
    from django.core.exceptions import PermissionDenied

    same_code_pair(unit_a, unit_b)
    duplicates.scan()
    with pytest.raises(PermissionDenied):
        duplicates.resolve(leader, DuplicateFlag.objects.get(), FlagStatus.KEPT, "理由")


def test_management_command_scans(unit_a, unit_b):
    same_code_pair(unit_a, unit_b)
    out = StringIO()
    call_command("scan_duplicates", stdout=out)
    assert "同一投资方被两个单位申报 1 条" in out.getvalue()
    out = StringIO()
    call_command("scan_duplicates", stdout=out)
    assert "未发现新的" in out.getvalue()


def test_merged_project_no_longer_counts_in_the_assessment(unit_a, unit_b, reviewer):
    a, b = same_code_pair(unit_a, unit_b)
    signing = MilestoneFactory(project=b, kind=MilestoneKind.SIGNED, status=ClaimStatus.APPROVED)
    duplicates.scan()
    flag = DuplicateFlag.objects.get(kind=DuplicateKind.SAME_INVESTOR)
    message = duplicates.resolve(reviewer, flag, FlagStatus.MERGED)
    signing.refresh_from_db()
    assert signing.status == ClaimStatus.REJECTED
    assert "不再计入" in message
    assert "合并" in signing.events.last().comment
