"""Bad input through assistance items, leads, visits, monthly reports and the alert thresholds."""

import pytest
from django.urls import reverse

from projects import reports
from projects.forms import (
    AssistanceForm,
    LeadForm,
    MonthlyReportForm,
    ProjectSettingsForm,
    VisitForm,
)
from projects.models import AssistanceItem, Lead, MonthlyReport, ProjectSettings, Visit
from tests.badinput import corpus
from tests.badinput.harness import (
    as_post,
    assert_form_refuses,
    assert_refused,
    assert_saved,
    fresh,
)
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

MONTH = {
    "month-13": "2025-13",
    "future": "2099-01",
    "letters": "abc",
    "nul": "\x00",
    "long": corpus.LONG,
    **corpus.REQUIRED_EMPTY,
}


def assistance_data(unit, **overrides):
    data = {
        "category": "land",
        "problem": "用地指标不足，需协调",
        "responsible_unit": unit.pk,
        "responsible_leader": "王副县长",
        "deadline": "2025-07-01",
        "status": "open",
        "resolution": "",
        "resolved_on": "",
    }
    data.update(overrides)
    return data


ASSISTANCE_CASES = corpus.cases(
    category=corpus.CHOICE_REQUIRED,
    problem={**corpus.TEXTAREA, **corpus.REQUIRED_EMPTY},
    responsible_unit=corpus.FOREIGN_KEY_REQUIRED,
    responsible_leader=corpus.NAME,
    deadline=corpus.DATE_REQUIRED,
    status=corpus.CHOICE_REQUIRED,
    resolution=corpus.TEXTAREA,
)
RESOLVED_CASES = corpus.cases(
    resolved_on={**corpus.DATE, **corpus.FUTURE_DATE},
    resolution={**corpus.TEXTAREA, **corpus.REQUIRED_EMPTY},
)


def test_assistance_baseline_is_saved(login, staff_a, unit_a, project):
    url = reverse("projects:assistance_add", args=[project.pk])
    assert_saved(login(staff_a), url, assistance_data(unit_a))
    assert project.assistance_items.count() == 1


def assistance_form(project, data, item=None):
    """AssistanceForm as AssistanceEditView builds it (the project's unit is the default)."""
    initial = {"responsible_unit": project.unit_id}
    return AssistanceForm(as_post(data), initial=initial, instance=fresh(item) if item else None)


@pytest.mark.parametrize("field, case, value", ASSISTANCE_CASES, ids=corpus.ids(ASSISTANCE_CASES))
def test_new_assistance_item_refuses(unit_a, project, field, case, value):
    form = assistance_form(project, assistance_data(unit_a, **{field: value}))
    assert_form_refuses(form, [AssistanceItem], field=field)


def test_the_new_assistance_page_refuses_a_bad_value(login, staff_a, unit_a, project):
    url = reverse("projects:assistance_add", args=[project.pk])
    data = assistance_data(unit_a, deadline="2025-02-30")
    assert_refused(login(staff_a), url, data, [AssistanceItem], field="deadline")


def resolved_data(unit, **overrides):
    data = assistance_data(
        unit, status="resolved", resolution="已协调解决", resolved_on="2025-06-01"
    )
    data.update(overrides)
    return data


@pytest.mark.parametrize("field, case, value", RESOLVED_CASES, ids=corpus.ids(RESOLVED_CASES))
def test_resolving_an_assistance_item_refuses(unit_a, assistance, field, case, value):
    form = assistance_form(assistance.project, resolved_data(unit_a, **{field: value}), assistance)
    assert_form_refuses(form, [AssistanceItem], obj=assistance, field=field)


def test_the_assistance_edit_page_refuses_a_bad_value(login, staff_a, unit_a, assistance):
    data = resolved_data(unit_a, resolution="   ")
    url = reverse("projects:assistance_edit", args=[assistance.pk])
    assert_refused(login(staff_a), url, data, [AssistanceItem], obj=assistance, field="resolution")


