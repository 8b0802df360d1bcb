"""Bad input through the unit and collaboration-group forms."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.badinput import corpus
from tests.badinput.harness import (
    as_post,
    assert_form_refuses,
    assert_refused,
    assert_saved,
    fresh,
)
from units.forms import GroupForm, UnitContactForm, UnitForm
from units.models import CollaborationGroup, GroupMembership, Unit

pytestmark = pytest.mark.django_db

UNIT_CASES = corpus.cases(
    name=corpus.NAME_REQUIRED,
    short_name=corpus.NAME,
    unit_type=corpus.CHOICE_REQUIRED,
    head_name=corpus.NAME,
    contact_phone=corpus.NAME,
    sort_order=corpus.INTEGER,
)


def unit_data(**overrides):
    data = {
        "name": "丙县",
        "short_name": "丙",
        "unit_type": "county",
        "head_name": "赵书记",
        "head_title": "县委书记",
        "contact_name": "钱科长",
        "contact_phone": "0551-1234567",
        "sort_order": "3",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_unit_baseline_is_saved(login, reviewer):
    assert_saved(login(reviewer), reverse("units:unit_add"), unit_data())
    assert Unit.objects.filter(name="丙县").exists()


# The office (who may manage the organisation) gets UnitForm; a unit head UnitContactForm.
@pytest.mark.parametrize("field, case, value", UNIT_CASES, ids=corpus.ids(UNIT_CASES))
def test_new_unit_refuses(field, case, value):
    form = UnitForm(as_post(unit_data(**{field: value})))
    assert_form_refuses(form, [Unit], field=field)


def test_the_new_unit_page_refuses_a_bad_value(login, reviewer):
    data = unit_data(sort_order="-1")
    assert_refused(login(reviewer), reverse("units:unit_add"), data, [Unit], field="sort_order")


@pytest.mark.parametrize("field, case, value", UNIT_CASES, ids=corpus.ids(UNIT_CASES))
def test_unit_edit_refuses(unit_a, field, case, value):
    form = UnitForm(as_post(unit_data(**{field: value})), instance=fresh(unit_a))
    assert_form_refuses(form, [Unit], obj=unit_a, field=field)


def test_the_unit_edit_page_refuses_a_bad_value(login, reviewer, unit_a):
    url = reverse("units:unit_edit", args=[unit_a.pk])
    data = unit_data(name="丙\u202e县")
    assert_refused(login(reviewer), url, data, [Unit], obj=unit_a, field="name")


def test_duplicate_unit_name_is_refused(login, reviewer, unit_a):
    _response, errors = assert_refused(
        login(reviewer), reverse("units:unit_add"), unit_data(name="甲县"), [Unit], field="name"
    )
    assert any("存在" in e for e in errors)


def test_renaming_a_unit_to_another_units_name_is_refused(login, reviewer, unit_a, unit_b):
    url = reverse("units:unit_edit", args=[unit_b.pk])
    assert_refused(login(reviewer), url, unit_data(name="甲县"), [Unit], obj=unit_b, field="name")


CONTACT_CASES = corpus.cases(
    head_name=corpus.NAME, head_title=corpus.NAME, contact_phone=corpus.NAME
)


CONTACT = {"head_name": "孙县长", "head_title": "县长", "contact_name": "", "contact_phone": ""}


@pytest.mark.parametrize("field, case, value", CONTACT_CASES, ids=corpus.ids(CONTACT_CASES))
def test_unit_head_contact_form_refuses(unit_a, field, case, value):
    form = UnitContactForm(as_post({**CONTACT, field: value}), instance=fresh(unit_a))
    assert_form_refuses(form, [Unit], obj=unit_a, field=field)


def test_the_unit_heads_page_refuses_a_bad_value(login, head_a, unit_a):
    url = reverse("units:unit_edit", args=[unit_a.pk])
    data = {**CONTACT, "head_name": "孙\x00县长"}
    assert_refused(login(head_a), url, data, [Unit], obj=unit_a, field="head_name")


def group_data(unit, **overrides):
    data = {
        "year": "2026",
        "name": "第二招商协作组",
        "leader_name": "李市长",
        "leader_title": "副市长",
        "lead_unit": unit.pk,
        "sort_order": "2",
        "members": [unit.pk],
    }
    data.update(overrides)
    return data


GROUP_CASES = corpus.cases(
    year=corpus.YEAR,
    name=corpus.NAME_REQUIRED,
    leader_name=corpus.NAME_REQUIRED,
    leader_title=corpus.NAME,
    lead_unit=corpus.FOREIGN_KEY_REQUIRED,
    members=corpus.FOREIGN_KEY,
    sort_order=corpus.INTEGER,
)
GROUP_WATCH = [CollaborationGroup, GroupMembership]


def test_group_baseline_is_saved(login, reviewer, unit_b):
    assert_saved(login(reviewer), reverse("units:group_add"), group_data(unit_b))
    assert CollaborationGroup.objects.filter(name="第二招商协作组", year=2026).exists()


def group_form(data, group=None):
    """GroupForm as GroupEditView builds it (the year field starts at the current year)."""
    initial = {"year": timezone.localdate().year}
    return GroupForm(as_post(data), initial=initial, instance=fresh(group) if group else None)


@pytest.mark.parametrize("field, case, value", GROUP_CASES, ids=corpus.ids(GROUP_CASES))
def test_new_group_refuses(unit_b, group, field, case, value):
    form = group_form(group_data(unit_b, **{field: value}))
    assert_form_refuses(form, GROUP_WATCH, field=field)


def test_the_new_group_page_refuses_a_bad_value(login, reviewer, unit_b, group):
    data = group_data(unit_b, year="99999")
    url = reverse("units:group_add")
    assert_refused(login(reviewer), url, data, GROUP_WATCH, field="year")


@pytest.mark.parametrize("field, case, value", GROUP_CASES, ids=corpus.ids(GROUP_CASES))
def test_group_edit_refuses(unit_a, lead_unit, group, field, case, value):
    data = group_data(lead_unit, name=group.name, members=[lead_unit.pk, unit_a.pk])
    data[field] = value
    assert_form_refuses(group_form(data, group), GROUP_WATCH, obj=group, field=field)


def test_the_group_edit_page_refuses_a_bad_value(login, reviewer, unit_a, lead_unit, group):
    data = group_data(lead_unit, name=group.name, members=[lead_unit.pk, "999999"])
    url = reverse("units:group_edit", args=[group.pk])
    assert_refused(login(reviewer), url, data, GROUP_WATCH, obj=group, field="members")


def test_duplicate_group_name_in_the_same_year_is_refused(login, reviewer, unit_b, group):
    data = group_data(unit_b, name=group.name)
    _response, errors = assert_refused(
        login(reviewer), reverse("units:group_add"), data, GROUP_WATCH
    )
    assert any("存在" in e for e in errors)


def test_a_unit_in_two_groups_of_one_year_is_refused(login, reviewer, unit_a, unit_b, group):
    data = group_data(unit_b, members=[unit_b.pk, unit_a.pk])
    _response, errors = assert_refused(
        login(reviewer), reverse("units:group_add"), data, GROUP_WATCH
    )
    assert any("只能属于一个协作组" in e for e in errors)
