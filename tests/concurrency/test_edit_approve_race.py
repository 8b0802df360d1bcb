"""A unit edits its project while a leader approves the project's signing (issue 15, path 5).

The unit used to cut 合同投资 below the 1 亿元 threshold right after its signing was approved
(6 of 20 pairs): the form had checked the basis before the approval committed. Now the project
save checks the basis with the project's row locked, the row the approval locks too: either the
edit commits first (the approval is then taken on the new value) or it is refused with the basis
message — a 409 page (`zhaoshang.web.middleware.FrozenMiddleware`) or the form's error — and the
verified basis stays as it was. An edit that leaves the basis alone still saves, without undoing
the stage the approval moved the project to.

PostgreSQL only; each thread has its own connection (the unit's edit through its own test client).
Rounds alternate between free ones and ordered ones (`tests.concurrency.races`).
"""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects import claims, services
from projects.locks import BASIS_LOCKED_MESSAGE
from projects.models import ClaimEvent, ClaimStatus, EvidenceKind, MilestoneKind, Project, Stage
from tests.concurrency.races import Round, hook
from tests.concurrency.test_project_edit import run_in_threads
from tests.factories import (
    EvidenceFactory,
    MilestoneFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
    default_year,
)
from units.models import Role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and two connections"
    ),
]

# approve_first: the approval holds its locks, uncommitted, until the edit is queued behind them;
# checked_first: the edit's form has passed its checks when the approval commits (the old hole);
# edit_first: the edit holds the project's row until the approval is queued behind it.
MODES = ["approve_first", "checked_first", "edit_first", "free"] * 2
# The approval of the signing moves a negotiating project to 已签约 (an UPDATE of its row); of a
# project already marked signed it writes nothing to the row, and only the workflow's lock of the
# project's row keeps the two apart. The first half of the rounds has the one, the second the other.
STAGES = [Stage.NEGOTIATING] * 4 + [Stage.SIGNED] * 4


@pytest.fixture
def people():
    unit = UnitFactory(name="东湖区")
    default_year(2026)
    return {
        "unit": unit,
        "staff": UserFactory(username="zhao", role=Role.UNIT_STAFF, unit=unit),
        "leader": UserFactory(username="li", role=Role.LEADER, unit=None),
    }


def project_awaiting_approval(unit, stage=Stage.NEGOTIATING):
    project = ProjectFactory(
        unit=unit,
        stage=stage,
        total_investment=Decimal("20000"),
        contracted_investment=Decimal("15000"),
    )
    signing = MilestoneFactory(
        project=project,
        kind=MilestoneKind.SIGNED,
        date=datetime.date(2026, 2, 3),
        status=ClaimStatus.CONFIRMED,
    )
    # 审定 needs the 合同 the year's evidence rules ask of a signing (issue 17).
    EvidenceFactory(milestone=signing, kind=EvidenceKind.CONTRACT)
    return project, signing


def edit_page_data(client, project, **changes):
    """What the edit page posts back unchanged, with `changes`: the page's own form values."""
    page = client.get(reverse("projects:project_edit", args=[project.pk]))
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    data.update(changes)
    return data


def race_edit(monkeypatch, mode, seed, client, project, data, leader, signing):
    """One round: the unit posts `data` while the leader approves `signing`."""
    race = Round(mode, seed)
    if mode == "approve_first":
        hook(
            monkeypatch, claims, "_record", after=lambda: (race.set("a"), race.hold_until_queued())
        )
    elif mode == "checked_first":
        hook(monkeypatch, services, "save_project", before=lambda: (race.set("e"), race.wait("a")))
    elif mode == "edit_first":
        hook(monkeypatch, Project, "save", after=lambda: (race.set("e"), race.hold_until_queued()))
    seen = {}

    def edit():
        race.start()
        if mode == "approve_first":
            race.wait("a")
        seen["response"] = client.post(reverse("projects:project_edit", args=[project.pk]), data)

    def approve():
        race.start()
        if mode in ("checked_first", "edit_first"):
            race.wait("e")
        seen["approval"] = claims.act_many(leader, [signing], claims.Action.APPROVE)
        race.set("a")

    try:
        run_in_threads(edit, approve)
    finally:
        monkeypatch.undo()
    return seen["response"], seen["approval"], race.seen_waiting


def test_an_edit_lowering_the_contract_never_lands_after_the_approval(people, monkeypatch):
    staff_client = Client()
    staff_client.force_login(people["staff"])
    outcomes = []
    for index, (mode, stage) in enumerate(zip(MODES, STAGES, strict=True)):
        project, signing = project_awaiting_approval(people["unit"], stage)
        data = edit_page_data(staff_client, project, contracted_investment="9000")
        response, approval, waited = race_edit(
            monkeypatch, mode, index, staff_client, project, data, people["leader"], signing
        )

        assert [c.pk for c in approval.done] == [signing.pk], approval.failed
        signing.refresh_from_db()
        project.refresh_from_db()
        assert signing.status == ClaimStatus.APPROVED
        approved_at = ClaimEvent.objects.get(milestone=signing, to_status=ClaimStatus.APPROVED)
        lowered = project.history.filter(contracted_investment=Decimal("9000"))
        if response.status_code == 302:
            # The edit won: it committed before the approval, which was taken on the new value.
            assert project.contracted_investment == Decimal("9000")
            assert lowered.earliest("history_date").history_date < approved_at.created
        else:
            # Refused: a 409 page from the guard, or the form's own check (200), both in Chinese.
            assert response.status_code in (409, 200)
            assert BASIS_LOCKED_MESSAGE in response.content.decode()
            assert project.contracted_investment == Decimal("15000")
            assert not lowered.exists()
        outcomes.append((mode, stage, response.status_code))
        if mode in ("approve_first", "checked_first"):
            assert response.status_code == 409
        if mode == "edit_first":
            assert response.status_code == 302
        if mode in ("approve_first", "edit_first"):
            assert waited == [True], f"{mode}: the other thread never queued behind the lock"
    print("edit vs approve (mode, stage, status):", outcomes)


def test_an_edit_of_other_fields_keeps_the_stage_the_approval_set(people, monkeypatch):
    staff_client = Client()
    staff_client.force_login(people["staff"])
    outcomes = []
    for index, mode in enumerate(MODES):
        project, signing = project_awaiting_approval(people["unit"])
        data = edit_page_data(staff_client, project, description="补充项目简介")
        response, approval, _ = race_edit(
            monkeypatch, mode, index, staff_client, project, data, people["leader"], signing
        )

        assert [c.pk for c in approval.done] == [signing.pk], approval.failed
        project.refresh_from_db()
        outcomes.append((mode, response.status_code))
        # The edit touched nothing verified and nobody else edited the project: it saves.
        assert response.status_code == 302
        assert project.description == "补充项目简介"
        # Whatever the order, the stage follows the verified signing.
        assert project.stage == Stage.SIGNED, f"{mode}: the edit undid the approval's stage"
    print("description edit vs approve (mode, status):", outcomes)