def test_a_resolution_date_on_an_open_item_is_refused(login, staff_a, unit_a, assistance):
    data = assistance_data(unit_a, resolved_on="2025-06-01")
    url = reverse("projects:assistance_edit", args=[assistance.pk])
    assert_refused(login(staff_a), url, data, [AssistanceItem], obj=assistance)


def lead_data(industry, unit_b, /, **overrides):
    data = {
        "investor_name": "某新能源科技有限公司",
        "industry": industry.pk,
        "intended_investment": "5000",
        "source": "长三角招商推介会",
        "description": "",
        "shared_with": [unit_b.pk],
        "status": "open",
    }
    data.update(overrides)
    return data


LEAD_CASES = corpus.cases(
    investor_name=corpus.NAME_REQUIRED,
    industry=corpus.FOREIGN_KEY,
    intended_investment=corpus.AMOUNT,
    source=corpus.NAME,
    description=corpus.TEXTAREA,
    shared_with=corpus.FOREIGN_KEY,
    status={**corpus.CHOICE_REQUIRED, "converted-by-hand": "converted"},
)


def test_lead_baseline_is_saved(login, staff_a, industry, unit_b):
    assert_saved(login(staff_a), reverse("projects:lead_add"), lead_data(industry, unit_b))
    assert Lead.objects.get().shared_with.get() == unit_b


# LeadEditView passes the lead's unit (the user's own unit for a new lead).
@pytest.mark.parametrize("field, case, value", LEAD_CASES, ids=corpus.ids(LEAD_CASES))
def test_new_lead_refuses(staff_a, industry, unit_b, field, case, value):
    form = LeadForm(as_post(lead_data(industry, unit_b, **{field: value})), unit=staff_a.unit)
    assert_form_refuses(form, [Lead], field=field)


def test_the_new_lead_page_refuses_a_bad_value(login, staff_a, industry, unit_b):
    data = lead_data(industry, unit_b, status="converted")
    assert_refused(login(staff_a), reverse("projects:lead_add"), data, [Lead], field="status")


@pytest.mark.parametrize("field, case, value", LEAD_CASES, ids=corpus.ids(LEAD_CASES))
def test_lead_edit_refuses(industry, unit_b, lead, field, case, value):
    data = lead_data(industry, unit_b, **{field: value})
    form = LeadForm(as_post(data), instance=fresh(lead), unit=lead.unit)
    assert_form_refuses(form, [Lead], obj=lead, field=field)


def test_the_lead_edit_page_refuses_a_bad_value(login, staff_a, industry, unit_b, lead):
    data = lead_data(industry, unit_b, intended_investment="1e20")
    url = reverse("projects:lead_edit", args=[lead.pk])
    assert_refused(login(staff_a), url, data, [Lead], obj=lead, field="intended_investment")


def visit_data(**overrides):
    data = {
        "date": "2025-05-02",
        "investor_name": "某客商考察团",
        "visitors": "张总、李总",
        "hosts": "县招商局",
        "outcome": "达成初步意向",
        "project": "",
        "lead": "",
    }
    data.update(overrides)
    return data


VISIT_CASES = corpus.cases(
    date=corpus.DATE_PAST_REQUIRED,
    investor_name=corpus.NAME_REQUIRED,
    visitors=corpus.NAME,
    hosts=corpus.NAME,
    outcome=corpus.TEXTAREA,
    project=corpus.FOREIGN_KEY,
    lead=corpus.FOREIGN_KEY,
)


def test_visit_baseline_is_saved(login, staff_a, project):
    data = visit_data(project=project.pk)
    assert_saved(login(staff_a), reverse("projects:visit_add"), data)
    assert Visit.objects.get().project == project


@pytest.mark.parametrize("field, case, value", VISIT_CASES, ids=corpus.ids(VISIT_CASES))
def test_new_visit_refuses(staff_a, field, case, value):
    form = VisitForm(as_post(visit_data(**{field: value})), user=staff_a)
    assert_form_refuses(form, [Visit], field=field)


def test_the_new_visit_page_refuses_a_bad_value(login, staff_a):
    data = visit_data(date="2099-01-01")
    assert_refused(login(staff_a), reverse("projects:visit_add"), data, [Visit], field="date")


