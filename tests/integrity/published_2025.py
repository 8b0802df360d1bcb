"""A city whose 2025 Q4 is published, and the published ranking page as a user reads it.

Shared by the admin-lock and published-configuration tests (issue 15 items 2 and 4): after every
attempt the published ranking page must read exactly as before.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import SnapshotStatus
from assessment.snapshots import compute_snapshot, publish
from projects.models import MilestoneKind
from tests.assessment.factories import default_year, funds, milestone, set_targets, signed_project
from tests.factories import GroupFactory, add_member

TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|nonce="|csrf-token" content=")[^"]*')


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def ranking_page(user):
    """The published 2025 Q4 ranking page, read in a fresh session (no pending messages), with
    CSRF tokens and CSP nonces normalised."""
    response = client_for(user).get(reverse("assessment:ranking", args=[2025, 4]))
    assert response.status_code == 200
    return TOKENS.sub(r"\1—", response.content.decode())


@pytest.fixture
def city2025(unit_a, unit_b, lead_unit, reviewer):
    """2025 with a verified, published Q4: unit_a signed, started and got 722.03 万元 in Q4."""
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
    snapshot = publish(compute_snapshot(ay, 4, reviewer), reviewer)
    assert snapshot.status == SnapshotStatus.PUBLISHED
    return {
        "ay": ay,
        "group": group,
        "project": project,
        "funds": entry,
        "other": other,
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
