"""The per-year settings of issue 17 are the office's to set on the year's page, and a published
year freezes those that decide a figure (zhaoshang.guard): the echelon rules, the escalation
display, the per-unit-type ranking, the caps. The verification workflow's settings (evidence
per claim type, separation of duties) stay editable: they decide who may act next, never a
figure already counted, and an office tightens them mid-year."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import AssessmentLog, AssessmentYear, LogAction
from assessment.snapshots import compute_snapshot, publish
from projects.models import DEFAULT_EVIDENCE_RULES
from tests.factories.assessment import default_year, year_form_data
from zhaoshang.guard import Frozen


def edit(client, year=2026, **overrides):
    data = year_form_data(year=str(year), **overrides)
    return client.post(reverse("assessment:year_edit", args=[year]), data)


def test_a_new_year_gets_the_default_evidence_and_separate_duties(db, login, reviewer):
    login(reviewer).post(reverse("assessment:year_add"), year_form_data())
    ay = AssessmentYear.objects.get(year=2027)
    assert ay.evidence_rules == DEFAULT_EVIDENCE_RULES and ay.separate_duties is True


def test_the_office_sets_evidence_per_claim_type_and_the_duties_switch(db, login, reviewer):
    default_year(2026)
    client = login(reviewer)
    form = client.get(reverse("assessment:year_edit", args=[2026])).content.decode()
    assert "到位资金申报所需佐证材料" in form and "审核环节分人办理" in form
    response = edit(
        client,
        evidence_funds=["receipt", "contract"],
        evidence_investment=["site_photo"],
        separate_duties="",
    )
    assert response.status_code == 302
    ay = AssessmentYear.objects.get(year=2026)
    assert ay.evidence_rules["funds"] == ["receipt", "contract"]
    assert ay.evidence_rules["investment"] == ["site_photo"]
    assert ay.separate_duties is False
    page = client.get(reverse("assessment:year_detail", args=[2026])).content.decode()
    assert "到位资金：到账凭证或合同" in page and "月度固定资产投资：现场照片" in page
    log = AssessmentLog.objects.get(action=LogAction.CHANGE_RULES)
    assert "到位资金申报所需佐证材料" in log.reason


def test_a_bad_evidence_kind_is_a_form_error_and_saves_nothing(db, login, reviewer):
    default_year(2026)
    response = edit(login(reviewer), evidence_funds=["nonsense"])
    assert response.status_code == 200
    assert "nonsense" in response.content.decode()  # Django's 选择一个有效的选项 names it
    assert AssessmentYear.objects.get().evidence_rules == DEFAULT_EVIDENCE_RULES


def test_a_published_year_still_takes_workflow_settings_but_not_rules(db, login, reviewer):
    ay = default_year(2026)
    publish(compute_snapshot(ay, 1, reviewer), reviewer)
    client = login(reviewer)
    edit(
        client,
        evidence_investment=["receipt"],
        separate_duties="",
        first_echelon_floor="0.8",
        rank_by_unit_type="on",
        escalation_display="year_end",
        min_indicators="3",
    )
    ay.refresh_from_db()
    assert ay.evidence_rules["investment"] == ["receipt"] and ay.separate_duties is False
    assert ay.first_echelon_floor == Decimal("0.50")
    assert ay.rank_by_unit_type is False
    assert ay.escalation_display == "projected" and ay.min_indicators == 1  # default_year


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tie_break", False),
        ("tie_break_indicator", "funds"),
        ("zero_progress_third", False),
        ("first_echelon_floor", Decimal("0.8")),
        ("min_indicators", 3),
        ("rank_by_unit_type", True),
        ("escalation_display", "as_of_now"),
        ("score_cap", Decimal("1.5")),
    ],
)
def test_the_guard_freezes_every_echelon_and_escalation_rule_once_published(
    db, reviewer, field, value
):
    ay = default_year(2026)
    publish(compute_snapshot(ay, 1, reviewer), reviewer)
    ay.refresh_from_db()
    setattr(ay, field, value)
    with pytest.raises(Frozen):
        ay.save()


def test_an_indicators_own_cap_is_frozen_too(db, reviewer):
    ay = default_year(2026)
    publish(compute_snapshot(ay, 1, reviewer), reviewer)
    funds = ay.indicators.get(code="funds")
    funds.score_cap = Decimal(1)
    with pytest.raises(Frozen):
        funds.save()
