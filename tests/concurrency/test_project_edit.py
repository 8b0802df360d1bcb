"""Two people saving the same project at the same moment: exactly one save wins, the other is
told "该项目已被他人修改，请刷新后重试。" and none of their values is written.

Real concurrency needs two real connections, so these tests run on PostgreSQL only (CI runs the
suite there too); each thread has its own Django connection and a barrier makes both read the
project's version before either writes.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from projects import services
from projects.forms import ProjectForm
from projects.models import Project
from tests.factories import IndustryFactory, ProjectFactory, UnitFactory, UserFactory
from units.models import Role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and two connections"
    ),
]


@pytest.fixture
def project_and_editors():
    unit = UnitFactory(name="东湖区")
    project = ProjectFactory(
        unit=unit, name="东湖区新能源电池项目", stage="negotiating", total_investment=50000
    )
    first = UserFactory(username="zhao", role=Role.UNIT_STAFF, unit=unit)
    second = UserFactory(username="qian", role=Role.UNIT_HEAD, unit=unit)
    return project, first, second


def form_data(project, name, total, version):
    return {
        "name": name,
        "investor_name": project.investor_name,
        "investor_credit_code": "",
        "origin": "domestic",
        "origin_place": "",
        "industry": IndustryFactory().pk,
        "category": "industrial",
        "head_enterprise": "",
        "is_new": "1",
        "unit": project.unit_id,
        "sponsor_leader": "",
        "location": "",
        "total_investment": total,
        "contracted_investment": "10000",
        "planned_start": "",
        "planned_completion": "",
        "stage": "negotiating",
        "description": "",
        "version": version,
    }


def lock_waiters():
    """Backends of this database waiting for a row lock right now."""
    with connection.cursor() as cursor:
        # pg_stat_activity is a snapshot per transaction; refresh it for every look.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def run_in_threads(*targets):
    errors = []

    def wrap(target):
        try:
            target()
        except Exception as exc:  # surfaced in the main thread's assertion
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a save hung"
    assert errors == []


def test_two_concurrent_service_saves_one_wins_the_other_is_refused(
    project_and_editors, monkeypatch
):
    project, first, second = project_and_editors
    barrier = threading.Barrier(2)
    outcomes = {}
    seen_waiting = []
    original_save = Project.save

    def save_holding_the_lock(self, *args, **kwargs):
        # Only the winner of the conditional UPDATE gets here, still holding the row lock.
        # Keep the transaction open until the other save is queued behind that lock, so the
        # test proves the refusal of a writer that really ran at the same time.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not lock_waiters():
            time.sleep(0.02)
        seen_waiting.append(lock_waiters())
        return original_save(self, *args, **kwargs)

    def edit(user, name, total):
        def run():
            form = ProjectForm(
                form_data(project, name, total, version=1),
                instance=Project.objects.get(pk=project.pk),
                user=user,
            )
            assert form.is_valid(), form.errors
            barrier.wait(timeout=10)  # both have read version 1
            try:
                services.save_project(form, user)
                outcomes[user.username] = "saved"
            except services.StaleVersion:
                outcomes[user.username] = services.STALE_MESSAGE

        return run

    monkeypatch.setattr(Project, "save", save_holding_the_lock)
    run_in_threads(edit(first, "赵的修改", "60000"), edit(second, "钱的修改", "70000"))
    monkeypatch.setattr(Project, "save", original_save)

    assert sorted(outcomes.values()) == ["saved", "该项目已被他人修改，请刷新后重试。"]
    assert seen_waiting and seen_waiting[0] >= 1, "the second save never waited for the lock"
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    expected = {"zhao": ("赵的修改", Decimal("60000")), "qian": ("钱的修改", Decimal("70000"))}
    project.refresh_from_db()
    assert (project.name, project.total_investment) == expected[winner]
    assert project.version == 2
    # The loser's values appear nowhere, not even in the history.
    loser_name = expected["qian" if winner == "zhao" else "zhao"][0]
    assert not project.history.filter(name=loser_name).exists()
    assert project.history.filter(history_type="~").count() == 1


def test_two_users_posting_the_edit_form_at_once_one_is_told_to_refresh(project_and_editors):
    project, first, second = project_and_editors
    url = reverse("projects:project_edit", args=[project.pk])
    clients = {}
    for user in (first, second):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
        # Both open the edit page and get version 1 in the hidden field.
        page = clients[user.username].get(url)
        assert page.context["form"]["version"].value() == 1
    barrier = threading.Barrier(2)
    responses = {}

    def post(username, name):
        def run():
            data = form_data(project, name, "80000", version=1)
            barrier.wait(timeout=10)
            responses[username] = clients[username].post(url, data)

        return run

    run_in_threads(post("zhao", "赵的名称"), post("qian", "钱的名称"))

    codes = sorted(r.status_code for r in responses.values())
    assert codes == [200, 302]
    loser = next(name for name, r in responses.items() if r.status_code == 200)
    assert "该项目已被他人修改，请刷新后重试。" in responses[loser].content.decode()
    project.refresh_from_db()
    assert project.name == {"zhao": "钱的名称", "qian": "赵的名称"}[loser]
    assert project.version == 2
