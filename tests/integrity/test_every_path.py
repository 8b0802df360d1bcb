"""Every path to a published quarter is shut (issue 15, "Must show").

After 2025 Q4 was published (`city2025`), each attempt below is refused with a Chinese message —
an import report error naming its sheet, a form error, a 403 or 409 page, never a 500 — nothing
is saved, and the published record (`sealed_record`: the ranking page, the 通报 and the ranking
workbook of 2025 Q4) reads exactly as before.

1. the workbook import (service, upload page, `manage.py import_workbook`), verified or not;
3. re-classifying a project whose only verified claims are funds (project form, shares page, ORM);
8. a draft 竣工 without 开工 (stage, unit page, submit);
13. evidence of a verified claim; and `manage.py assess` on the published quarter.

Path 2 (the admin) is tested in test_admin_locks, path 4 (a published year's configuration) in
test_published_config, paths 6 and 7 in test_sealed_quarter — with the same `sealed_record`;
path 8's rules in tests/projects/test_draft_milestones, 11 in tests/projects/test_zero_reports.
"""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from assessment.models import Snapshot
from assessment.workbooks.contract import SHEETS
from assessment.workbooks.importer import import_workbook
from projects import locks, newness
from projects.models import (
    ClaimStatus,
    CreditShare,
    FundsEntry,
    Milestone,
    NewnessOverride,
    Project,
)
from tests.factories import EvidenceFactory, MilestoneFactory
from tests.integrity.published_2025 import city2025, client_for, form_data, sealed_record
from tests.workbooks.conftest import build_workbook
from units.models import GroupMembership
from zhaoshang.guarded import Frozen, GuardBypass

pytestmark = pytest.mark.django_db
__all__ = ["city2025"]  # the fixture, imported for pytest

GROUP = "二〇二五协作组"
BASIS = ["unit", "category", "total_investment", "contracted_investment", "stage"]


def stored():
    """What the attempts aim at, as the database holds it: the projects' basis and stage, their
    新引进/结转 overrides, credit shares, the 2025 memberships, every claim, and the snapshots."""
    projects = Project.objects.order_by("pk").values_list("pk", *BASIS)
    overrides = NewnessOverride.objects.order_by("pk").values_list("project_id", "year", "is_new")
    shares = CreditShare.objects.order_by("pk").values_list("project_id", "unit_id", "percent")
    members = GroupMembership.objects.filter(year=2025).order_by("pk").values_list("unit_id")
    claims = [
        list(model.objects.order_by("pk").values_list("pk", model.claim_date_field, "status"))
        for model in (Milestone, FundsEntry)
    ]
    amounts = list(FundsEntry.objects.order_by("pk").values_list("amount", flat=True))
    snapshots = [json.dumps(s.data, sort_keys=True) for s in Snapshot.objects.order_by("pk")]
    return list(projects), list(overrides), list(shares), list(members), claims, amounts, snapshots


@pytest.fixture
def sealed(city2025, reviewer):
    """check() asserts that the published record and the stored data are as they were."""
    before = sealed_record(reviewer), stored()
    evidence = [row[3] for row in before[0][2]["佐证明细"][2:]]
    assert "乙县仓储物流项目" in evidence  # counted on its verified funds alone

    def check():
        assert sealed_record(reviewer) == before[0]
        assert stored() == before[1]

    return check


# --- 1. the workbook import -----------------------------------------------------------------


def project_row(project, year=2026, **overrides):
    """The 项目 sheet row of `project` as stored (its milestone dates included), 新引进/结转 of
    `year` (the workbook's year: its 协作组 rows', else the current year)."""
    dates = {m.kind: m.date.isoformat() for m in project.milestones.all()}
    row = {
        "项目名称": project.name,
        "责任单位": project.unit.name,
        "投资方": project.investor_name,
        "统一社会信用代码": project.investor_credit_code,
        "产业": project.industry.name,
        "类别": project.get_category_display(),
        "新引进/结转": newness.label(newness.is_new_in(project, year)),
        "总投资(万元)": float(project.total_investment),
        "合同投资(万元)": float(project.contracted_investment),
        "签约日期": dates.get("signed"),
        "开工日期": dates.get("started"),
        "竣工日期": dates.get("completed"),
    }
    row.update(overrides)
    return [row[h] for h in SHEETS["项目"]]


def group_row(members):
    return [2025, GROUP, "王市长", "市发改委", "、".join(members)]


