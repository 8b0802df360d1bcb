"""A published quarter shows the same figures forever (SPEC §5 Snapshots).

The story: 考核办 computes and publishes 2026 Q1 for two counties. Afterwards everyone tries to
change Q1 in every way the application offers — editing an approved claim, adding a claim dated
in Q1, approving a pending Q1 claim, importing a workbook with Q1 figures, recomputing, editing
the project behind a figure, adding a score adjustment — and after each attempt the published
snapshot is byte for byte what was announced. Only an unlock with a reason (recorded: who, when,
why) opens Q1 again; recomputing then makes a new version, leaves the old one as it was, and the
version diff names the unit whose figure moved.
"""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from assessment.diff import diff_results
from assessment.models import AssessmentLog, LogAction, Snapshot, SnapshotStatus
from assessment.snapshots import SnapshotError, compute_snapshot, result_of
from assessment.workbooks.contract import SHEETS
from assessment.workbooks.importer import import_workbook
from projects.models import ClaimStatus, FundsEntry, MonthlyInvestment
from tests.assessment.factories import default_year, funds, investment, set_targets, signed_project
from tests.factories import EvidenceFactory
from tests.workbooks.downloads import job_message
from zhaoshang.guarded import Frozen

pytestmark = pytest.mark.django_db

Q1_DAY = datetime.date(2026, 3, 10)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def frozen_bytes(snapshot):
    """The published figures as stored, in a canonical byte form."""
    snapshot.refresh_from_db()
    return json.dumps(snapshot.data, sort_keys=True, ensure_ascii=False).encode()


def unit_row(result, unit):
    return next(e for e in result.units if e.id == unit.pk)


@pytest.fixture
def city(unit_a, unit_b):
    ay = default_year(2026)
    for unit in (unit_a, unit_b):
        set_targets(ay, unit, signed_100m=2, funds=1000)
    project_a = signed_project(unit_a, date=datetime.date(2026, 2, 10), name="甲县电池项目")
    project_b = signed_project(unit_b, date=datetime.date(2026, 1, 20), name="乙县食品项目")
    approved = funds(project_a, datetime.date(2026, 3, 1), 300)
    pending = funds(project_a, Q1_DAY, 500, status=ClaimStatus.CONFIRMED)
    EvidenceFactory(funds=pending)  # its 到账凭证: 审定 needs one (SPEC §4)
    investment(project_b, datetime.date(2026, 2, 1), 800)
    return {
        "ay": ay,
        "project_a": project_a,
        "project_b": project_b,
        "approved": approved,
        "pending": pending,
    }


def seen(ay, quarter=1):
    """The confirm step's hidden fields (the publish preview page) for the version shown."""
    from assessment.snapshots import latest_snapshot, seen_token

    return {"seen": seen_token(latest_snapshot(ay, quarter)), "confirm": "publish"}


@pytest.fixture
def published(city, reviewer):
    """Q1 computed and published through the ranking page's buttons."""
    office = client_for(reviewer)
    office.post(reverse("assessment:compute", args=[2026, 1]), {"confirm": "yes"})
    response = office.post(reverse("assessment:publish", args=[2026, 1]), seen(city["ay"]))
    assert any("已发布" in m for m in messages_of(response))
    snapshot = Snapshot.objects.get(year=city["ay"], quarter=1)
    assert snapshot.status == SnapshotStatus.PUBLISHED
    return snapshot


