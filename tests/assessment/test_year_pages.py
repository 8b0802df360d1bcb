"""Reviewers edit a year's rules in the app; publication locks them until a recorded unlock."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import AssessmentLog, AssessmentYear, Indicator, LogAction
from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import default_year, year_form_data


def test_new_year_starts_with_the_default_indicators(db, login, reviewer):
    response = login(reviewer).post(reverse("assessment:year_add"), year_form_data())
    assert response.status_code == 302
    ay = AssessmentYear.objects.get(year=2027)
    codes = list(ay.indicators.values_list("code", flat=True))
    assert codes == ["signed_100m", "started_100m", "completed_100m", "completed_fai", "funds"]
    assert [i.weight for i in ay.indicators.all()] == [25, 25, 20, 15, 15]


def test_bad_fraction_is_a_form_error(db, login, reviewer):
    default_year(2026)
    url = reverse("assessment:year_edit", args=[2026])
    response = login(reviewer).post(
        url,
        {
            "score_cap": "1.2",
            "echelon_first": "三分之一",
            "echelon_second": "2/3",
            "progress_q1": "25",
            "progress_q2": "50",
            "progress_q3": "75",
            "progress_q4": "100",
        },
    )
    assert "请填写 0 到 1 之间的分数或小数" in response.content.decode()
    assert AssessmentYear.objects.get().echelon_first == "1/3"


def test_indicator_rules_are_checked(db, login, reviewer):
    default_year(2026)
    response = login(reviewer).post(
        reverse("assessment:indicator_add", args=[2026]),
        {
            "code": "signed_100m",
            "name": "重复",
            "kind": "milestone_count",
            "milestone": "",
            "display_unit": "个",
            "weight": "10",
            "order": "9",
        },
    )
    page = response.content.decode()
    assert "本年度已有相同代码的指标" in page
    assert "节点类指标必须选择节点" in page
    assert Indicator.objects.count() == 5


def test_published_year_keeps_its_rules_until_unlocked_with_a_reason(db, login, reviewer):
    ay = default_year(2026)
    publish(compute_snapshot(ay, 1, reviewer), reviewer)
    client = login(reviewer)
    indicator = ay.indicators.get(code="funds")
    edit = reverse("assessment:indicator_edit", args=[2026, indicator.pk])
    assert client.get(edit).status_code == 403
    unlock = reverse("assessment:rules_unlock", args=[2026])
    client.post(unlock, {"reason": ""})
    assert client.get(edit).status_code == 403
    client.post(unlock, {"reason": "省里调整权重"})
    assert client.get(edit).status_code == 200
    log = AssessmentLog.objects.get(action=LogAction.UNLOCK_RULES)
    assert (log.reason, log.actor) == ("省里调整权重", reviewer)
    page = client.get(reverse("assessment:year_detail", args=[2026])).content.decode()
    assert "省里调整权重" in page


def test_locked_year_form_ignores_rule_changes(db, login, reviewer):
    ay = default_year(2026)
    publish(compute_snapshot(ay, 1, reviewer), reviewer)
    login(reviewer).post(
        reverse("assessment:year_edit", args=[2026]),
        {"score_cap": "2", "echelon_first": "1/2", "echelon_second": "2/3", "note": "说明"},
    )
    ay.refresh_from_db()
    assert ay.score_cap == Decimal("1.20")


@pytest.mark.parametrize("user_fixture", ["staff_a", "leader"])
def test_only_reviewers_change_rules(db, login, request, user_fixture):
    default_year(2026)
    client = login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("assessment:year_edit", args=[2026])).status_code == 403
    assert client.get(reverse("assessment:indicator_add", args=[2026])).status_code == 403
    assert (
        client.post(reverse("assessment:rules_unlock", args=[2026]), {"reason": "x"}).status_code
        == 403
    )
