"""List pages: filters, sorting, amounts, and query counts that do not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import newness
from projects.models import ProjectSettings
from tests.factories import (
    AssistanceItemFactory,
    GroupFactory,
    IndustryFactory,
    LeadFactory,
    MilestoneFactory,
    NewnessOverrideFactory,
    ProjectFactory,
    VisitFactory,
    add_member,
)

pytestmark = pytest.mark.django_db


def make_projects(unit, n):
    for i in range(n):
        project = ProjectFactory(unit=unit, total_investment=Decimal(1000 + i))
        MilestoneFactory(project=project)
        if i % 2:  # this year's 结转, read per row inside the list's one query
            NewnessOverrideFactory(project=project, year=newness.current_year(), is_new=False)
        AssistanceItemFactory(
            project=project,
            category="land",
            problem=f"问题{i}",
            responsible_unit=unit,
            deadline=datetime.date(2026, 1, 1),
        )
        lead = LeadFactory(unit=unit, investor_name=f"客商{i}")
        lead.shared_with.add(unit)
        VisitFactory(
            unit=unit, date=datetime.date(2026, 5, 1), investor_name=f"客商{i}", project=project
        )


@pytest.mark.parametrize(
    "url_name", ["project_list", "lead_list", "visit_list", "assistance_list", "assistance_overdue"]
)
def test_list_query_counts_do_not_grow_with_rows(
    login, reviewer, unit_a, url_name, django_assert_max_num_queries
):
    client = login(reviewer)
    url = reverse(f"projects:{url_name}")
    make_projects(unit_a, 10)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    # 40 rows fill the first page (25 rows against 10): a query per row would show.
    make_projects(unit_a, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_alert_and_report_pages_query_counts_are_constant(
    login, reviewer, unit_a, django_assert_max_num_queries
):
    ProjectSettings.load()
    client = login(reviewer)
    make_projects(unit_a, 10)
    counts = []
    for extra in (0, 30):
        make_projects(unit_a, extra)
        for name in ("alert_list", "report_list"):
            with django_assert_max_num_queries(40) as ctx:
                assert client.get(reverse(f"projects:{name}")).status_code == 200
            counts.append(len(ctx.captured_queries))
    assert counts[:2] == counts[2:]


def test_filters_by_stage_band_industry_and_flags(login, reviewer, unit_a):
    energy = IndustryFactory(name="新能源汽车")
    ProjectFactory(unit=unit_a, name="小项目", total_investment=Decimal("3000"), stage="signed")
    ProjectFactory(
        unit=unit_a,
        name="亿元项目",
        total_investment=Decimal("12000"),
        stage="started",
        industry=energy,
        is_key=True,
    )
    ProjectFactory(
        unit=unit_a, name="十亿项目", total_investment=Decimal("150000"), stage="started"
    )
    client = login(reviewer)
    url = reverse("projects:project_list")

    def names(**params):
        table = client.get(url, params).context["table"]
        return sorted(row.record.name for row in table.page.object_list)

    assert names(band="10000") == ["亿元项目", "十亿项目"]
    assert names(band="100000") == ["十亿项目"]
    assert names(stage="started") == ["亿元项目", "十亿项目"]
    assert names(industry=energy.pk) == ["亿元项目"]
    assert names(is_key="true") == ["亿元项目"]
    assert names(q="十亿") == ["十亿项目"]


def test_the_new_filter_and_the_carried_flag_speak_of_this_year(login, reviewer, unit_a):
    this = newness.current_year()
    fresh = ProjectFactory(unit=unit_a, name="今年签约项目")
    MilestoneFactory(project=fresh, date=datetime.date(this, 1, 5))
    old = ProjectFactory(unit=unit_a, name="去年签约项目")
    MilestoneFactory(project=old, date=datetime.date(this - 1, 6, 1))
    client = login(reviewer)
    url = reverse("projects:project_list")

    def names(**params):
        table = client.get(url, params).context["table"]
        return sorted(row.record.name for row in table.page.object_list)

    assert names(is_new="true") == ["今年签约项目"]
    assert names(is_new="false") == ["去年签约项目"]
    table = client.get(url).context["table"]
    flags = {row.record.name: row.get_cell("flags") for row in table.page.object_list}
    assert flags == {"今年签约项目": "—", "去年签约项目": "结转"}
    NewnessOverrideFactory(project=old, year=this, is_new=True, reason="重新签约")
    assert names(is_new="true") == ["今年签约项目", "去年签约项目"]


def test_group_filter_uses_the_membership_of_the_groups_year(login, reviewer, unit_a, unit_b):
    old = GroupFactory(year=2025, name="第二招商协作组", lead_unit=unit_b)
    add_member(old, unit_b)
    new = GroupFactory(year=2026, name="第二招商协作组", lead_unit=unit_a)
    add_member(new, unit_a)
    ProjectFactory(unit=unit_a, name="甲县项目")
    ProjectFactory(unit=unit_b, name="乙县项目")
    client = login(reviewer)
    table = client.get(reverse("projects:project_list"), {"group": new.pk}).context["table"]
    assert [r.record.name for r in table.page.object_list] == ["甲县项目"]


def test_amount_columns_read_in_wan_however_large_and_sort(login, reviewer, unit_a):
    ProjectFactory(unit=unit_a, name="大项目", total_investment=Decimal("250000"))
    ProjectFactory(
        unit=unit_a, name="小项目", total_investment=Decimal("800"), contracted_investment=0
    )
    client = login(reviewer)
    response = client.get(reverse("projects:project_list"), {"sort": "total_investment"})
    rows = [r.record.name for r in response.context["table"].page.object_list]
    assert rows == ["小项目", "大项目"]
    page = response.content.decode()
    # One unit per column (issue 22): the header says 万元, no cell switches to 亿元.
    assert "总投资（万元）" in page and "250,000.00" in page and "800.00" in page
    assert "亿元" not in page[page.index("<tbody") : page.index("</tbody>")]


def test_filters_left_alone_read_all_not_unknown_or_dashes(login, staff_a):
    """A filter's blank choice says 全部: not django-filter's "---------", nor 未知 on yes/no
    filters (issue 22)."""
    page = login(staff_a).get(reverse("projects:project_list")).content.decode()
    start = page.index('name="stage"')
    form = page[start : page.index("</form>", start)]
    assert "---------" not in form and "未知" not in form
    assert '<option value="" selected>全部</option>' in form
    assert '<option value="true">是</option>' in form
