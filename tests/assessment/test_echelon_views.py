"""The echelon rules of issue 17 as users read them: the ranking page, the 通报 and the ranking
workbook show rankings per unit type, units listed apart, the 零进度 units in 第三方阵 with the
reason, and escalation labelled as a projection (or held to Q4); a snapshot from before these
rules reads exactly as it did."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.echelons import LEGACY_RULES
from assessment.models import EscalationDisplay, Snapshot
from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import default_year, funds, set_targets, signed_project
from tests.factories import ProjectFactory, UnitFactory
from tests.integrity.published_2025 import _main
from tests.integrity.tamper import tamper
from tests.workbooks.downloads import ranking_download
from units.models import UnitType


@pytest.fixture
def city(db, reviewer):
    """2026 Q3 with two counties, two parks (one 零进度) and a unit with a single target.
    Targets: 2 亿元 signings and 1000 万元 funds; Q3 time progress 75 %, floor 37.5 %."""
    ay = default_year(2026, min_indicators=2)
    counties = [UnitFactory(name=n, unit_type=UnitType.COUNTY) for n in ("甲县", "乙县")]
    parks = [UnitFactory(name=n, unit_type=UnitType.PARK) for n in ("丙园区", "丁园区")]
    for unit in counties + parks:
        set_targets(ay, unit, signed_100m=2, funds=1000)
    lone = UnitFactory(name="戊局", unit_type=UnitType.BUREAU)
    set_targets(ay, lone, funds=1000)
    day = datetime.date(2026, 5, 1)
    for unit, signings, amount in (
        (counties[0], 2, 900),
        (counties[1], 1, 400),
        (parks[0], 1, 600),
    ):
        for _ in range(signings):
            signed_project(unit, date=day)
        funds(ProjectFactory(unit=unit), day, amount)
    funds(ProjectFactory(unit=lone), day, 1500)
    return ay


def pages(user_client):
    ranking = user_client.get(reverse("assessment:ranking", args=[2026, 3])).content.decode()
    report = user_client.get(reverse("assessment:report", args=[2026, 3])).content.decode()
    response = ranking_download(user_client, 2026, 3)  # a background job, then the file
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return ranking, report, wb


def test_one_ranking_with_zero_progress_third_and_a_unit_listed_apart(city, login, reviewer):
    publish(compute_snapshot(city, 3, reviewer), reviewer)
    ranking, report, wb = pages(login(reviewer))
    assert "方阵规则：" in ranking and "零进度单位列第三方阵" in report
    # 丁园区 is 零进度: 第三方阵, and the 通报 says so.
    third = report[report.index("第三方阵（") : report.index("四、低于序时进度")]
    assert "第三方阵（1 个）" in third and "丁园区" in third
    assert "零进度，列第三方阵" in third
    # 戊局 has one indicator: listed apart, in the 通报, the page and the workbook.
    assert (
        'data-testid="apart-units"' in report and "考核指标 1 项，少于 2 项，单列不排名" in report
    )
    assert "单列" in ranking
    # Issue 22: 序号, 排名, 单位 …; 戊局 in the 单列 section, unranked; 备注 last.
    rows = {r[2]: r for r in wb["单位排名"].iter_rows(min_row=4, values_only=True) if r[2]}
    assert rows["戊局"][1] is None and "单列" in rows["戊局"]
    assert "零进度，列第三方阵" in rows["丁园区"][-1]
    assert "方阵规则" in wb["单位排名"]["A2"].value


def test_rankings_per_unit_type_in_the_page_the_bulletin_and_the_workbook(city, login, reviewer):
    city.rank_by_unit_type = True
    city.save()
    publish(compute_snapshot(city, 3, reviewer), reviewer)
    ranking, report, wb = pages(login(reviewer))
    assert "单位排名（县区）" in ranking and "单位排名（园区）" in ranking
    assert '<h3 class="h6 mt-3 fw-bold">县区</h3>' in report
    assert '<h3 class="h6 mt-3 fw-bold">园区</h3>' in report
    titles = [ws.title for ws in wb]
    summaries = [t for t in titles if t.startswith("单位排名")]
    assert summaries == ["单位排名（县区）", "单位排名（园区）", "单位排名（招商局）"]
    assert titles[-2:] == ["协作组排名", "佐证明细"]
    assert "县区指标完成情况" in titles[1]  # each summary followed by its figures

    # (排名, 单位) of the unit rows (section rows have no 排名).
    def ranked(name):
        return [r[1:3] for r in wb[name].iter_rows(min_row=4, values_only=True) if r[1]]

    assert ranked("单位排名（县区）")[:2] == [(1, "甲县"), (2, "乙县")]
    assert ranked("单位排名（园区）")[:2] == [(1, "丙园区"), (2, "丁园区")]


def test_escalation_before_year_end_is_labelled_a_projection(city, login, reviewer):
    publish(compute_snapshot(city, 3, reviewer), reviewer)
    ranking, report, _ = pages(login(reviewer))
    assert "批评诫勉（按当前进度预计）" in ranking
    assert "问责情况按当前进度预计，以年终考核为准" in ranking
    assert "七、未完成年度任务的问责（按当前进度预计）" in report
    assert "不是最终结论，以年终考核为准" in report


def test_escalation_can_be_held_to_year_end(city, login, reviewer):
    city.escalation_display = EscalationDisplay.YEAR_END
    city.save()
    publish(compute_snapshot(city, 3, reviewer), reviewer)
    ranking, report, _ = pages(login(reviewer))
    assert "批评诫勉" not in ranking and "批评诫勉" not in report
    assert "问责情况在第四季度年终考核时公布" in report


def test_a_snapshot_from_before_the_rules_reads_as_it_did(city, login, reviewer):
    """A year published before issue 17 keeps the old rules (migration 0006); its snapshots have
    none of the new keys. With the keys stripped, its pages and workbook read exactly as a legacy
    computation with them: no rule text, no notes, no extra column."""
    for name, value in LEGACY_RULES.items():
        setattr(city, name, value)
    city.save()
    snapshot = publish(compute_snapshot(city, 3, reviewer), reviewer)
    client = login(reviewer)
    before = pages(client)
    new_keys = {"score_exact", "unit_type", "echelon_note", "listed_apart"}
    data = dict(snapshot.data)
    for key in ("by_unit_type", "escalation_mode", "echelon_rules", "tie_break"):
        data.pop(key, None)
    for kind in ("units", "groups"):
        data[kind] = [{k: v for k, v in e.items() if k not in new_keys} for e in data[kind]]
    tamper(Snapshot.objects.filter(pk=snapshot.pk), data=data)
    after = pages(client)
    for old, new in zip(before[:2], after[:2], strict=True):
        assert _main_of(old) == _main_of(new)
    sheets = [[list(r) for r in ws.iter_rows(values_only=True)] for ws in before[2]]
    assert sheets == [[list(r) for r in ws.iter_rows(values_only=True)] for ws in after[2]]
    assert "方阵规则" not in before[1] and "按当前进度预计" not in before[0]


def _main_of(html):
    class Response:
        status_code = 200
        content = html.encode()

    return _main(Response())


def test_the_unit_page_says_why_it_is_in_its_echelon(city, login, reviewer):
    publish(compute_snapshot(city, 3, reviewer), reviewer)
    client = login(reviewer)
    idle = UnitFactory._meta.model.objects.get(name="丁园区")
    lone = UnitFactory._meta.model.objects.get(name="戊局")
    page = client.get(reverse("assessment:unit_assessment", args=[2026, 3, idle.pk]))
    assert "零进度，列第三方阵" in page.content.decode()
    page = client.get(reverse("assessment:unit_assessment", args=[2026, 3, lone.pk]))
    assert "单列不排名" in page.content.decode()
