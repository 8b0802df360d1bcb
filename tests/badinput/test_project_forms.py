"""Bad input through the project form (new, edit, from a lead), termination and credit shares."""

import pytest
from django.urls import reverse

from projects import services
from projects.forms import (
    CreditShareFormSetFactory,
    IntroducerFormSetFactory,
    ProjectForm,
    TerminateForm,
)
from projects.models import CreditShare, Introducer, Lead, Project
from tests.badinput import corpus
from tests.badinput.harness import (
    CJK,
    as_post,
    assert_form_refuses,
    assert_refused,
    assert_saved,
    error_messages,
    fields_of,
    fresh,
    row_counts,
)
from tests.factories import PersonFactory, ProjectFactory
from tests.projects.test_project_form import project_data as valid_project_data
from zhaoshang.web.forms import bootstrapify

pytestmark = pytest.mark.django_db


def project_data(unit, industry, /, **overrides):
    """The project form's valid payload (shared with tests/projects), with this test's industry."""
    data = valid_project_data(unit, industry=industry.pk)
    del data["is_key"]  # the corpus starts from an ordinary, non-key project
    data.update(overrides)
    return data


PROJECT_CASES = corpus.cases(
    name=corpus.NAME_REQUIRED,
    investor_name=corpus.NAME_REQUIRED,
    investor_credit_code={**corpus.NAME, "too-short": "12345", "lowercase": "91320500ma1xxxxx8y"},
    origin=corpus.CHOICE_REQUIRED,
    origin_place=corpus.NAME,
    industry=corpus.FOREIGN_KEY_REQUIRED,
    category=corpus.CHOICE_REQUIRED,
    head_enterprise=corpus.CHOICE,
    unit=corpus.FOREIGN_KEY_REQUIRED,
    cooperating_units=corpus.FOREIGN_KEY,
    sponsor_leader=corpus.FOREIGN_KEY,
    location=corpus.NAME,
    total_investment=corpus.AMOUNT_REQUIRED,
    contracted_investment=corpus.AMOUNT_REQUIRED,
    planned_start=corpus.DATE,
    planned_completion=corpus.DATE,
    stage={**corpus.CHOICE_REQUIRED, "terminated-by-hand": "terminated"},
    description=corpus.TEXTAREA,
)
PROJECT_WATCH = [Project, CreditShare]


def test_project_baseline_is_saved(login, staff_a, unit_a, industry):
    assert_saved(login(staff_a), reverse("projects:project_add"), project_data(unit_a, industry))
    assert Project.objects.filter(name="新能源汽车零部件产业园", unit=unit_a).exists()


@pytest.mark.parametrize("field, case, value", PROJECT_CASES, ids=corpus.ids(PROJECT_CASES))
def test_new_project_refuses(staff_a, unit_a, industry, field, case, value):
    data = project_data(unit_a, industry, **{field: value})
    form = ProjectForm(as_post(data), user=staff_a)
    assert_form_refuses(form, PROJECT_WATCH, field=field)


def test_the_new_project_page_refuses_a_bad_value(login, staff_a, unit_a, industry):
    data = project_data(unit_a, industry, total_investment="NaN")
    url = reverse("projects:project_add")
    assert_refused(login(staff_a), url, data, PROJECT_WATCH, field="total_investment")


@pytest.mark.parametrize("field, case, value", PROJECT_CASES, ids=corpus.ids(PROJECT_CASES))
def test_project_edit_refuses(staff_a, unit_a, industry, project, field, case, value):
    data = project_data(unit_a, industry, name=project.name, version=project.version)
    data[field] = value
    form = ProjectForm(as_post(data), instance=fresh(project), user=staff_a)
    assert_form_refuses(form, PROJECT_WATCH, obj=project, field=field)


def test_the_project_edit_page_refuses_a_bad_value(login, staff_a, unit_a, industry, project):
    data = project_data(unit_a, industry, name=project.name, version=project.version)
    data["planned_start"] = "2025-02-30"
    url = reverse("projects:project_edit", args=[project.pk])
    assert_refused(login(staff_a), url, data, PROJECT_WATCH, obj=project, field="planned_start")


