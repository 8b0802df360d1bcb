"""The demo campaign loads once, with targets, and its page shows a ranking."""

from io import StringIO

from django.urls import reverse

from assessment.models import Campaign, CampaignTarget
from zhaoshang.ops.demo import assessment as demo
from zhaoshang.ops.demo import city as units_demo


def test_demo_campaign_is_created_once(db, login, leader):
    units_demo.load(StringIO())
    demo.load(StringIO())
    campaign = Campaign.objects.get()
    targets = sorted(CampaignTarget.objects.values_list("unit_id", "indicator_id", "value"))
    demo.load(StringIO())
    assert Campaign.objects.get() == campaign
    assert sorted(CampaignTarget.objects.values_list("unit_id", "indicator_id", "value")) == targets
    assert campaign.name == "2026年百日招商攻坚会战"
    assert (campaign.start.isoformat(), campaign.end.isoformat()) == ("2026-08-01", "2026-11-08")
    assert campaign.published and campaign.total_days == 100
    assert len({t[0] for t in targets}) >= 30
    response = login(leader).get(reverse("assessment:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    assert "2026年百日招商攻坚会战" in response.content.decode()
