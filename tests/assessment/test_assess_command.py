"""python manage.py assess YEAR QUARTER [--publish] [--xlsx OUT]"""

import datetime
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessment.locks import is_date_locked
from assessment.models import Snapshot
from tests.assessment.factories import default_year, set_targets, signed_project
from tests.workbooks.downloads import ranking_download
from units.models import Unit


@pytest.fixture
def year(db, unit_a, unit_b):
    ay = default_year(2026)
    set_targets(ay, unit_a, signed_100m=2)
    set_targets(ay, unit_b, signed_100m=2)
    signed_project(unit_b, date=datetime.date(2026, 2, 1))
    return ay


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("assess", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_the_unit_ranking_without_publishing(year):
    out, _ = run("2026", "1")
    assert "2026年第一季度 单位排名" in out
    lines = [line for line in out.splitlines() if "乙县" in line or "甲县" in line]
    assert lines[0].startswith("1 ") and "乙县" in lines[0] and "50.00" in lines[0]
    assert "甲县" in lines[1] and "零进度" in lines[1]
    assert not is_date_locked(datetime.date(2026, 2, 1))


def test_publish_locks_the_quarter(year):
    out, _ = run("2026", "1", "--publish")
    assert "已发布" in out
    assert Snapshot.objects.get().is_published
    assert is_date_locked(datetime.date(2026, 2, 1))


def test_a_published_quarter_is_shown_as_published_not_recomputed(year, unit_b):
    run("2026", "1", "--publish")
    published = Snapshot.objects.get()
    Unit.objects.filter(pk=unit_b.pk).update(name="乙区")  # renamed since the publication
    out, _ = run("2026", "1")
    assert "已发布（第1版），未重新测算" in out and "须先解锁才能重新测算" in out
    assert "乙县" in out and "乙区" not in out  # the figures as published
    assert Snapshot.objects.get().computed_at == published.computed_at


def cell_values(workbook):
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in workbook}


def test_xlsx_writes_the_published_workbook_of_a_published_quarter(
    year, tmp_path, unit_b, login, reviewer
):
    run("2026", "1", "--publish")
    Unit.objects.filter(pk=unit_b.pk).update(name="乙区")
    path = tmp_path / "official.xlsx"
    out, _ = run("2026", "1", "--xlsx", str(path))
    assert f"已导出排名工作簿：{path}" in out
    written = cell_values(load_workbook(path))
    # Issue 22: title, note, header, the 方阵 section row, then (序号, 排名, 单位).
    assert written["单位排名"][4][:3] == [1, 1, "乙县"]
    assert any(row[0] == "乙县" for row in written["佐证明细"][2:])  # the stored evidence
    response = ranking_download(login(reviewer), 2026, 1)
    downloaded = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert written == cell_values(downloaded)
    assert Snapshot.objects.count() == 1


def test_unknown_year_and_bad_quarter_are_clear_errors(year):
    with pytest.raises(CommandError, match="2030 年度尚未设置考核规则"):
        run("2030", "1")
    with pytest.raises(CommandError, match="季度必须是 1 到 4"):
        run("2026", "5")


def test_xlsx_option_writes_the_ranking_workbook(year, tmp_path, unit_b):
    path = tmp_path / "rank.xlsx"
    out, _ = run("2026", "1", "--xlsx", str(path))
    assert f"已导出排名工作簿：{path}" in out
    ws = load_workbook(path)["单位排名"]
    assert "2026年第一季度" in ws["A1"].value
    assert "测算稿（未发布）" in ws["A1"].value  # not published: `assess --xlsx` says so too
    # title, draft line, note, header, 方阵 section row, then (序号, 排名, 单位)
    assert (ws["B6"].value, ws["C6"].value) == (1, unit_b.name)  # the only unit that signed
