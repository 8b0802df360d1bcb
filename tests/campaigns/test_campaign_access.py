"""Who may read and change campaigns: units read the published ranking and nothing more."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import Campaign, CampaignTarget
from tests.assessment.factories import signed_project

D = datetime.date
UNIT_ROLES = ["staff_a", "head_a", "coordinator"]


def edit_urls(campaign):
    return [
        reverse("assessment:campaign_add"),
        reverse("assessment:campaign_edit", args=[campaign.pk]),
        reverse("assessment:campaign_targets", args=[campaign.pk]),
    ]


@pytest.mark.parametrize("role", [*UNIT_ROLES, "leader"])
def test_only_reviewers_create_and_edit(login, request, role, campaign, unit_a):
    client = login(request.getfixturevalue(role))
    for address in edit_urls(campaign):
        assert client.get(address).status_code == 403
    form = {"name": "篡改", "year": campaign.year.pk, "start": "2025-04-01", "end": "2025-05-01"}
    assert client.post(reverse("assessment:campaign_add"), form).status_code == 403
    edit = reverse("assessment:campaign_edit", args=[campaign.pk])
    assert client.post(edit, form).status_code == 403
    cell = f"t-{unit_a.pk}-{campaign.year.indicators.get(code='funds').pk}"
    targets = reverse("assessment:campaign_targets", args=[campaign.pk])
    assert client.post(targets, {cell: "1"}).status_code == 403
    assert list(Campaign.objects.values_list("name", flat=True)) == ["2025年百日招商攻坚会战"]
    assert CampaignTarget.objects.get(unit=unit_a, indicator__code="funds").value == 400


def test_anonymous_users_are_sent_to_log_in(client, campaign):
    for address in [reverse("assessment:campaign_list"), *edit_urls(campaign)]:
        response = client.get(address)
        assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("role", UNIT_ROLES)
def test_units_read_the_published_ranking_of_every_campaign_unit(login, request, role, campaign):
    response = login(request.getfixturevalue(role)).get(campaign.get_absolute_url())
    assert response.status_code == 200
    assert {e.name for e in response.context["result"].units} == {"甲县", "乙县"}
    # No way into another unit's explanation or data from the campaign page.
    assert "/units/" not in response.content.decode().split('data-testid="campaign-ranking"')[1]


def test_drafts_are_hidden_from_units_but_not_from_leaders(
    login, staff_a, leader, reviewer, campaign
):
    campaign.published = False
    campaign.save()
    client = login(staff_a)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    export = reverse("assessment:campaign_export", args=[campaign.pk])
    assert client.get(export).status_code == 404
    assert (
        "2025年百日招商攻坚会战"
        not in client.get(reverse("assessment:campaign_list")).content.decode()
    )
    assert login(leader).get(campaign.get_absolute_url()).status_code == 200
    page = login(reviewer).get(campaign.get_absolute_url()).content.decode()
    assert "本会战尚未向各单位公布" in page


def read_workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_export_gives_units_the_ranking_and_only_their_own_evidence(
    login, staff_a, reviewer, campaign, unit_a, unit_b
):
    signed_project(unit_a, D(2025, 4, 2), name="甲县会战项目")
    signed_project(unit_b, D(2025, 4, 3), name="乙县会战项目")
    export = reverse("assessment:campaign_export", args=[campaign.pk])
    response = login(staff_a).get(export)
    assert response.status_code == 200
    wb = read_workbook(response)
    # Summary first, the indicator figures on their own sheets, the evidence last.
    assert wb.sheetnames[0] == "单位排名" and wb.sheetnames[-1] == "佐证明细"
    assert all(name.startswith("指标完成情况") for name in wb.sheetnames[1:-1])
    ranking = wb["单位排名"]
    assert ranking["A1"].value.startswith("2025年百日招商攻坚会战单位排名（2025年04月01日至")
    # Every sheet is titled by the campaign and its period, none by a quarter (was 第0季度).
    for name in wb.sheetnames[1:-1]:
        assert wb[name]["A1"].value.startswith(f"2025年百日招商攻坚会战{name}（2025年04月01日至")
        assert "季度" not in wb[name]["A1"].value
    # Unit rows sit under their 方阵 section rows: 序号 is a whole number, 单位 the third column.
    units = [row for row in ranking.iter_rows(min_row=4, values_only=True) if row[2]]
    assert {row[2] for row in units} == {"甲县", "乙县"}
    assert all(isinstance(row[0], int) for row in units)
    evidence = [row[3] for row in wb["佐证明细"].iter_rows(min_row=3, values_only=True)]
    assert evidence == ["甲县会战项目"]
    everything = read_workbook(login(reviewer).get(export))
    evidence = [row[3] for row in everything["佐证明细"].iter_rows(min_row=3, values_only=True)]
    assert sorted(evidence) == ["乙县会战项目", "甲县会战项目"]
