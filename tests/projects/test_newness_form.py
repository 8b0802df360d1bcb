"""The project form asks 新引进/结转 for the current assessment year: it shows the year's value and
its default, records an override (with a reason, in the history) only where the choice differs
from tests.factories.base import unguarded
from the default, and removes it when the default is chosen again (issue 15 path 10)."""

import datetime

import pytest
from django.urls import reverse

from projects import locks, newness
from projects.models import ClaimStatus, NewnessOverride, Project
from tests.factories import NewnessOverrideFactory, signed_project
from tests.factories.base import unguarded
from tests.integrity.published_2025 import form_data
from tests.projects.test_project_form import project_data

pytestmark = pytest.mark.django_db
THIS = newness.current_year()


@pytest.fixture
def last_years(unit_a):
    """A project of 甲县 signed last year (not yet verified): 结转 this year by default."""
    day = datetime.date(THIS - 1, 3, 15)
    return signed_project(unit_a, date=day, status=ClaimStatus.SUBMITTED, name="去年签约项目")


def edit(client, project, **changes):
    url = reverse("projects:project_edit", args=[project.pk])
    data = {**form_data(client, url), **changes}
    return client.post(url, data)


def test_the_form_shows_this_years_value_and_its_default(login, staff_a, last_years):
    client = login(staff_a)
    page = client.get(reverse("projects:project_edit", args=[last_years.pk]))
    field = page.context["form"]["is_new"]
    assert field.label == f"新引进/结转（{THIS} 年度）"
    assert field.value() == "0"
    assert "默认：结转" in field.help_text
    assert f"结转（{THIS} 年度）" in client.get(last_years.get_absolute_url()).content.decode()


def test_a_choice_other_than_the_default_needs_a_reason(login, staff_a, last_years):
    response = edit(login(staff_a), last_years, is_new="1", new_reason="")
    assert response.status_code == 200
    errors = response.context["form"].errors["new_reason"]
    assert f"{THIS} 年度默认为结转，改为新引进须填写认定理由。" in errors
    assert not NewnessOverride.objects.exists()


def test_an_override_is_recorded_for_this_year_only_and_shown_in_the_history(
    login, staff_a, last_years
):
    client = login(staff_a)
    response = edit(client, last_years, is_new="1", new_reason="二期扩建重新签约")
    assert response.status_code == 302
    override = NewnessOverride.objects.get()
    assert (override.project, override.year, override.is_new) == (last_years, THIS, True)
    assert override.recorded_by == staff_a
    assert newness.is_new_in(last_years, THIS) and newness.is_new_in(last_years, THIS - 1)
    page = client.get(last_years.get_absolute_url()).content.decode()
    assert f"新引进（{THIS} 年度）" in page
    assert f"{THIS} 年度认定为新引进：二期扩建重新签约" in page

    # Saving it unchanged writes nothing; choosing the default again removes the override.
    assert edit(client, last_years).status_code == 302
    assert NewnessOverride.history.count() == 1
    assert edit(client, last_years, is_new="0").status_code == 302
    assert not NewnessOverride.objects.exists()
    page = client.get(last_years.get_absolute_url()).content.decode()
    assert f"结转（{THIS} 年度）" in page
    assert f"{THIS} 年度认定撤销（恢复默认（结转））" in page


def test_a_new_project_entered_as_carried_over_records_this_years_override(login, staff_a, unit_a):
    data = project_data(unit_a, is_new="0", new_reason="上年已签约，本年补录")
    assert login(staff_a).post(reverse("projects:project_add"), data).status_code == 302
    project = Project.objects.get(name="新能源汽车零部件产业园")
    override = NewnessOverride.objects.get(project=project)
    assert (override.year, override.is_new) == (THIS, False)
    assert override.reason == "上年已签约，本年补录"


def test_a_project_entered_as_new_records_nothing(login, staff_a, unit_a):
    assert login(staff_a).post(reverse("projects:project_add"), project_data(unit_a)).status_code
    assert Project.objects.filter(name="新能源汽车零部件产业园").exists()
    assert not NewnessOverride.objects.exists()


def test_a_verified_project_keeps_its_newness(login, staff_a, last_years):
    # A verified signing freezes the assessment basis, 新引进/结转 with it (projects.locks).
    with unguarded():  # verified earlier, as set-up
        last_years.milestones.update(status=ClaimStatus.APPROVED)
    response = edit(login(staff_a), last_years, is_new="1", new_reason="想改为新引进")
    assert response.status_code == 200
    assert locks.BASIS_LOCKED_MESSAGE in response.context["form"].errors["is_new"]
    assert not NewnessOverride.objects.exists()


def test_an_override_of_this_year_is_shown_as_the_forms_value(login, staff_a, last_years):
    NewnessOverrideFactory(project=last_years, year=THIS, is_new=True, reason="重新签约")
    page = login(staff_a).get(reverse("projects:project_edit", args=[last_years.pk]))
    form = page.context["form"]
    assert form["is_new"].value() == "1"
    assert form["new_reason"].value() == "重新签约"