@pytest.mark.parametrize("version", ["abc", "", "1e20", "\x00", corpus.HUGE_DIGITS, "-1"])
def test_project_edit_with_a_bad_version_is_refused(
    login, staff_a, unit_a, industry, project, version
):
    data = project_data(unit_a, industry, version=version)
    url = reverse("projects:project_edit", args=[project.pk])
    assert_refused(login(staff_a), url, data, PROJECT_WATCH, obj=project)


def test_another_units_id_is_refused(login, staff_a, unit_a, unit_b, industry):
    data = project_data(unit_a, industry, unit=unit_b.pk)
    assert_refused(
        login(staff_a), reverse("projects:project_add"), data, PROJECT_WATCH, field="unit"
    )


def test_completion_planned_before_start_is_refused(login, staff_a, unit_a, industry):
    data = project_data(
        unit_a, industry, planned_start="2026-06-01", planned_completion="2026-05-31"
    )
    _response, errors = assert_refused(
        login(staff_a), reverse("projects:project_add"), data, PROJECT_WATCH
    )
    assert any("计划竣工日期不能早于计划开工日期" in e for e in errors)


def test_contracted_above_total_is_refused(login, staff_a, unit_a, industry):
    data = project_data(unit_a, industry, total_investment="100", contracted_investment="100.01")
    _response, errors = assert_refused(
        login(staff_a), reverse("projects:project_add"), data, PROJECT_WATCH
    )
    assert any("合同投资不能大于总投资" in e for e in errors)


def test_duplicate_project_name_within_a_unit_is_refused(login, staff_a, unit_a, industry, project):
    data = project_data(unit_a, industry, name=project.name)
    _response, errors = assert_refused(
        login(staff_a), reverse("projects:project_add"), data, PROJECT_WATCH, field="name"
    )
    assert any("已有同名项目" in e for e in errors)


def test_duplicate_name_ignores_surrounding_spaces(login, staff_a, unit_a, industry, project):
    data = project_data(unit_a, industry, name=f"  {project.name} ")
    assert_refused(
        login(staff_a), reverse("projects:project_add"), data, PROJECT_WATCH, field="name"
    )


def test_renaming_onto_a_sibling_project_is_refused(login, staff_a, unit_a, industry, project):
    other = ProjectFactory(
        name="甲县储能电站项目",
        investor_name="某储能公司",
        industry=industry,
        category="industrial",
        unit=unit_a,
        total_investment=1000,
        contracted_investment=0,
        stage="negotiating",
    )
    data = project_data(unit_a, industry, name=project.name, version=other.version)
    url = reverse("projects:project_edit", args=[other.pk])
    assert_refused(login(staff_a), url, data, PROJECT_WATCH, obj=other, field="name")


def test_the_same_name_in_another_unit_is_allowed(login, staff_b, unit_b, industry, project):
    data = project_data(unit_b, industry, name=project.name)
    assert_saved(login(staff_b), reverse("projects:project_add"), data)
    assert Project.objects.filter(name=project.name).count() == 2


def test_editing_a_project_keeps_its_own_name(login, staff_a, unit_a, industry, project):
    data = project_data(unit_a, industry, name=project.name, version=project.version)
    assert_saved(login(staff_a), reverse("projects:project_edit", args=[project.pk]), data)


# --- a project from a lead ------------------------------------------------------------------

LEAD_CASES = corpus.cases(
    name={"nul": "\x00", "long": corpus.LONG, "empty": ""},
    total_investment={"negative": "-1", "nan": "NaN", "1e20": "1e20"},
    planned_start={"feb-30": "2025-02-30"},
)


def test_lead_conversion_baseline_is_saved(login, staff_a, unit_a, industry, lead):
    url = reverse("projects:lead_convert", args=[lead.pk])
    assert_saved(login(staff_a), url, project_data(unit_a, industry))
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.project.name == "新能源汽车零部件产业园"


@pytest.mark.parametrize("field, case, value", LEAD_CASES, ids=corpus.ids(LEAD_CASES))
def test_lead_conversion_refuses(staff_a, unit_a, industry, lead, field, case, value):
    data = project_data(unit_a, industry, **{field: value})
    initial = services.project_initial_from_lead(lead)
    form = ProjectForm(as_post(data), initial=initial, user=staff_a)
    assert_form_refuses(form, [Project, Lead], obj=lead, field=field)


