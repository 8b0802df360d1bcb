"""A city whose 2025 Q4 is published, and the published record as a user reads it.

Shared by the integrity tests of issue 15: after every attempt on the published quarter its
ranking page, its 通报 and its ranking workbook (`sealed_record`) must read exactly as before.
"""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import SnapshotStatus
from assessment.snapshots import compute_snapshot, publish
from projects.models import Category, MilestoneKind, Stage
from tests.assessment.factories import default_year, funds, milestone, set_targets, signed_project
from tests.factories import GroupFactory, ProjectFactory, add_member
from tests.workbooks.downloads import ranking_download

TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|nonce="|csrf-token" content=")[^"]*')


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _main(response):
    """The page's <main> (the navigation bar shows the viewer's live to-do counts), tokens and
    nonces normalised."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return TOKENS.sub(r"\1—", html[html.index("<main") : html.index("</main>")])


def sealed_record(user):
    """What 2025 Q4 announced, as `user` reads it: (ranking page, 通报, the ranking workbook's
    cell values sheet by sheet). The pages are their <main>, tokens normalised."""
    client = client_for(user)
    ranking = _main(client.get(reverse("assessment:ranking", args=[2025, 4])))
    report = _main(client.get(reverse("assessment:report", args=[2025, 4])))
    response = ranking_download(client, 2025, 4)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    return ranking, report, sheets


@pytest.fixture
def city2025(unit_a, unit_b, lead_unit, reviewer):
    """2025 with a verified, published Q4: unit_a signed, started and got 722.03 万元 in Q4;
    unit_b has two projects with verified Q4 funds and no milestone at all (issue 15 path 3: the
    basis freezes with any verified claim), one of them in an excluded category (房地产类)."""
    ay = default_year(2025)
    group = GroupFactory(year=2025, name="二〇二五协作组", lead_unit=lead_unit)
    add_member(group, lead_unit)
    add_member(group, unit_a)
    for unit in (unit_a, unit_b):
        set_targets(ay, unit, signed_100m=2, funds=1000)
    project = signed_project(unit_a, date=datetime.date(2025, 10, 8), name="甲县电池项目")
    milestone(project, MilestoneKind.STARTED, datetime.date(2025, 11, 2))
    entry = funds(project, datetime.date(2025, 11, 20), "722.03")
    other = signed_project(unit_b, date=datetime.date(2025, 5, 6), name="乙县食品项目")
    funds_only = ProjectFactory(unit=unit_b, name="乙县仓储物流项目", stage=Stage.NEGOTIATING)
    funds(funds_only, datetime.date(2025, 12, 5), "300")
    excluded = ProjectFactory(
        unit=unit_b, name="乙县商住项目", category=Category.REAL_ESTATE, stage=Stage.NEGOTIATING
    )
    funds(excluded, datetime.date(2025, 12, 8), "450")
    snapshot = publish(compute_snapshot(ay, 4, reviewer), reviewer)
    assert snapshot.status == SnapshotStatus.PUBLISHED
    return {
        "ay": ay,
        "group": group,
        "project": project,
        "funds": entry,
        "other": other,
        "funds_only": funds_only,
        "excluded": excluded,
        "snapshot": snapshot,
    }


class _FormFields(HTMLParser):
    """The name → value pairs a browser would submit from a page's main form."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            else:
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._multiple = name, "multiple" in a
            self.data.setdefault(name, [] if self._multiple else "")
        elif tag == "option" and self._select and "selected" in a:
            if self._multiple:
                self.data[self._select].append(a.get("value", ""))
            else:
                self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += (
                data.lstrip("\n") if not self.data[self._textarea] else data
            )


def form_data(client, url):
    """What the page at `url` would post when saved unchanged."""
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    data = parser.data
    data.pop("csrfmiddlewaretoken", None)
    data.pop("_selected_action", None)
    return data
