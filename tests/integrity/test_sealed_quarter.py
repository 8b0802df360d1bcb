"""A published quarter is a sealed record (issue 15, paths 6 and 7; SPEC §5 Snapshots).

6. Publishing refuses figures that moved since the computation: a claim approved between 测算
   and 发布 would be locked as approved yet missing from the published figures.
7. The published quarter carries its evidence: the explanation page, the 通报, the ranking page
   and the ranking workbook (佐证明细 included) read the lines the snapshot counted, so renaming
   the unit and the project, approving another claim or editing an amount afterwards changes
   none of them, and the 佐证明细 lines add up to the ranking sheet's figures.
"""

import datetime
import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessment.engine import compute
from assessment.evidence import mismatches
from assessment.models import (
    AssessmentLog,
    LogAction,
    ScoreAdjustment,
    Snapshot,
    SnapshotStatus,
)
from assessment.snapshots import (
    SnapshotError,
    latest_snapshot,
    publish,
    result_of,
    seen_token,
    staleness,
)
from projects.models import ClaimStatus, FundsEntry, Project
from tests.factories.assessment import (
    adjust,
    default_year,
    funds,
    investment,
    set_targets,
    signed_project,
    split_credit,
)
from tests.integrity.tamper import tamper
from tests.workbooks.downloads import job_message, ranking_download
from units.models import Unit, User

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def unit_row(result, unit):
    return next(e for e in result.units if e.id == unit.pk)


@pytest.fixture
def city(unit_a, unit_b):
    ay = default_year(2026)
    for unit in (unit_a, unit_b):
        set_targets(ay, unit, signed_100m=2, funds=1000)
    project_a = signed_project(unit_a, date=datetime.date(2026, 2, 10), name="甲县电池项目")
    split_credit(project_a, {unit_a: 60, unit_b: 40})
    project_b = signed_project(unit_b, date=datetime.date(2026, 1, 20), name="乙县食品项目")
    approved = funds(project_a, datetime.date(2026, 3, 1), 300)
    pending = funds(project_a, datetime.date(2026, 3, 10), 500, status=ClaimStatus.CONFIRMED)
    funds(project_b, datetime.date(2026, 2, 15), 250)
    investment(project_b, datetime.date(2026, 2, 1), 800)
    adjust(ay, unit_a, 2, "招商引资工作创新加分")
    return {
        "ay": ay,
        "project_a": project_a,
        "project_b": project_b,
        "approved": approved,
        "pending": pending,
    }


def compute_page(office):
    response = office.post(reverse("assessment:compute", args=[2026, 1]), {"confirm": "yes"})
    assert "已测算" in job_message(response)  # 测算 runs as a job (assessment.recompute_job)


def publish_page(office, ay):
    token = seen_token(latest_snapshot(ay, 1))
    # The confirm step of the preview page (assessment.views.publish).
    data = {"seen": token, "confirm": "publish"}
    return office.post(reverse("assessment:publish", args=[2026, 1]), data)


def approve_in_the_database(claim):
    """An approval landing between 测算 and 发布 (the workflow, an import, the admin alike)."""
    tamper(type(claim).objects.filter(pk=claim.pk), status=ClaimStatus.APPROVED)


# --- 6. publish refuses stale figures -------------------------------------------------------


def test_publish_refuses_when_a_claim_was_approved_since_the_computation(city, reviewer, unit_a):
    office = client_for(reviewer)
    compute_page(office)
    approve_in_the_database(city["pending"])

    response = publish_page(office, city["ay"])

    shown = messages_of(response)
    assert any("自测算以来数据已有变化" in m and "请重新测算" in m for m in shown), shown
    # 甲县 and 乙县 share the project: both units' funds figures moved.
    assert any("2 个单位或协作组" in m for m in shown), shown
    snapshot = Snapshot.objects.get(year=city["ay"], quarter=1)
    assert snapshot.status == SnapshotStatus.DRAFT
    assert snapshot.published_at is None
    assert not AssessmentLog.objects.filter(action=LogAction.PUBLISH).exists()

    # The office recomputes, and what it publishes is what the data says now.
    compute_page(office)
    response = publish_page(office, city["ay"])
    assert any("已发布" in m for m in messages_of(response))
    published = Snapshot.objects.get(year=city["ay"], quarter=1)
    assert published.status == SnapshotStatus.PUBLISHED
    # 60 % of 300 + 500 approved.
    assert unit_row(result_of(published), unit_a).indicators["funds"].actual == Decimal("480")


