"""Export a year as the import workbook, import it into an empty database: every quarter's
assessment comes out identical; import it back into the same database: nothing changes. The
command and the office's download write it; nobody else may download it."""

import datetime
import io
from collections import defaultdict
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessment.defaults import create_default_year
from assessment.engine import compute
from assessment.models import AssessmentYear, Indicator, Target
from assessment.workbooks.contract import SHEETS
from assessment.workbooks.importer import import_workbook
from assessment.workbooks.ranking import evidence_rows
from assessment.workbooks.year_export import export_year_workbook
from projects.models import CreditShare, Industry, Project
from projects.services import sync_stage
from tests.factories import (
    CreditShareFactory,
    FundsEntryFactory,
    GroupFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    ProjectFactory,
    TargetFactory,
    UnitFactory,
    add_member,
)
from tests.factories.base import unguarded
from units.models import CollaborationGroup, GroupMembership, Unit

pytestmark = pytest.mark.django_db
YEAR = 2025
D = Decimal


def day(month, d=15):
    return datetime.date(YEAR, month, d)


@pytest.fixture
def city_year():
    east, west, south = (UnitFactory(name=n) for n in ("东湖区", "西山区", "南河县"))
    dept = UnitFactory(name="市商务局", unit_type="city_dept")
    group = GroupFactory(year=YEAR, name="第一招商协作组", lead_unit=dept)
    for unit in (dept, east, west):
        add_member(group, unit)
    year = create_default_year(YEAR)
    targets = {"signed_100m": 2, "started_100m": 2, "completed_100m": 1,
               "completed_fai": 30000, "funds": 20000}  # fmt: skip
    for indicator in year.indicators.all():
        for unit in (east, west, south, dept):
            TargetFactory(indicator=indicator, unit=unit, value=targets[indicator.code])
        TargetFactory(indicator=indicator, group=group, value=3 * targets[indicator.code])

    motor = ProjectFactory(name="新能源电机项目", unit=east, total_investment=52000,
                           contracted_investment=50000)  # fmt: skip
    CreditShare.objects.filter(project=motor).delete()
    CreditShareFactory(project=motor, unit=east, percent=60)
    CreditShareFactory(project=motor, unit=west, percent=40)
    MilestoneFactory(project=motor, kind="signed", date=day(2))
    MilestoneFactory(project=motor, kind="started", date=day(5))
    FundsEntryFactory(project=motor, date=day(3), amount=D("8000.50"))
    FundsEntryFactory(project=motor, date=day(8), source="loan", amount=D("12000"))

    park = ProjectFactory(name="智能装备产业园", unit=west, total_investment=30000)  # 结转: 2024
    MilestoneFactory(project=park, kind="signed", date=datetime.date(YEAR - 1, 6, 1))
    MilestoneFactory(project=park, kind="started", date=datetime.date(YEAR - 1, 9, 1))
    MilestoneFactory(project=park, kind="completed", date=day(7))
    MonthlyInvestmentFactory(project=park, month=datetime.date(YEAR - 1, 11, 1), amount=9000)
    MonthlyInvestmentFactory(project=park, month=datetime.date(YEAR, 2, 1), amount=D("7000.25"))
    MonthlyInvestmentFactory(project=park, month=datetime.date(YEAR, 6, 1), amount=6000)

    small = ProjectFactory(name="小型商贸项目", unit=south, total_investment=3000,
                           contracted_investment=3000, category="social")  # fmt: skip
    MilestoneFactory(project=small, kind="signed", date=day(10))
    FundsEntryFactory(project=small, date=day(11), source="upper", amount=D("450.75"))
    for project in (motor, park, small):
        sync_stage(project)  # as the claim workflow leaves it after each milestone
    return year


def normalised(result):
    def entity(e):
        figures = {code: (r.target, r.actual, r.completion_pct) for code, r in e.indicators.items()}
        return (e.name, e.group_name, e.rank, e.echelon, e.score, e.overall, e.status,
                e.escalation, figures)  # fmt: skip

    specs = [(i.code, i.name, i.display_unit, i.weight) for i in result.indicators]
    return specs, sorted(map(entity, result.units)), sorted(map(entity, result.groups))


def wipe():
    with unguarded():
        Project.objects.all().delete()
        Target.objects.all().delete()
        Indicator.objects.all().delete()
        AssessmentYear.objects.all().delete()
        GroupMembership.objects.all().delete()
        CollaborationGroup.objects.all().delete()
        Unit.objects.all().delete()
        Industry.objects.all().delete()