# (sheets built from the city, (sheet, column) the refusal names, what it says)
ATTEMPTS = {
    "contracted": (
        lambda c: {"项目": [project_row(c["project"], **{"合同投资(万元)": 5000})]},
        ("项目", "合同投资(万元)"),
        "考核口径",
    ),
    "category": (
        lambda c: {"项目": [project_row(c["project"], 类别="房地产类")]},
        ("项目", "类别"),
        "考核口径",
    ),
    "new-this-year": (  # signed in 2025: 结转 in 2026
        lambda c: {"项目": [project_row(c["project"], **{"新引进/结转": "新引进"})]},
        ("项目", "新引进/结转"),
        "新引进/结转",
    ),
    "carried-in-2025": (
        lambda c: {
            "协作组": [group_row(["市发改委", "甲县"])],  # as it is: the workbook is of 2025
            "项目": [project_row(c["project"], 2025, **{"新引进/结转": "结转"})],
        },
        ("项目", "新引进/结转"),
        "新引进/结转",
    ),
    "funds-only-excluded": (
        lambda c: {"项目": [project_row(c["funds_only"], 类别="房地产类")]},
        ("项目", "类别"),
        "考核口径",
    ),
    "signed-date": (
        lambda c: {"项目": [project_row(c["project"], 签约日期="2025-10-20")]},
        ("项目", "签约日期"),
        "已发布",
    ),
    "shares": (
        lambda c: {"分成": [[c["project"].name, "乙县", 100]]},
        ("分成", ""),
        "分成比例不能直接修改",
    ),
    "group-joins": (
        lambda c: {"协作组": [group_row(["市发改委", "甲县", "乙县"])]},
        ("协作组", ""),
        "成员不能修改",
    ),
    "group-leaves": (
        lambda c: {"协作组": [group_row(["市发改委"])]},
        ("协作组", ""),
        "成员不能修改",
    ),
}


def assert_refused(report, where, text):
    assert not report.ok
    found = [e for e in report.errors if (e.sheet, e.column) == where and text in e.message]
    assert found, [e.as_list() for e in report.errors]


@pytest.mark.parametrize("verified", [False, True], ids=["normal", "verified"])
@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_the_import_refuses_to_change_the_published_quarter(
    city2025, sealed, reviewer, attempt, verified
):
    sheets, where, text = ATTEMPTS[attempt]
    report = import_workbook(build_workbook(sheets(city2025)), verified=verified, user=reviewer)
    assert_refused(report, where, text)
    sealed()


def test_a_refused_delete_leaves_the_callers_transaction_usable(city2025):
    """Django sends pre_delete without a savepoint: the import went on after a refused share
    deletion in a broken transaction (TransactionManagementError, a 500 on the upload page)."""
    share = CreditShare.objects.get(project=city2025["project"])
    with transaction.atomic():
        with pytest.raises(Frozen):
            share.delete()
        with pytest.raises(Frozen):
            CreditShare.objects.filter(pk=share.pk).delete()
        assert CreditShare.objects.filter(pk=share.pk).exists()