def test_publish_service_refuses_an_amount_edited_since_the_computation(city, reviewer):
    office = client_for(reviewer)
    compute_page(office)
    tamper(FundsEntry.objects.filter(pk=city["approved"].pk), amount=Decimal("301"))
    with pytest.raises(SnapshotError, match="自测算以来数据已有变化"):
        publish(latest_snapshot(city["ay"], 1), reviewer)
    assert latest_snapshot(city["ay"], 1).status == SnapshotStatus.DRAFT


def test_publish_refuses_a_unit_renamed_since_the_computation(city, reviewer, unit_a):
    office = client_for(reviewer)
    compute_page(office)
    tamper(Unit.objects.filter(pk=unit_a.pk), name="甲区")
    response = publish_page(office, city["ay"])
    assert any("自测算以来数据已有变化" in m for m in messages_of(response))
    assert latest_snapshot(city["ay"], 1).status == SnapshotStatus.DRAFT


def test_the_publish_view_still_refuses_a_version_the_reviewer_did_not_see(city, reviewer):
    office = client_for(reviewer)
    compute_page(office)
    response = office.post(reverse("assessment:publish", args=[2026, 1]), {"seen": "1:old"})
    assert any("已重新测算" in m for m in messages_of(response))
    assert latest_snapshot(city["ay"], 1).status == SnapshotStatus.DRAFT


def test_assess_command_publishes_only_current_figures(city, unit_a):
    call_command("assess", "2026", "1", stdout=io.StringIO())
    approve_in_the_database(city["pending"])
    # The command computes before it publishes, so it publishes the data as it is now.
    call_command("assess", "2026", "1", "--publish", stdout=io.StringIO())
    published = latest_snapshot(city["ay"], 1)
    assert published.status == SnapshotStatus.PUBLISHED
    assert unit_row(result_of(published), unit_a).indicators["funds"].actual == Decimal("480")


# --- 7. the published quarter carries its evidence ------------------------------------------


TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"|(nonce=")[^"]*"')


def normalised(response):
    """The page's content (the navigation bar names the viewer's own unit as it is now), with
    CSRF tokens and nonces normalised."""
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return TOKENS.sub(lambda m: (m.group(1) or m.group(2)) + 'X"', main)


def workbook_values(client):
    response = ranking_download(client, 2026, 1)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def pages(client, unit):
    return {
        "explanation": normalised(
            client.get(reverse("assessment:unit_assessment", args=[2026, 1, unit.pk]))
        ),
        "report": normalised(client.get(reverse("assessment:report", args=[2026, 1]))),
        "ranking": normalised(client.get(reverse("assessment:ranking", args=[2026, 1]))),
        "workbook": workbook_values(client),
    }


def evidence_adds_up(sheets, result):
    """The 佐证明细 lines sum, per unit and indicator, to the 单位排名 sheet's 完成 figures."""
    counted = defaultdict(Decimal)
    for row in sheets["佐证明细"][2:]:
        counted[(row[0], row[1])] += Decimal(str(row[8]))
    # The figures are on the 指标完成情况 sheets since issue 22 (the 单位排名 sheet is the
    # summary): per unit row (a serial in column A), each indicator's 目标 / 完成 / 完成率.
    codes = {spec.name: spec.code for spec in result.indicators}
    ranked = set()
    for title, rows in sheets.items():
        if not title.startswith("指标完成情况"):
            continue
        header = next(row for row in rows if row[0] == "序号")
        columns = {
            col + 1: codes[name.rsplit("（", 1)[0]]
            for col, name in enumerate(header)
            if isinstance(name, str) and name.rsplit("（", 1)[0] in codes
        }
        for row in rows:
            if not isinstance(row[0], int):
                continue  # title, headers, the 合计 row
            ranked.add(row[2])
            for col, code in columns.items():
                actual = Decimal(str(row[col] or 0))
                assert counted.get((row[2], code), Decimal(0)).quantize(Decimal("0.01")) == (
                    actual.quantize(Decimal("0.01"))
                ), (row[2], code)
    ranked = len(ranked)
    assert ranked == 2


def change_everything_behind_q1(city, unit_a):
    tamper(Unit.objects.filter(pk=unit_a.pk), name="甲区")
    tamper(Project.objects.filter(pk=city["project_a"].pk), name="甲区新能源电池项目")
    approve_in_the_database(city["pending"])
    tamper(FundsEntry.objects.filter(pk=city["approved"].pk), amount=Decimal("9000"))
    # A later adjustment of the year (bulk_create: no form, no save hook) and an edited reason.
    ScoreAdjustment.objects.bulk_create(
        [ScoreAdjustment(year=city["ay"], unit=unit_a, points=Decimal(5), reason="二季度加分")]
    )
    tamper(ScoreAdjustment.objects.filter(reason="招商引资工作创新加分"), reason="改写的理由")


@pytest.fixture
def published(city, reviewer):
    office = client_for(reviewer)
    compute_page(office)
    response = publish_page(office, city["ay"])
    assert any("已发布" in m for m in messages_of(response))
    return latest_snapshot(city["ay"], 1)


@pytest.mark.parametrize("viewer", ["reviewer", "staff_a"])
def test_published_quarter_pages_and_workbook_never_move(published, city, unit_a, viewer, request):
    client = client_for(request.getfixturevalue(viewer))
    before = pages(client, unit_a)
    assert "甲县电池项目" in before["explanation"]  # the evidence is on the page
    assert "招商引资工作创新加分" in before["explanation"]
    assert any(row[3] == "甲县电池项目" for row in before["workbook"]["佐证明细"][2:])
    evidence_adds_up(before["workbook"], result_of(published))

    change_everything_behind_q1(city, unit_a)

    after = pages(client, unit_a)
    for name in ("explanation", "report", "ranking"):
        assert after[name] == before[name], name
    assert after["workbook"] == before["workbook"]
    assert "甲区" not in after["explanation"]
    evidence_adds_up(after["workbook"], result_of(published))


def test_a_drafts_evidence_matches_its_figures_after_a_later_approval(city, reviewer, unit_a):
    office = client_for(reviewer)
    compute_page(office)
    draft = latest_snapshot(city["ay"], 1)
    approve_in_the_database(city["pending"])
    sheets = workbook_values(office)
    evidence_adds_up(sheets, result_of(draft))
    page = office.get(reverse("assessment:unit_assessment", args=[2026, 1, unit_a.pk]))
    funds_lines = next(e for e in page.context["explanations"] if e.code == "funds").lines
    # The approval after 测算 shows as it was counted: reported, not yet verified.
    assert [line.approved for line in funds_lines] == [True, False]
    assert sum(line.credited for line in funds_lines if line.approved) == (
        unit_row(result_of(draft), unit_a).indicators["funds"].actual
    )


def test_snapshot_lines_record_what_each_unit_was_credited(published, city, unit_a, unit_b):
    lines = {
        (line.unit_name, line.claim_kind, line.claim_id): line
        for line in published.lines.filter(indicator_code="funds")
    }
    shared = lines[("甲县", "funds", city["approved"].pk)]
    assert shared.project_id == city["project_a"].pk
    assert shared.project_name == "甲县电池项目"
    assert (shared.amount, shared.share, shared.counted) == (
        Decimal("300"),
        Decimal("60"),
        Decimal("180"),
    )
    assert shared.verified
    assert lines[("乙县", "funds", city["approved"].pk)].counted == Decimal("120")
    assert not lines[("甲县", "funds", city["pending"].pk)].verified
    assert shared.date == datetime.date(2026, 3, 1)
    assert {line.unit_id for line in lines.values()} == {unit_a.pk, unit_b.pk}


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_ships_snapshots_that_match_their_data(db):
    call_command("load_demo", stdout=io.StringIO())  # into an empty database only
    reviewer = User.objects.get(username="reviewer")
    snapshots = list(Snapshot.objects.select_related("year").order_by("year__year", "quarter"))
    assert len(snapshots) == 7
    for snapshot in snapshots:
        fresh = compute(snapshot.year, snapshot.quarter)
        assert staleness(snapshot, fresh) is None, str(snapshot)
        assert snapshot.lines_stored and snapshot.lines.exists(), str(snapshot)
        assert mismatches(result_of(snapshot), list(snapshot.lines.all())) == [], str(snapshot)
    # The office can publish the demo's 2026 Q3 draft as it stands (Q1–Q2 are published).
    draft = latest_snapshot(2026, 3)
    assert draft.status == SnapshotStatus.DRAFT
    assert publish(draft, reviewer).status == SnapshotStatus.PUBLISHED


def test_a_snapshot_from_before_lines_were_stored_says_its_evidence_is_live(
    published, city, reviewer, unit_a
):
    published.lines.all().delete()
    tamper(Snapshot.objects.filter(pk=published.pk), lines_stored=False, adjustments=[])
    office = client_for(reviewer)
    page = office.get(reverse("assessment:unit_assessment", args=[2026, 1, unit_a.pk]))
    assert 'data-testid="evidence-live"' in page.content.decode()
    assert "甲县电池项目" in page.content.decode()  # read live, as before lines were stored
    sheets = workbook_values(office)
    assert any(row[3] == "甲县电池项目" for row in sheets["佐证明细"][2:])
