"""十佳引资功臣 ranks persons, not name strings: internal and external apart or together, with the
projects behind each figure, and an export."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from assessment.dashboard.structure import top_contributors
from projects.models import PersonKind
from tests.assessment.factories import funds, signed_project
from tests.factories import IntroducerFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("dashboard:contributors")


@pytest.fixture
def sun_qiang(unit_a, unit_b):
    """孙强 of 甲县 on four projects, an intermediary on one of them, 乙县's 赵六 on another."""
    sun = PersonFactory(name="孙强", unit=unit_a)
    wang = PersonFactory(name="王经理", kind=PersonKind.INTERMEDIARY, organisation="苏州商会")
    projects = [
        signed_project(unit_a, D(2026, 3, 1), contracted_investment=amount, name=f"甲县项目{n}")
        for n, amount in enumerate([1000, 2000, 3000, 4000])
    ]
    for project in projects:
        IntroducerFactory(project=project, person=sun)
    IntroducerFactory(project=projects[0], person=wang)
    funds(projects[0], D(2026, 6, 1), 500)
    other = signed_project(unit_b, D(2026, 3, 1), contracted_investment=6000)
    IntroducerFactory(project=other, person__name="赵六")
    return sun


def test_four_projects_are_one_row_with_the_sum(leader, sun_qiang):
    rows = top_contributors(leader, 2026)
    assert [(r["rank"], r["person"].name, r["total"]) for r in rows] == [
        (1, "孙强", Decimal("10500")),  # 1000 + 2000 + 3000 + 4000 contracted + 500 funds
        (2, "赵六", Decimal("6000")),
        (3, "王经理", Decimal("1500")),
    ]
    first = rows[0]
    assert first["projects"] == 4
    assert [i["name"] for i in first["items"]] == [
        "甲县项目3",
        "甲县项目2",
        "甲县项目1",
        "甲县项目0",
    ]
    assert first["items"][-1]["funds"] == Decimal("500")


def test_the_switch_shows_internal_or_external_persons(login, leader, sun_qiang):
    client = login(leader)

    def names(side):
        rows = client.get(URL, {"year": 2026, "side": side}).context["rows"]
        return [r["person"].name for r in rows]

    assert names("internal") == ["孙强", "赵六"]
    assert names("external") == ["王经理"]
    assert names("all") == ["孙强", "赵六", "王经理"]
    # A tampered switch shows everyone and says so; never a 500.
    response = client.get(URL, {"year": 2026, "side": "x"})
    assert response.status_code == 200
    assert "身份只能是全部、内部或外部" in response.content.decode()


def test_each_row_links_to_the_person_and_lists_the_projects_behind_it(login, leader, sun_qiang):
    page = login(leader).get(URL, {"year": 2026}).content.decode()
    assert reverse("persons:person_detail", args=[sun_qiang.pk]) in page
    assert "所涉项目（4 个）" in page
    detail = login(leader).get(sun_qiang.get_absolute_url(), {"year": 2026}).content.decode()
    assert "合同投资 10,000.00 万元，实际到位资金 500.00 万元，合计 10,500.00 万元" in detail
    assert "甲县项目3" in detail


def test_the_export_opens_with_the_ranked_persons(login, leader, sun_qiang):
    response = login(leader).get(URL, {"year": 2026, "side": "internal", "_export": "xlsx"})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row and row[0] == "名次")
    assert values[header][:4] == ["名次", "姓名", "身份", "单位/机构"]
    body = values[header + 1 :]
    assert [row[1] for row in body] == ["孙强", "赵六"]
    assert body[0][2] == "单位干部职工" and body[0][3] == "甲县"
    assert "甲县项目0" in body[0][8]


def test_the_page_costs_the_same_queries_for_one_person_or_many(
    login, leader, unit_a, django_assert_max_num_queries
):
    client = login(leader)
    counts = []
    for people in (1, 15):
        for n in range(people):
            project = signed_project(unit_a, D(2026, 3, 1), contracted_investment=100 + n)
            IntroducerFactory(project=project, person__name=f"人员{people}-{n}")
            funds(project, D(2026, 5, 1), 10)
        with django_assert_max_num_queries(30) as ctx:
            assert client.get(URL, {"year": 2026}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_funds_count_at_the_recognised_amount(leader, unit_a):
    """十佳 counts verified funds as the engine does (SPEC §4, issue 17 item 2): the 认定金额 where
    the office set one, nothing for 不予认定 — not the amount the unit claimed."""
    from tests.factories import FundsEntryFactory

    person = PersonFactory(name="钱立新", unit=unit_a)
    project = signed_project(unit_a, D(2026, 3, 1), contracted_investment=1000, name="认定项目")
    IntroducerFactory(project=project, person=person)
    common = {"project": project, "status": "approved", "source": "enterprise"}
    FundsEntryFactory(
        date=D(2026, 5, 1), amount=Decimal(800), recognised_amount=Decimal(600), **common
    )
    FundsEntryFactory(date=D(2026, 6, 1), amount=Decimal(400), not_recognised=True, **common)
    FundsEntryFactory(date=D(2026, 7, 1), amount=Decimal(100), **common)
    (row,) = top_contributors(leader, 2026)
    assert row["funds"] == Decimal("700")  # 600 recognised of 800 + 100 as claimed; 400 not
    assert row["total"] == Decimal("1700")
