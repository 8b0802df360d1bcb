"""A write the guard refuses outside any form check reaches the user as a Chinese 409 page."""

import datetime

from django.urls import reverse

from projects import admin as projects_admin
from projects.models import ClaimStatus, FundsEntry
from tests.assessment.factories import funds, signed_project


def test_admin_delete_of_an_approved_claim_reaching_the_guard_is_a_409_page(
    db, client, admin_user, unit_a, monkeypatch
):
    project = signed_project(unit_a)
    entry = funds(project, datetime.date(2026, 5, 2), "300", status=ClaimStatus.APPROVED)
    # The admin hides the button; a crafted POST on a page opened before the approval still
    # reaches the guard, which refuses it inside the deletion's transaction.
    monkeypatch.setattr(projects_admin.ClaimAdmin, "has_delete_permission", lambda *a: True)
    client.force_login(admin_user)
    url = reverse("admin:projects_fundsentry_delete", args=[entry.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "数据已锁定，未保存" in page and "该申报已审定" in page
    assert FundsEntry.objects.filter(pk=entry.pk).exists()