def test_the_lead_conversion_page_refuses_a_bad_value(login, staff_a, unit_a, industry, lead):
    url = reverse("projects:lead_convert", args=[lead.pk])
    data = project_data(unit_a, industry, total_investment="-1")
    assert_refused(login(staff_a), url, data, [Project, Lead], obj=lead, field="total_investment")


# --- termination ------------------------------------------------------------------------------

TERMINATE_CASES = corpus.cases(
    terminated_on=corpus.DATE_PAST_REQUIRED,
    reason={**corpus.TEXTAREA, **corpus.REQUIRED_EMPTY},
)


def test_termination_baseline_is_saved(login, staff_a, project):
    url = reverse("projects:project_terminate", args=[project.pk])
    data = {"terminated_on": "2025-05-01", "reason": "企业战略调整", "version": project.version}
    assert_saved(login(staff_a), url, data)
    project.refresh_from_db()
    assert project.stage == "terminated"


def termination_data(project, **overrides):
    return {
        "terminated_on": "2025-05-01",
        "reason": "企业战略调整",
        "version": project.version,
        **overrides,
    }


@pytest.mark.parametrize("field, case, value", TERMINATE_CASES, ids=corpus.ids(TERMINATE_CASES))
def test_termination_refuses(project, field, case, value):
    initial = {"terminated_on": services.today(), "version": project.version}
    form = TerminateForm(as_post(termination_data(project, **{field: value})), initial=initial)
    assert_form_refuses(form, [Project], obj=project, field=field)


def test_the_termination_page_refuses_a_bad_value(login, staff_a, project):
    data = termination_data(project, terminated_on="2099-01-01")
    url = reverse("projects:project_terminate", args=[project.pk])
    assert_refused(login(staff_a), url, data, [Project], obj=project, field="terminated_on")


# --- credit shares and introducers ------------------------------------------------------------


def shares_data(project, rows, introducers=()):
    """rows: [(unit pk, percent)]; the first row edits the project's existing 100 % share."""
    existing = list(project.credit_shares.order_by("pk"))
    data = {
        "shares-TOTAL_FORMS": str(len(rows)),
        "shares-INITIAL_FORMS": str(len(existing)),
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
        "intro-TOTAL_FORMS": str(len(introducers)),
        "intro-INITIAL_FORMS": "0",
        "intro-MIN_NUM_FORMS": "0",
        "intro-MAX_NUM_FORMS": "1000",
    }
    for i, (unit, percent) in enumerate(rows):
        data[f"shares-{i}-unit"] = unit
        data[f"shares-{i}-percent"] = percent
        if i < len(existing):
            data[f"shares-{i}-id"] = existing[i].pk
            data[f"shares-{i}-project"] = project.pk
    for i, person in enumerate(introducers):
        data[f"intro-{i}-person"] = person
    return data


SHARE_WATCH = [CreditShare, Introducer]


def assert_shares_refused(project, data):
    """The shares page's two formsets, built as the view builds them, refuse `data` with a
    Chinese message and save nothing. Returns the Chinese messages."""
    before = row_counts(*SHARE_WATCH)
    before_obj = fields_of(project)
    post = as_post(data)
    shares = CreditShareFormSetFactory(post, instance=fresh(project), prefix="shares")
    introducers = IntroducerFormSetFactory(post, instance=fresh(project), prefix="intro")
    # The formsets' generated forms get the text guard where the view styles them.
    for formset in (shares, introducers):
        for form in formset.forms:
            bootstrapify(form, small=True)
    assert not (shares.is_valid() and introducers.is_valid())
    errors = [
        e
        for formset in (shares, introducers)
        for e in error_messages([formset.non_form_errors(), formset.errors])
        if CJK.search(e)
    ]
    assert errors, (shares.errors, shares.non_form_errors(), introducers.errors)
    assert row_counts(*SHARE_WATCH) == before
    assert fields_of(project) == before_obj
    return errors


def test_shares_baseline_is_saved(login, staff_a, unit_a, unit_b, project):
    person = PersonFactory(name="周科长", unit=project.unit)
    data = shares_data(project, [(unit_a.pk, "60"), (unit_b.pk, "40")], introducers=[person.pk])
    assert_saved(login(staff_a), reverse("projects:project_shares", args=[project.pk]), data)
    shares = {s.unit_id: s.percent for s in project.credit_shares.all()}
    assert shares == {unit_a.pk: 60, unit_b.pk: 40}
    assert project.introducers.get().name == "周科长"


