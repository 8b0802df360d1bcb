"""Reviewers create and edit campaigns; bad dates and duplicate names save nothing."""

import pytest
from django.urls import reverse

from assessment.models import Campaign

ADD = reverse("assessment:campaign_add")


def form(assessment_year, **changes):
    data = {
        "name": "2025年百日招商攻坚会战",
        "year": assessment_year.pk,
        "start": "2025-08-01",
        "end": "2025-11-08",
        "published": "on",
        "note": "",
    }
    data.update(changes)
    return data


def test_reviewer_creates_a_campaign_then_enters_its_targets(login, reviewer, year):
    response = login(reviewer).post(ADD, form(year), follow=True)
    campaign = Campaign.objects.get()
    assert (campaign.start.isoformat(), campaign.end.isoformat()) == ("2025-08-01", "2025-11-08")
    assert campaign.created_by == reviewer and campaign.total_days == 100
    assert response.redirect_chain[-1][0] == reverse(
        "assessment:campaign_targets", args=[campaign.pk]
    )
    assert "会战已保存" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "2025-07-31"}, "结束日期不能早于开始日期。"),
        ({"start": "2024-12-01"}, "开始日期应在所选考核年度内。"),
        ({"end": "2026-12-31"}, "会战期限不能超过一年，请核对日期。"),
        ({"start": "八月一日"}, "开始日期格式应为 YYYY-MM-DD。"),
        ({"name": ""}, "请填写会战名称。"),
        ({"year": "999999"}, "考核年度无效。"),
    ],
)
def test_bad_input_is_refused_in_chinese(login, reviewer, year, changes, message):
    response = login(reviewer).post(ADD, form(year, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.exists()


def test_names_are_unique_within_a_year(login, reviewer, campaign):
    response = login(reviewer).post(ADD, form(campaign.year, name=campaign.name))
    assert "本年度已有同名会战。" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_editing_keeps_the_year_once_targets_exist(login, reviewer, campaign):
    from tests.assessment.factories import default_year

    other = default_year(2026)
    edit = reverse("assessment:campaign_edit", args=[campaign.pk])
    client = login(reviewer)
    data = form(campaign.year, name="2025年百日攻坚会战（调整）", year=other.pk, end="2025-07-31")
    data["start"] = "2025-04-01"
    client.post(edit, data)
    campaign.refresh_from_db()
    assert campaign.name == "2025年百日攻坚会战（调整）"
    assert campaign.year.year == 2025  # the posted 2026 is ignored: targets refer to 2025
    assert campaign.end.isoformat() == "2025-07-31"