def test_the_upload_page_reports_the_refusal(city2025, sealed, reviewer):
    """A refused deletion of a share inside the import's transaction was a 500 before. The
    upload lands on its job page, whose preview lists the refusal (the import is a background
    job, run at once by the suite's task backend)."""
    sheets, _sheet, text = ATTEMPTS["shares"]
    upload = SimpleUploadedFile("分成.xlsx", build_workbook(sheets(city2025)).getvalue())
    response = client_for(reviewer).post(
        reverse("workbook:import"), {"file": upload, "verified": "on"}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert text in page and "甲县电池项目" in page
    sealed()


def test_the_import_command_refuses_it_too(city2025, sealed, tmp_path):
    sheets, _sheet, text = ATTEMPTS["shares"]
    path = tmp_path / "分成.xlsx"
    path.write_bytes(build_workbook(sheets(city2025)).getvalue())
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_workbook", str(path), "--verified", stderr=stderr)
    assert "分成" in stderr.getvalue() and text in stderr.getvalue()
    sealed()


def test_assess_leaves_the_published_quarter_as_announced(city2025, sealed):
    for args in ([], ["--publish"]):
        out = io.StringIO()
        call_command("assess", "2025", "4", *args, stdout=out)
        assert "已发布（第1版），未重新测算" in out.getvalue()
    sealed()


# --- 3. re-classification of a project verified on its funds alone --------------------------


@pytest.mark.parametrize(
    ("project", "viewer", "field", "value"),
    [
        ("funds_only", "staff_b", "category", "real_estate"),  # into an excluded category
        ("excluded", "staff_b", "category", "industrial"),  # out of it
        ("funds_only", "staff_b", "contracted_investment", "99999"),
        ("funds_only", "staff_b", "is_new", "0"),  # 结转 this year
        ("funds_only", "admin_user", "unit", "unit_a"),
    ],
)
def test_the_project_form_refuses_to_reclassify(
    city2025, sealed, request, project, viewer, field, value
):
    project = city2025[project]
    assert not project.milestones.exists()
    client = client_for(request.getfixturevalue(viewer))
    url = reverse("projects:project_edit", args=[project.pk])
    data = form_data(client, url) | {"new_reason": "认定为结转"}
    data[field] = request.getfixturevalue(value).pk if value == "unit_a" else value
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [locks.BASIS_LOCKED_MESSAGE]
    sealed()


def test_the_shares_page_refuses_to_move_the_credit(city2025, sealed, staff_b, unit_a):
    project = city2025["funds_only"]
    client = client_for(staff_b)
    url = reverse("projects:project_shares", args=[project.pk])
    data = form_data(client, url)
    data["shares-0-unit"] = unit_a.pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert locks.SHARES_LOCKED_MESSAGE in response.content.decode()
    sealed()


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", "real_estate"), ("contracted_investment", 1), ("total_investment", 1)],
)
def test_the_orm_refuses_to_reclassify(city2025, sealed, unit_a, field, value):
    project = Project.objects.get(pk=city2025["funds_only"].pk)
    setattr(project, field, value)
    with pytest.raises(Frozen, match="考核口径"):
        project.save()
    with pytest.raises(Frozen, match="考核口径"):
        Project.objects.bulk_update([project], [field])
    with pytest.raises(GuardBypass):
        Project.objects.filter(pk=project.pk).update(**{field: value})
    project = Project.objects.get(pk=project.pk)
    project.unit = unit_a
    with pytest.raises(Frozen, match="考核口径"):
        project.save()
    with pytest.raises(Frozen, match="新引进/结转"):
        NewnessOverride.objects.create(project=project, year=2025, is_new=False, reason="改结转")
    sealed()


# --- 8. a draft 竣工 without 开工 ------------------------------------------------------------


def test_a_draft_completion_without_a_start_moves_nothing(city2025, staff_b, reviewer, unit_b):
    project = city2025["other"]  # signed in 2025, never started
    unit_page = reverse("units:unit_detail", args=[unit_b.pk])

    def counts():
        stages = client_for(reviewer).get(unit_page).context["stages"]
        return {value: n for value, _label, n in stages}

    before, counted = sealed_record(reviewer), counts()
    assert (counted["signed"], counted["completed"]) == (1, 0)
    # A draft saved by a path that skipped the form's 开工 rule (the form refuses it).
    draft = MilestoneFactory(
        project=project,
        kind="completed",
        date=datetime.date(2026, 1, 15),
        status=ClaimStatus.DRAFT,
    )
    # With its 竣工验收材料 attached, so that the missing 开工 is the only fault (SPEC §4).
    EvidenceFactory(milestone=draft)
    project.refresh_from_db()
    assert project.stage == "signed"
    assert counts() == counted
    url = reverse("review:claim_act", args=["milestone", draft.pk])
    response = client_for(staff_b).post(
        url, {"action": "submit", "version": draft.version}, follow=True
    )
    assert "请先填报开工节点" in response.content.decode()
    draft.refresh_from_db()
    project.refresh_from_db()
    assert (draft.status, project.stage) == (ClaimStatus.DRAFT, "signed")
    assert counts() == counted
    assert sealed_record(reviewer) == before


# --- 13. evidence of a verified claim in the published quarter -----------------------------


def test_no_evidence_is_added_to_a_verified_claim_of_the_quarter(city2025, sealed, staff_a):
    entry = city2025["funds"]
    upload = SimpleUploadedFile("回单.pdf", b"%PDF-1.4 bank slip", content_type="application/pdf")
    url = reverse("projects:evidence_add", args=["funds", entry.pk])
    assert client_for(staff_a).post(url, {"file": upload}).status_code == 403
    assert not entry.evidence.exists()
    sealed()
