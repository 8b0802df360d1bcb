"""The city-wide 包扶表 (issue 19 item 5): 项目、包扶领导、责任单位、分管领导、进展、存在问题,
for the office and leaders, exported as a paper-ready workbook; 分管领导 set on the project form."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import ClaimStatus, MilestoneKind, PersonKind, Project
from tests.factories import (
    AssistanceItemFactory,
    FundsEntryFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    PersonFactory,
    ProjectFactory,
)
from tests.projects.test_basis_lock import _edit
from zhaoshang.guarded import GuardBypass

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("persons:baofu_table")


@pytest.fixture
def leaders():
    return (
        PersonFactory(name="李明", kind=PersonKind.LEADER, title="县长"),
        PersonFactory(name="周伟", kind=PersonKind.LEADER, title="副县长"),
    )


@pytest.fixture
def table(leaders, unit_a, unit_b):
    li, zhou = leaders
    battery = ProjectFactory(
        name="新能源电池项目", unit=unit_a, sponsor_leader=li, deputy_leader=zhou, stage="started"
    )
    ProjectFactory(name="物流园项目", unit=unit_b, sponsor_leader=zhou)
    ProjectFactory(name="无包扶项目", unit=unit_a)
    MonthlyInvestmentFactory(project=battery, month=D(2026, 3, 1), amount=Decimal("1200"))
    FundsEntryFactory(project=battery, date=D(2026, 3, 2), amount=Decimal("300"))
    FundsEntryFactory(project=battery, date=D(2026, 3, 3), amount=Decimal("9999"), status="draft")
    AssistanceItemFactory(project=battery, problem="用地指标不足", deadline=D(2020, 1, 1))
    return battery


def test_the_office_reads_the_table_in_the_published_shape(login, reviewer, table):
    response = login(reviewer).get(URL, {"year": 2026})
    assert response.status_code == 200
    text = response.content.decode()
    for header in ["项目", "包扶领导", "责任单位", "分管领导", "进展", "存在问题"]:
        assert f"<th>{header}</th>" in text
    assert "无包扶项目" not in text
    # Grouped by leader, in the order of their names (周伟's project before 李明's).
    assert text.index("物流园项目") < text.index("新能源电池项目")
    assert "开工，本年完成固定资产投资1,200.00万元，本年实际到位资金300.00万元" in text
    assert "用地指标不足（已逾期）" in text
    assert "9,999" not in text  # a draft's figures never show


def test_export_is_a_workbook_with_the_same_rows(login, leader, table):
    response = login(leader).get(URL, {"year": 2026, "_export": "xlsx"})
    assert response.status_code == 200
    ws = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert "2026年重点项目包扶表" in str(values[0][0])
    header = values.index(["序号", "项目", "包扶领导", "责任单位", "分管领导", "进展", "存在问题"])
    body = values[header + 1 :]
    assert [row[1] for row in body] == ["物流园项目", "新能源电池项目"]
    first = body[1]
    assert first[2] == "李明（县长）" and first[4] == "周伟（副县长）"
    assert first[3] == table.unit.name
    assert first[6] == "用地指标不足（已逾期）"
    assert body[0][4] in ("", None) and body[0][6] == "无"


@pytest.mark.parametrize("who", ["staff_a", "head_a", "coordinator"])
def test_unit_users_may_not_read_the_city_table(request, login, who, table):
    user = request.getfixturevalue(who)
    assert login(user).get(URL).status_code == 403
    assert URL not in login(user).get(reverse("home")).content.decode()


def test_the_table_costs_the_same_queries_for_2_and_8_projects(login, reviewer, leaders, unit_a):
    client = login(reviewer)

    def make(count):
        for _ in range(count):
            project = ProjectFactory(
                unit=unit_a, sponsor_leader=leaders[0], deputy_leader=leaders[1]
            )
            MonthlyInvestmentFactory(project=project)
            FundsEntryFactory(project=project)
            AssistanceItemFactory(project=project)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"year": 2026}).status_code == 200
        return len(ctx.captured_queries)

    make(2)
    small = count()
    make(6)
    assert count() == small


def test_deputy_leader_is_chosen_on_the_form_among_leaders(login, staff_a, unit_a, leaders):
    project_a = ProjectFactory(unit=unit_a, name="甲县光伏组件项目", stage="negotiating")
    # Not part of the assessment basis: editable even after a verified signing.
    MilestoneFactory(project=project_a, kind=MilestoneKind.SIGNED, status=ClaimStatus.APPROVED)
    staff = PersonFactory(name="孙强", unit=project_a.unit)
    client = login(staff_a)
    refused = _edit(client, project_a, deputy_leader=staff.pk)
    assert "分管领导须从人员库的市县领导中选择" in refused.content.decode()
    assert _edit(client, project_a, deputy_leader=leaders[1].pk).status_code == 302
    project_a.refresh_from_db()
    assert project_a.deputy_leader == leaders[1]
    page = client.get(project_a.get_absolute_url()).content.decode()
    assert "周伟（副县长）" in page


def test_deputy_leader_goes_through_the_guard(leaders, unit_a):
    project = ProjectFactory(unit=unit_a)
    with pytest.raises(GuardBypass):
        Project.objects.filter(pk=project.pk).update(deputy_leader=leaders[1])
    project.deputy_leader = leaders[1]
    project.save()  # the guarded save path, as every other project field
    assert project.history.first().deputy_leader_id == leaders[1].pk