def workbook(sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(SHEETS[title])
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "q1.xlsx"
    return buf


def test_published_figures_are_what_the_ranking_page_announces(published, unit_a, staff_a):
    row = unit_row(result_of(published), unit_a)
    assert row.indicators["signed_100m"].actual == 1
    assert row.indicators["funds"].actual == Decimal("300")
    assert row.indicators["funds"].pending == Decimal("500")  # reported, not yet verified
    page = client_for(staff_a).get(reverse("assessment:ranking", args=[2026, 1]))
    assert page.context["shown"].snapshot == published
    assert unit_row(page.context["result"], unit_a) == row


def test_every_way_to_change_q1_leaves_the_published_figures_untouched(
    published, city, unit_a, staff_a, head_a, reviewer, leader
):
    announced = frozen_bytes(published)
    staff, office = client_for(staff_a), client_for(reviewer)

    # 1. Edit or delete an approved Q1 claim from the project pages.
    claim = city["approved"]
    edit = reverse("projects:claim_edit", args=["funds", claim.pk])
    assert staff.get(edit).status_code == 403
    posted = staff.post(edit, {"date": "2026-03-01", "source": "enterprise", "amount": "9000"})
    assert posted.status_code == 403
    delete = reverse("projects:claim_delete", args=["funds", claim.pk])
    assert staff.post(delete).status_code == 403
    claim.refresh_from_db()
    assert claim.amount == Decimal("300")
    assert frozen_bytes(published) == announced

    # 2. Add new claims dated in Q1.
    project = city["project_a"]
    add_funds = reverse("projects:claim_add", args=[project.pk, "funds"])
    response = staff.post(add_funds, {"date": "2026-03-25", "source": "upper", "amount": "4000"})
    assert response.status_code == 200
    assert "该日期所在季度已发布通报并锁定" in response.content.decode()
    add_inv = reverse("projects:claim_add", args=[project.pk, "investment"])
    response = staff.post(add_inv, {"month": "2026-02", "amount": "1200"})
    assert "该日期所在季度已发布通报并锁定" in response.content.decode()
    assert FundsEntry.objects.filter(project=project).count() == 2
    assert not MonthlyInvestment.objects.filter(project=project).exists()
    assert frozen_bytes(published) == announced

    # 3. Approve the pending Q1 claim through the review workflow (and try the other steps).
    pending = city["pending"]
    act = reverse("review:claim_act", args=["funds", pending.pk])
    for user, action, comment in (
        (leader, "approve", "同意"),
        (reviewer, "reject", "材料不全"),
        (head_a, "withdraw", ""),
    ):
        response = client_for(user).post(
            act, {"action": action, "comment": comment, "version": pending.version}
        )
        assert response.status_code == 302
        assert "该申报所属季度已发布通报，数据已锁定，不能办理。" in messages_of(response)
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.CONFIRMED
    assert frozen_bytes(published) == announced

    # 4. Import a workbook with Q1 figures, as a normal and as a historical (verified) import.
    for verified in (False, True):
        report = import_workbook(
            workbook(
                {
                    "固定资产投资": [["甲县电池项目", "2026-02", 2500]],
                    "到位资金": [["甲县电池项目", "2026-03-15", "企业和个人投资", 7000]],
                }
            ),
            verified=verified,
            user=reviewer,
        )
        assert not report.ok
        assert any("已发布通报并锁定" in e.message for e in report.errors)
    assert FundsEntry.objects.filter(project=project).count() == 2
    assert not MonthlyInvestment.objects.filter(project=project).exists()
    assert frozen_bytes(published) == announced

    # 5. Recompute, from the page and from the service.
    response = office.post(reverse("assessment:compute", args=[2026, 1]), {"confirm": "yes"})
    assert "须先解锁" in job_message(response)  # 测算 runs as a job (assessment.recompute_job)
    with pytest.raises(SnapshotError):
        compute_snapshot(city["ay"], 1, reviewer)
    assert Snapshot.objects.filter(year=city["ay"], quarter=1).count() == 1
    assert frozen_bytes(published) == announced

    # 6. The project behind the verified signing cannot fall under the 亿元 threshold by any
    #    path (the write guard); a score adjustment changes later computations, never the
    #    announced one.
    project.contracted_investment = Decimal("5000")
    with pytest.raises(Frozen, match="考核口径"):
        project.save()
    office.post(
        reverse("assessment:adjustment_add", args=[2026, 1, unit_a.pk]),
        {"points": "3", "reason": "招商工作创新加分"},
    )
    assert frozen_bytes(published) == announced
    page = client_for(staff_a).get(reverse("assessment:ranking", args=[2026, 1]))
    assert unit_row(page.context["result"], unit_a).indicators["signed_100m"].actual == 1
    project.refresh_from_db()
    assert project.contracted_investment == Decimal("15000")


def test_unlock_needs_a_reason_and_is_recorded(published, city, reviewer):
    office = client_for(reviewer)
    unlock = reverse("assessment:unlock", args=[2026, 1])
    response = office.post(unlock, {"reason": "   "})
    assert "解锁必须填写理由，未解锁。" in messages_of(response)
    published.refresh_from_db()
    assert published.status == SnapshotStatus.PUBLISHED
    assert not AssessmentLog.objects.filter(action=LogAction.UNLOCK_QUARTER).exists()

    office.post(unlock, {"reason": "甲县补交到位资金银行回单，复核后更正", "confirm": "yes"})
    published.refresh_from_db()
    assert published.status == SnapshotStatus.UNLOCKED
    log = AssessmentLog.objects.get(action=LogAction.UNLOCK_QUARTER)
    assert (log.actor, log.quarter, log.reason) == (
        reviewer,
        1,
        "甲县补交到位资金银行回单，复核后更正",
    )
    assert log.created is not None
    # The year's page lists the unlock with who and why.
    page = office.get(reverse("assessment:year_detail", args=[2026])).content.decode()
    assert "解锁季度（第一季度）：甲县补交到位资金银行回单，复核后更正" in page
    assert str(reviewer) in page


def test_after_an_unlock_a_recompute_makes_a_new_version_and_the_old_one_stays(
    published, city, unit_a, unit_b, reviewer, leader
):
    announced = frozen_bytes(published)
    office = client_for(reviewer)
    office.post(
        reverse("assessment:unlock", args=[2026, 1]), {"reason": "补正到位资金", "confirm": "yes"}
    )

    # The pending Q1 claim can now be approved.
    pending = city["pending"]
    response = client_for(leader).post(
        reverse("review:claim_act", args=["funds", pending.pk]),
        {"action": "approve", "comment": "同意", "version": pending.version},
    )
    assert any("已审定" in m for m in messages_of(response))
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.APPROVED

    office.post(reverse("assessment:compute", args=[2026, 1]), {"confirm": "yes"})
    versions = list(Snapshot.objects.filter(year=city["ay"], quarter=1).order_by("version"))
    assert [(s.version, s.status) for s in versions] == [
        (1, SnapshotStatus.UNLOCKED),
        (2, SnapshotStatus.DRAFT),
    ]
    old, new = versions
    assert frozen_bytes(old) == announced
    assert unit_row(result_of(new), unit_a).indicators["funds"].actual == Decimal("800")
    assert unit_row(result_of(old), unit_a).indicators["funds"].actual == Decimal("300")

    changes = diff_results(result_of(old), result_of(new))
    assert [(d.kind, d.name) for d in changes if d.kind == "unit"] == [("unit", unit_a.name)]
    labels = {c.label: (c.old, c.new) for c in changes[0].changes}
    assert labels["实际到位资金·完成"] == (Decimal("300"), Decimal("800"))
    page = office.get(reverse("assessment:diff", args=[2026, 1])).content.decode()
    assert "第1版 → 第2版" in page
    assert unit_a.name in page
    assert unit_b.name not in page.split("第1版 → 第2版", 1)[1]

    # Publishing version 2 locks Q1 again; version 1 still shows what was announced first.
    office.post(reverse("assessment:publish", args=[2026, 1]), seen(city["ay"]))
    new.refresh_from_db()
    assert new.status == SnapshotStatus.PUBLISHED
    assert frozen_bytes(old) == announced
