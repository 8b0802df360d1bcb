"""The campaign form carries the campaign's own ledger rules (issue 20): bad input is refused in
Chinese and nothing is saved."""

import pytest
from django.urls import reverse

from assessment.models import Campaign
from tests.campaigns.test_campaign_edit import form

ADD = reverse("assessment:campaign_add")


def test_the_office_sets_the_campaigns_ledger_rules(login, reviewer, year):
    data = form(year, sanction_below_rate="50", commend_on_completion="on")
    login(reviewer).post(ADD, data)
    campaign = Campaign.objects.get()
    assert str(campaign.sanction_below_rate) == "50.00"
    assert campaign.commend_on_completion and not campaign.restore_salary_on_completion


@pytest.mark.parametrize(
    ("value", "message"),
    [("一半", "完成率线应填写数字，如 50。"), ("120", "完成率线应在 0 到 100 之间。")],
)
def test_a_bad_rate_is_refused_in_chinese(login, reviewer, year, value, message):
    response = login(reviewer).post(ADD, form(year, sanction_below_rate=value))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Campaign.objects.exists()