@pytest.mark.parametrize("case, value", list(corpus.PERCENT.items()), ids=list(corpus.PERCENT))
def test_a_bad_share_percent_is_refused(unit_a, unit_b, project, case, value):
    data = shares_data(project, [(unit_a.pk, value), (unit_b.pk, "40")])
    assert_shares_refused(project, data)
    assert project.credit_shares.get().percent == 100


def test_the_shares_page_refuses_a_bad_percent(login, staff_a, unit_a, unit_b, project):
    data = shares_data(project, [(unit_a.pk, "NaN"), (unit_b.pk, "40")])
    url = reverse("projects:project_shares", args=[project.pk])
    assert_refused(login(staff_a), url, data, SHARE_WATCH)
    assert project.credit_shares.get().percent == 100


@pytest.mark.parametrize(
    "percents, message",
    [
        (["99.99"], "合计为 99.99%"),
        (["100.01"], "不能超过 100%"),
        (["50", "50.01"], "合计为 100.01%"),
        (["50", "49.99"], "合计为 99.99%"),
        (["0", "100"], "必须大于 0"),
    ],
    ids=["99.99", "100.01", "50+50.01", "50+49.99", "zero-share"],
)
def test_shares_not_summing_to_exactly_100_are_refused(unit_a, unit_b, project, percents, message):
    units = [unit_a.pk, unit_b.pk]
    data = shares_data(project, list(zip(units, percents, strict=False)))
    errors = assert_shares_refused(project, data)
    assert any(message in e for e in errors), errors


def test_the_shares_page_shows_a_total_not_100(login, staff_a, unit_a, unit_b, project):
    data = shares_data(project, [(unit_a.pk, "50"), (unit_b.pk, "49.99")])
    url = reverse("projects:project_shares", args=[project.pk])
    _response, errors = assert_refused(login(staff_a), url, data, SHARE_WATCH)
    assert any("合计为 99.99%" in e for e in errors), errors


def test_a_unit_twice_in_the_shares_is_refused(unit_a, project):
    data = shares_data(project, [(unit_a.pk, "50"), (unit_a.pk, "50")])
    assert_shares_refused(project, data)


@pytest.mark.parametrize(
    "case, value", list(corpus.FOREIGN_KEY_REQUIRED.items()), ids=list(corpus.FOREIGN_KEY_REQUIRED)
)
def test_a_bad_share_unit_is_refused(unit_a, project, case, value):
    data = shares_data(project, [(unit_a.pk, "60"), (value, "40")])
    assert_shares_refused(project, data)


INTRODUCER_CASES = corpus.cases(person=corpus.FOREIGN_KEY)


@pytest.mark.parametrize("field, case, value", INTRODUCER_CASES, ids=corpus.ids(INTRODUCER_CASES))
def test_a_bad_introducer_is_refused(unit_a, project, field, case, value):
    data = shares_data(project, [(unit_a.pk, "100")], [value])
    assert_shares_refused(project, data)


def test_another_units_staff_is_refused_as_introducer(unit_a, unit_b, project):
    stranger = PersonFactory(name="赵六", unit=unit_b)
    assert_shares_refused(project, shares_data(project, [(unit_a.pk, "100")], [stranger.pk]))


def test_the_shares_page_refuses_a_bad_introducer(login, staff_a, unit_a, project):
    data = shares_data(project, [(unit_a.pk, "100")], ["周\x00科长"])
    url = reverse("projects:project_shares", args=[project.pk])
    assert_refused(login(staff_a), url, data, SHARE_WATCH)


@pytest.mark.parametrize("value", ["abc", "", "\x00", "-1", "1e20", corpus.HUGE_DIGITS])
def test_a_tampered_management_form_is_refused(login, staff_a, unit_a, project, value):
    data = shares_data(project, [(unit_a.pk, "100")])
    data["shares-TOTAL_FORMS"] = value
    url = reverse("projects:project_shares", args=[project.pk])
    assert_refused(login(staff_a), url, data, SHARE_WATCH)
