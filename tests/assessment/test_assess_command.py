"""python manage.py assess YEAR QUARTER [--publish] [--xlsx OUT]"""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessment.locks import is_date_locked
from assessment.models import Snapshot
from tests.assessment.factories import default_year, set_targets, signed_project


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
    assert "2026年第1季度 单位排名" in out
    lines = [line for line in out.splitlines() if "乙县" in line or "甲县" in line]
    assert lines[0].startswith("1 ") and "乙县" in lines[0] and "50.00" in lines[0]
    assert "甲县" in lines[1] and "零进度" in lines[1]
    assert not is_date_locked(datetime.date(2026, 2, 1))


def test_publish_locks_the_quarter(year):
    out, _ = run("2026", "1", "--publish")
    assert "已发布" in out
    assert Snapshot.objects.get().is_published
    assert is_date_locked(datetime.date(2026, 2, 1))
    with pytest.raises(CommandError, match="须先解锁"):
        run("2026", "1")


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
    assert (ws["A5"].value, ws["B5"].value) == (1, unit_b.name)  # the only unit that signed
