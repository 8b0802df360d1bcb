"""Alerts and target grids download as .xlsx with what the page shows."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from projects.models import ClaimStatus, MilestoneKind
from tests.assessment.factories import default_year, set_targets
from tests.factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content)).active


def signed_long_ago(unit, name):
    """A project signed 400 days ago and not started: the 签约未开工 alert."""
    project = ProjectFactory(unit=unit, name=name, stage="signed")
    MilestoneFactory(
        project=project,
        kind=MilestoneKind.SIGNED,
        date=datetime.date.today() - datetime.timedelta(days=400),
        status=ClaimStatus.APPROVED,
    )
    return project


def test_alert_list_exports_its_rows(login, reviewer, unit_a):
    signed_long_ago(unit_a, "久签未开项目")
    client = login(reviewer)
    assert "_export=xlsx" in client.get(reverse("projects:alert_list")).content.decode()
    ws = sheet(client.get(reverse("projects:alert_list"), {"_export": "xlsx"}))
    rows = list(ws.iter_rows(min_row=2, values_only=True))  # row 1: the title
    assert rows[0][:3] == ("预警类型", "单位", "项目")
    assert ("签约未开工", "甲县", "久签未开项目") in [r[:3] for r in rows[1:]]


def test_alert_export_is_scoped_like_the_page(login, staff_b, unit_a):
    signed_long_ago(unit_a, "甲县项目")
    ws = sheet(login(staff_b).get(reverse("projects:alert_list"), {"_export": "xlsx"}))
    assert [r for r in ws.iter_rows(min_row=3, values_only=True)] == []


def test_target_grid_exports_numbers(login, reviewer, unit_a):
    ay = default_year(2026)
    set_targets(ay, unit_a, signed_100m=3, funds=12000)
    ws = sheet(login(reviewer).get(reverse("assessment:targets", args=[2026]), {"_export": "xlsx"}))
    rows = list(ws.iter_rows(min_row=2, values_only=True))  # row 1: the title
    header = rows[0]
    row = next(r for r in rows[1:] if r[1] == "甲县")
    assert row[header.index("新引进亿元合同项目（signed_100m）")] == 3
    assert Decimal(str(row[header.index("实际到位资金（funds）")])) == Decimal(12000)


def test_unit_users_cannot_export_targets(login, staff_a):
    default_year(2026)
    response = login(staff_a).get(reverse("assessment:targets", args=[2026]), {"_export": "xlsx"})
    assert response.status_code == 403


def test_review_queue_and_my_claims_export(login, reviewer, staff_a, unit_a):
    from projects import claims
    from tests.factories import EvidenceFactory, FundsEntryFactory

    project = ProjectFactory(unit=unit_a, name="待审项目")
    draft = FundsEntryFactory(project=project, status=ClaimStatus.DRAFT, amount=Decimal("321"))
    EvidenceFactory(funds=draft)  # a 到账凭证: funds cannot be submitted without one (SPEC §4)
    claims.transition(staff_a, draft, "submit")
    for user, url in ((reviewer, "review:queue"), (staff_a, "review:my_claims")):
        client = login(user)
        assert "_export=xlsx" in client.get(reverse(url)).content.decode()
        ws = sheet(client.get(reverse(url), {"_export": "xlsx"}))
        rows = list(ws.iter_rows(min_row=2, values_only=True))  # row 1: the title
        assert any("待审项目" in str(cell) for row in rows[1:] for cell in row), rows
        assert all(str(h).strip() and "<" not in str(h) for h in rows[0])
        if url == "review:queue":
            waited = rows[1][list(rows[0]).index("已等待（天）")]
            assert isinstance(waited, int)


def test_another_units_claims_are_not_in_my_export(login, staff_b, unit_a):
    from tests.factories import FundsEntryFactory

    FundsEntryFactory(project=ProjectFactory(unit=unit_a, name="甲县项目"), status="submitted")
    ws = sheet(login(staff_b).get(reverse("review:my_claims"), {"_export": "xlsx"}))
    assert list(ws.iter_rows(min_row=3, values_only=True)) == []