def test_export_then_import_into_empty_database_gives_identical_assessments(city_year):
    before = {q: normalised(compute(YEAR, q)) for q in (1, 2, 3, 4)}
    assert before[4][1][0][4] is not None  # somebody scored: the comparison is not vacuous
    buf = io.BytesIO()
    export_year_workbook(YEAR, buf)

    wipe()
    assert not Unit.objects.exists()
    buf.seek(0)
    report = import_workbook(buf, verified=True)
    assert report.ok, report.errors

    after = {q: normalised(compute(YEAR, q)) for q in (1, 2, 3, 4)}
    assert after == before


def cell_values(content):
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb}


def test_export_import_into_an_empty_database_export_gives_the_same_workbook(city_year, tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    call_command("export_workbook", str(YEAR), str(first), stdout=io.StringIO())
    exported = cell_values(first.read_bytes())
    assert len(exported["项目"]) == 4 and len(exported["到位资金"]) == 4  # headers + the year
    wipe()
    call_command("import_workbook", str(first), "--verified", stdout=io.StringIO())
    call_command("export_workbook", str(YEAR), str(second), stdout=io.StringIO())
    assert cell_values(second.read_bytes()) == exported


def test_evidence_rows_add_up_to_every_unit_figure(city_year):
    result = compute(YEAR, 4)
    credited = defaultdict(Decimal)
    for row in evidence_rows(result):
        credited[(row.unit, row.indicator_code)] += D(row.amount) * D(row.share) / 100
    for unit in result.units:
        for code, figure in unit.indicators.items():
            assert credited.get((unit.name, code), D(0)) == figure.actual, (unit.name, code)


def assert_reimports_with_no_changes(content):
    """`content` is a real .xlsx of the import format; importing it back changes nothing."""
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == list(SHEETS)
    assert wb["项目"]["A2"].value  # the year's projects are in it: the check is not vacuous
    report = import_workbook(io.BytesIO(content))
    assert report.ok, report.errors
    counts = report.count_rows()
    assert {sheet for sheet, *_ in counts} >= {"单位", "考核指标", "目标", "项目", "到位资金"}
    assert all(created == updated == 0 for _sheet, created, updated, _unchanged in counts), counts


def test_the_export_command_writes_a_year_that_reimports_with_no_changes(city_year, tmp_path):
    path = tmp_path / "2025.xlsx"
    out = io.StringIO()
    call_command("export_workbook", str(YEAR), str(path), stdout=out)
    assert "已导出 2025 年度数据" in out.getvalue()
    assert_reimports_with_no_changes(path.read_bytes())


def test_the_export_command_refuses_an_unknown_year(city_year, tmp_path):
    path = tmp_path / "2031.xlsx"
    with pytest.raises(CommandError, match="没有 2031 年度的考核，未导出任何数据。现有年度：2025"):
        call_command("export_workbook", "2031", str(path))
    assert not path.exists()


def test_the_office_downloads_a_year_that_reimports_with_no_changes(city_year, login, reviewer):
    client = login(reviewer)
    page = client.get(reverse("workbook:import")).content.decode()
    url = reverse("workbook:year_export", args=[YEAR])
    assert f'href="{url}"' in page and "导出2025年度数据" in page
    response = client.get(url)
    assert response.status_code == 200
    assert "2025年度" in unquote(response["Content-Disposition"])
    assert_reimports_with_no_changes(b"".join(response.streaming_content))
    assert client.get(reverse("workbook:year_export", args=[2031])).status_code == 404


@pytest.mark.parametrize("role", ["staff_a", "head_a", "coordinator", "leader"])
def test_only_the_office_downloads_a_year_and_only_the_office_sees_the_link(
    request, city_year, login, role
):
    client = login(request.getfixturevalue(role))
    url = reverse("workbook:year_export", args=[YEAR])
    assert client.get(url).status_code == 403
    assert client.get(reverse("workbook:import")).status_code == 403
    for page in ("/", reverse("assessment:ranking", args=[YEAR, 4])):
        response = client.get(page, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        assert url not in html and "导出2025年度数据" not in html
        assert reverse("workbook:import") not in html


def test_the_administrator_downloads_a_year_like_the_office(city_year, login, admin_user):
    client = login(admin_user)
    assert (
        f'href="{reverse("workbook:year_export", args=[YEAR])}"'
        in client.get(reverse("workbook:import")).content.decode()
    )
    assert client.get(reverse("workbook:year_export", args=[YEAR])).status_code == 200
