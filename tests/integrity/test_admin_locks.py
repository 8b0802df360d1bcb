"""The Django admin is no way round the locks (issue 15 item 2).

As the admin user, after 2025 Q4 was published: an approved funds entry dated in Q4 cannot be
edited, a project with verified claims cannot be deleted (singly or by the bulk action), workflow
events and the assessment log cannot be changed or deleted, and the published year's targets and
weights are read-only. After every attempt the published record (ranking page, 通报, ranking
workbook) reads as before.
"""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessment.models import AssessmentLog, LogAction, ScoreAdjustment, Target
from projects.models import ClaimEvent, ClaimStatus, FundsEntry, Project
from tests.integrity.published_2025 import city2025, client_for, form_data, sealed_record
from tests.integrity.tamper import sneak_in
from units.models import GroupMembership
from zhaoshang.append_only import AppendOnlyError

pytestmark = pytest.mark.django_db
__all__ = ["city2025"]  # the fixture, imported for pytest


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_approved_funds_in_a_published_quarter_cannot_be_edited(city2025, admin_user, reviewer):
    before = sealed_record(reviewer)
    entry = city2025["funds"]
    admin = client_for(admin_user)
    url = reverse("admin:projects_fundsentry_change", args=[entry.pk])
    data = form_data(admin, url)
    data.update(
        {"project": entry.project_id, "date": "2025-11-21", "amount": "723.03"},
        status=ClaimStatus.DRAFT,
        source="upper",
    )
    data.setdefault("evidence-TOTAL_FORMS", "0")
    data.setdefault("evidence-INITIAL_FORMS", "0")
    response = admin.post(url, data)
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.amount, entry.status, entry.source) == (
        Decimal("722.03"),
        ClaimStatus.APPROVED,
        "enterprise",
    )
    assert str(entry.date) == "2025-11-20"
    page = admin.get(url).content.decode()
    assert 'name="_save"' not in page and "只读" in page
    admin.post(
        reverse("admin:projects_fundsentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert (
        admin.post(reverse("admin:projects_fundsentry_delete", args=[entry.pk])).status_code == 403
    )
    assert FundsEntry.objects.filter(pk=entry.pk).exists()
    assert sealed_record(reviewer) == before


def test_the_admin_adds_no_claim_dated_in_a_published_quarter(city2025, admin_user, reviewer):
    before = sealed_record(reviewer)
    project = city2025["project"]
    admin = client_for(admin_user)
    url = reverse("admin:projects_fundsentry_add")
    data = form_data(admin, url)
    data.update(project=project.pk, date="2025-12-01", source="enterprise", amount="5000")
    response = admin.post(url, data)
    assert "该日期所在季度已发布" in response.content.decode()
    assert project.funds.count() == 1
    assert sealed_record(reviewer) == before


def test_a_project_with_verified_claims_cannot_be_deleted(city2025, admin_user, reviewer):
    before = sealed_record(reviewer)
    project = city2025["project"]
    ClaimEvent.objects.create(
        funds=city2025["funds"], from_status="confirmed", to_status="approved"
    )
    admin = client_for(admin_user)
    page = admin.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    assert reverse("admin:projects_project_delete", args=[project.pk]) not in page
    response = admin.post(
        reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"}
    )
    assert any("不能删除" in m and "终止" in m for m in messages_of(response))
    assert Project.objects.filter(pk=project.pk).exists()
    assert (
        project.milestones.count() == 2 and FundsEntry.objects.filter(project=project).count() == 1
    )
    assert ClaimEvent.objects.filter(funds=city2025["funds"]).count() == 1
    assert sealed_record(reviewer) == before


def test_the_bulk_delete_refuses_verified_projects(city2025, admin_user, reviewer):
    before = sealed_record(reviewer)
    project, other = city2025["project"], city2025["other"]
    admin = client_for(admin_user)
    response = admin.post(
        reverse("admin:projects_project_changelist"),
        {"action": "delete_selected", "_selected_action": [project.pk, other.pk], "post": "yes"},
        follow=True,
    )
    assert Project.objects.filter(pk__in=[project.pk, other.pk]).count() == 2
    assert any(project.name in m and "不能删除" in m for m in messages_of(response))
    assert sealed_record(reviewer) == before


def test_a_project_without_verified_claims_can_still_be_deleted(city2025, admin_user):
    draft = Project.objects.create(
        name="草稿项目",
        investor_name="某公司",
        industry=city2025["project"].industry,
        category=city2025["project"].category,
        unit=city2025["project"].unit,
        total_investment=Decimal("100"),
    )
    second = Project.objects.create(
        name="另一个草稿项目",
        investor_name="某公司",
        industry=draft.industry,
        category=draft.category,
        unit=draft.unit,
        total_investment=Decimal("100"),
    )
    admin = client_for(admin_user)
    admin.post(reverse("admin:projects_project_delete", args=[draft.pk]), {"post": "yes"})
    assert not Project.objects.filter(pk=draft.pk).exists()
    # The bulk action asks for confirmation first, and its confirmation page posts back to it.
    changelist = reverse("admin:projects_project_changelist")
    ask = {"action": "delete_selected", "_selected_action": [second.pk]}
    confirm = form_data(admin, changelist) | ask  # the changelist's own fields
    page = admin.post(changelist, confirm).content.decode()
    assert 'value="delete_selected"' in page and Project.objects.filter(pk=second.pk).exists()
    admin.post(changelist, {**ask, "post": "yes"})
    assert not Project.objects.filter(pk=second.pk).exists()


def test_verified_project_basis_is_read_only(city2025, admin_user):
    project = city2025["project"]
    admin = client_for(admin_user)
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = form_data(admin, url)
    assert "total_investment" not in data and "category" not in data and "unit" not in data
    assert "credit_shares-0-percent" not in data
    data.update(total_investment="1", description="补充项目简介")
    admin.post(url, data)
    project.refresh_from_db()
    assert project.total_investment != Decimal("1")
    assert project.description == "补充项目简介"  # what decides no figure stays editable


def test_claim_events_are_append_only(city2025, admin_user, reviewer):
    before = sealed_record(reviewer)
    entry = city2025["funds"]
    event = ClaimEvent.objects.create(
        funds=entry, from_status="confirmed", to_status="approved", comment="同意"
    )
    admin = client_for(admin_user)
    url = reverse("admin:projects_claimevent_change", args=[event.pk])
    data = form_data(admin, url)
    data.update(funds=entry.pk, from_status="confirmed", to_status="rejected", comment="伪造意见")
    assert admin.post(url, data).status_code == 403
    delete = reverse("admin:projects_claimevent_delete", args=[event.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert (event.comment, event.to_status) == ("同意", "approved")
    # And in the data layer, whoever asks.
    event.comment = "伪造意见"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ClaimEvent.objects.filter(pk=event.pk).update(comment="伪造意见")
    with pytest.raises(AppendOnlyError):
        ClaimEvent.objects.filter(pk=event.pk).delete()
    assert ClaimEvent.objects.get(pk=event.pk).comment == "同意"
    assert sealed_record(reviewer) == before


def test_assessment_log_entries_cannot_be_deleted(city2025, admin_user, reviewer):
    before = sealed_record(reviewer)
    entry = AssessmentLog.objects.get(year=city2025["ay"], action=LogAction.PUBLISH)
    admin = client_for(admin_user)
    delete = reverse("admin:assessment_assessmentlog_delete", args=[entry.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    admin.post(
        reverse("admin:assessment_assessmentlog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AssessmentLog.objects.filter(pk=entry.pk).exists()
    with pytest.raises(AppendOnlyError):
        AssessmentLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    entry.reason = "改写"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AssessmentLog.objects.get(pk=entry.pk).reason != "改写"
    assert sealed_record(reviewer) == before


def test_a_published_years_targets_and_weights_are_read_only(city2025, admin_user, reviewer):
    before = sealed_record(reviewer)
    ay = city2025["ay"]
    target = Target.objects.filter(indicator__year=ay).first()
    admin = client_for(admin_user)
    url = reverse("admin:assessment_target_change", args=[target.pk])
    data = form_data(admin, url)
    data.update(indicator=target.indicator_id, unit=target.unit_id, value="99")
    assert admin.post(url, data).status_code == 403
    target.refresh_from_db()
    assert target.value != Decimal("99")
    # The weights, through the year's indicator inline.
    indicator = ay.indicators.order_by("pk").first()
    weight = indicator.weight
    url = reverse("admin:assessment_assessmentyear_change", args=[ay.pk])
    data = form_data(admin, url)
    data.update({"indicators-0-weight": "99"})
    assert admin.post(url, data).status_code == 403
    indicator.refresh_from_db()
    assert indicator.weight == weight
    # A new target for the published year is refused too.
    untargeted = ay.indicators.exclude(targets__isnull=False).first()
    add = admin.post(
        reverse("admin:assessment_target_add"),
        {"indicator": untargeted.pk, "unit": target.unit_id, "value": "5"},
    )
    assert "考核配置在后台只读" in add.content.decode()
    assert not Target.objects.filter(indicator=untargeted).exists()
    assert sealed_record(reviewer) == before


def test_a_published_years_score_adjustments_are_read_only(city2025, admin_user, reviewer):
    before = sealed_record(reviewer)
    ay, unit = city2025["ay"], city2025["other"].unit
    admin = client_for(admin_user)
    add = admin.post(
        reverse("admin:assessment_scoreadjustment_add"),
        {"year": ay.pk, "unit": unit.pk, "points": "50", "reason": "后台加分"},
    )
    assert "考核配置在后台只读" in add.content.decode()
    assert not ScoreAdjustment.objects.exists()
    existing = sneak_in(ScoreAdjustment(year=ay, unit=unit, points=1, reason="已计入"))
    url = reverse("admin:assessment_scoreadjustment_change", args=[existing.pk])
    change = admin.post(url, {"year": ay.pk, "unit": unit.pk, "points": "50", "reason": "改"})
    assert change.status_code == 403
    delete = reverse("admin:assessment_scoreadjustment_delete", args=[existing.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    existing.refresh_from_db()
    assert existing.points == 1
    assert sealed_record(reviewer) == before


def test_a_published_years_groups_and_memberships_are_read_only(
    city2025, admin_user, reviewer, unit_b
):
    before = sealed_record(reviewer)
    group = city2025["group"]
    members = set(group.memberships.values_list("unit_id", flat=True))
    admin = client_for(admin_user)
    url = reverse("admin:units_collaborationgroup_change", args=[group.pk])
    data = form_data(admin, url)
    data.update({"year": "2026", "memberships-TOTAL_FORMS": "3", "memberships-2-unit": unit_b.pk})
    assert admin.post(url, data).status_code == 403
    delete = reverse("admin:units_collaborationgroup_delete", args=[group.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    group.refresh_from_db()
    assert group.year == 2025
    assert set(group.memberships.values_list("unit_id", flat=True)) == members
    add = admin.post(
        reverse("admin:units_collaborationgroup_add"),
        {
            "year": "2025",
            "name": "新协作组",
            "leader_name": "王市长",
            "sort_order": "0",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-unit": unit_b.pk,
        },
    )
    assert "不能在该年度新建或移入协作组" in add.content.decode()
    assert not GroupMembership.objects.filter(unit=unit_b, year=2025).exists()
    assert sealed_record(reviewer) == before