@pytest.mark.parametrize("field, case, value", VISIT_CASES, ids=corpus.ids(VISIT_CASES))
def test_visit_edit_refuses(staff_a, visit, field, case, value):
    form = VisitForm(as_post(visit_data(**{field: value})), instance=fresh(visit), user=staff_a)
    assert_form_refuses(form, [Visit], obj=visit, field=field)


def test_the_visit_edit_page_refuses_a_bad_value(login, staff_a, visit):
    url = reverse("projects:visit_edit", args=[visit.pk])
    data = visit_data(lead="abc")
    assert_refused(login(staff_a), url, data, [Visit], obj=visit, field="lead")


def test_another_units_project_is_refused_on_a_visit(login, staff_a, unit_b):
    other = ProjectFactory(unit=unit_b)
    data = visit_data(project=other.pk)
    assert_refused(login(staff_a), reverse("projects:visit_add"), data, [Visit], field="project")


REPORT_CASES = corpus.cases(month=MONTH, note=corpus.TEXTAREA)


def test_monthly_report_baseline_is_saved(login, staff_a):
    data = {"month": "2025-05", "is_zero": "on", "note": "本月无进展"}
    assert_saved(login(staff_a), reverse("projects:report_list"), data)
    assert MonthlyReport.objects.get().is_zero


def report_data(**overrides):
    return {"month": "2025-05", "is_zero": "on", "note": "", **overrides}


@pytest.mark.parametrize("field, case, value", REPORT_CASES, ids=corpus.ids(REPORT_CASES))
def test_monthly_report_refuses(staff_a, field, case, value):
    # What report_list does: the form, then (when it is valid) reports.file_report, whose refusal
    # becomes the form's error.
    def file_report(data):
        reports.file_report(staff_a.unit, data["month"], staff_a, data["is_zero"], data["note"])

    form = MonthlyReportForm(as_post(report_data(**{field: value})))
    assert_form_refuses(
        form, [MonthlyReport], field=field, then=file_report, refusal=reports.ReportError
    )


def test_the_monthly_report_page_refuses_a_bad_value(login, staff_a):
    data = report_data(month="2099-01")
    assert_refused(login(staff_a), reverse("projects:report_list"), data, [MonthlyReport])


def test_the_monthly_report_page_refuses_a_bad_month(login, staff_a):
    data = report_data(month="2025-13")
    url = reverse("projects:report_list")
    assert_refused(login(staff_a), url, data, [MonthlyReport], field="month")


SETTINGS = {
    "report_deadline_day": "5",
    "signed_not_started_days": "180",
    "no_progress_months": "2",
    "contract_to_funds_ratio": "10",
}
SETTINGS_CASES = corpus.cases(
    report_deadline_day={**corpus.INTEGER, "zero": "0", "day-29": "29", "empty": ""},
    signed_not_started_days={**corpus.INTEGER, "zero": "0", "empty": ""},
    no_progress_months={**corpus.INTEGER, "zero": "0"},
    contract_to_funds_ratio={**corpus.INTEGER, "zero": "0"},
)


def test_settings_baseline_is_saved(login, reviewer):
    assert_saved(
        login(reviewer), reverse("projects:settings"), {**SETTINGS, "no_progress_months": "3"}
    )
    assert ProjectSettings.load().no_progress_months == 3


@pytest.mark.parametrize("field, case, value", SETTINGS_CASES, ids=corpus.ids(SETTINGS_CASES))
def test_settings_refuse(field, case, value):
    obj = ProjectSettings.load()
    form = ProjectSettingsForm(as_post({**SETTINGS, field: value}), instance=ProjectSettings.load())
    assert_form_refuses(form, [ProjectSettings], obj=obj, field=field)


def test_the_settings_page_refuses_a_bad_value(login, reviewer):
    obj = ProjectSettings.load()
    data = {**SETTINGS, "report_deadline_day": "29"}
    url = reverse("projects:settings")
    assert_refused(
        login(reviewer), url, data, [ProjectSettings], obj=obj, field="report_deadline_day"
    )
