"""List pages count their rows once, page through the table, and sort by 总投资 from an index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def counts(queries):
    # The projects' counts only (the navigation bar's bell counts unread notifications).
    return [
        q["sql"]
        for q in queries
        if 'COUNT(*) AS "__count"' in q["sql"] and "notify_notification" not in q["sql"]
    ]


def test_project_list_counts_once_and_pages_by_25(login, reviewer, unit_a):
    ProjectFactory.create_batch(30, unit=unit_a)
    client = login(reviewer)
    with CaptureQueriesContext(connection) as ctx:
        first = client.get(reverse("projects:project_list"))
    assert first.status_code == 200
    assert len(counts(ctx.captured_queries)) == 1
    assert len(first.context["table"].page.object_list) == 25
    second = client.get(reverse("projects:project_list"), {"page": 2})
    assert len(second.context["table"].page.object_list) == 5


def test_total_investment_has_a_descending_index():
    names = {index.name: index.fields for index in Project._meta.indexes}
    assert names["project_total_desc"] == ["-total_investment"]
