"""Rounds of two imports of the same workbook at once, for PostgreSQL and SQLite (issue 16,
case 6: two simultaneous imports once wrote every project, figure and share twice).

Each round runs two threads with their own connections (and their own empty contexts, as two
processes would), on a workbook of new projects of its own. Ordered rounds hold the first import
between two of its chunks — it holds the import lease, has written part of the file — while the
second starts; free rounds only start them together. After every round: each project, figure and
share is there once, and each import either wrote it, found it unchanged (无变化), or was refused
with BUSY ("另一个导入正在进行…").
"""

import threading
from collections import Counter

from assessment import snapshots
from assessment.workbooks import staged
from assessment.workbooks.importer import import_workbook
from projects.models import CreditShare, FundsEntry, Milestone, MonthlyInvestment, Project
from tests.concurrency.test_project_edit import run_in_threads
from tests.factories import IndustryFactory, UnitFactory, default_year
from tests.workbooks.conftest import build_workbook, project_row

WAIT = 20
BUSY = "另一个导入正在进行"
IMPORTING = "年度正在导入数据"
# (first import, second import, mode); "web" is the chunked background import, "command" the
# one-transaction import of `manage.py import_workbook`.
ROUNDS = [
    ("web", "command", "held"),
    ("web", "web", "held"),
    ("web", "command", "free"),
    ("command", "command", "free"),
    ("web", "web", "free"),
    ("command", "web", "free"),
]


def round_workbook(number):
    names = [f"第{number}轮项目{k}" for k in range(3)]
    return build_workbook(
        {
            "项目": [project_row(name=n) for n in names],
            "分成": [[names[0], "东湖区", 60], [names[0], "西山区", 40]],
            "固定资产投资": [[n, "2025-03", 100] for n in names],
            "到位资金": [[n, "2025-02-10", "企业和个人投资", 800] for n in names],
        }
    )


def _run(kind, number, progress=None):
    if kind == "command":
        return import_workbook(round_workbook(number))
    return staged.apply_workbook(round_workbook(number), progress=progress or staged._quiet)


def outcome(report):
    """'refused', 'written' (something created) or 'unchanged'."""
    if not report.ok:
        assert len(report.errors) == 1 and BUSY in report.errors[0].message, report.errors
        return "refused"
    created = sum(c["created"] + c["updated"] for c in report.counts.values())
    return "written" if created else "unchanged"


def assert_each_row_once(number):
    prefix = f"第{number}轮"
    keys = {
        "projects": Project.objects.filter(name__startswith=prefix).values_list("name"),
        "shares": CreditShare.objects.filter(project__name__startswith=prefix).values_list(
            "project__name", "unit__name"
        ),
        "milestones": Milestone.objects.filter(project__name__startswith=prefix).values_list(
            "project__name", "kind"
        ),
        "investments": MonthlyInvestment.objects.filter(
            project__name__startswith=prefix
        ).values_list("project__name", "month"),
        "funds": FundsEntry.objects.filter(project__name__startswith=prefix).values_list(
            "project__name", "date"
        ),
    }
    counts = {name: Counter(rows) for name, rows in keys.items()}
    for name, counter in counts.items():
        assert counter and max(counter.values()) == 1, (number, name, counter)
    assert len(counts["projects"]) == 3 and len(counts["shares"]) == 4


def make_city():
    """What the rounds' workbooks refer to: an industry, two counties, the 2025 rules."""
    IndustryFactory(name="装备制造")
    for name in ("东湖区", "西山区"):
        UnitFactory(name=name)
    default_year(2025)


def race(number, first, second, mode):
    """One round → (first's outcome, second's outcome)."""
    barrier = threading.Barrier(2)
    holding, second_done = threading.Event(), threading.Event()
    reports = {}

    def hold(stage, done, total):
        if stage == "apply" and not holding.is_set():
            holding.set()  # the rules chunk is written; the lease is held
            assert second_done.wait(WAIT), "the second import never ended"

    def one():
        barrier.wait(WAIT)
        reports["first"] = _run(first, number, hold if mode == "held" else None)

    def two():
        barrier.wait(WAIT)
        if mode == "held":
            assert holding.wait(WAIT), "the first import never began writing"
        try:
            reports["second"] = _run(second, number)
        finally:
            second_done.set()

    run_in_threads(one, two)
    assert_each_row_once(number)
    outcomes = outcome(reports["first"]), outcome(reports["second"])
    assert "written" in outcomes, outcomes
    if mode == "held":
        assert outcomes == ("written", "refused"), outcomes
    return outcomes


def import_rounds():
    """Race every round; returns [(first, second, mode, first's outcome, second's outcome)]."""
    return [
        (first, second, mode, *race(number, first, second, mode))
        for number, (first, second, mode) in enumerate(ROUNDS, start=1)
    ]


def publish_during_import():
    """Computing a quarter from another connection while a chunked import is between two of its
    chunks: refused with IMPORTING, and the import completes. Returns the refusal message."""
    holding, tried = threading.Event(), threading.Event()
    seen = {}

    def hold(stage, done, total):
        if stage == "apply" and not holding.is_set():
            holding.set()
            assert tried.wait(WAIT), "the computation never ended"

    def importer():
        seen["report"] = _run("web", 99, hold)

    def office():
        assert holding.wait(WAIT)
        try:
            snapshots.compute_snapshot(2025, 1)
            seen["message"] = "computed"
        except snapshots.SnapshotError as exc:
            seen["message"] = str(exc)
        finally:
            tried.set()

    run_in_threads(importer, office)
    assert seen["report"].ok, seen["report"].errors
    assert_each_row_once(99)
    assert IMPORTING in seen["message"], seen["message"]
    snapshots.compute_snapshot(2025, 1)  # the import has ended: the year is the office's again
    return seen["message"]
