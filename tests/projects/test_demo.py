"""The demo projects: plenty of true-looking data, nothing in the future, and idempotent."""

import io

import pytest
from django.db.models import Max

from projects.models import FundsEntry, Milestone, MonthlyReport, Project, Stage
from zhaoshang.ops.demo import city as units_demo
from zhaoshang.ops.demo import projects as demo

pytestmark = pytest.mark.django_db


def test_demo_projects_are_plentiful_dated_in_the_past_and_load_once(today):
    units_demo.load(io.StringIO())
    demo.load(io.StringIO())
    # About 8 projects a unit (the 2026 亿元 signings of issue 22 item 5 included).
    assert 250 <= Project.objects.count() <= 380
    home = set(Project.objects.filter(unit__name="东湖区").values_list("stage", flat=True))
    assert home == set(Stage.values)
    assert Milestone.objects.aggregate(last=Max("date"))["last"] <= today
    assert FundsEntry.objects.aggregate(last=Max("date"))["last"] <= today
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert {"approved", "submitted", "rejected", "draft"} <= statuses
    counts = (Project.objects.count(), Milestone.objects.count(), MonthlyReport.objects.count())
    demo.load(io.StringIO())
    assert (
        Project.objects.count(),
        Milestone.objects.count(),
        MonthlyReport.objects.count(),
    ) == counts
