"""The heads-in-post pages (issue 20 item 2): the office records, edits and ends a unit's terms
(optionally ending the head in post when a new one is added); bad input is a Chinese message and
nothing saved; others read the terms without buttons and are refused every write."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import UnitHead
from tests.factories import PersonFactory, UnitFactory

D = datetime.date


def term(unit, name, start, end=None):
    return UnitHead.objects.create(unit=unit, name=name, start=start, end=end)


def terms(unit):
    return [(h.display_name, h.start, h.end) for h in UnitHead.objects.filter(unit=unit)]


def list_url(unit):
    return reverse("assessment:unit_heads", args=[unit.pk])


def add_url(unit):
    return reverse("assessment:unit_head_add", args=[unit.pk])


def page(response):
    return response.content.decode()


def test_the_office_adds_a_head_and_it_shows_on_the_unit_page(login, reviewer, unit_a):
    client = login(reviewer)
    unit_page = page(client.get(unit_a.get_absolute_url()))
    assert "尚无主要负责人任职记录" in unit_page and list_url(unit_a) in unit_page
    response = client.post(
        add_url(unit_a), {"name": "张明", "title": "县长", "start": "2021-03-01", "end": ""}
    )
    assert response.status_code == 302 and response.url == list_url(unit_a)
    assert terms(unit_a) == [("张明", D(2021, 3, 1), None)]
    listing = page(client.get(list_url(unit_a), follow=True))
    assert "已登记主要负责人任职" in listing and "现任" in listing and "县长" in listing
    assert "张明（县长，2021-03-01至今）" in page(client.get(unit_a.get_absolute_url()))


def test_a_registry_person_may_be_named_instead_of_a_name(login, reviewer, unit_a):
    person = PersonFactory(name="王强", unit=unit_a)
    login(reviewer).post(
        add_url(unit_a), {"person": person.pk, "title": "主要负责人", "start": "2024-01-01"}
    )
    assert terms(unit_a) == [("王强", D(2024, 1, 1), None)]


def test_adding_a_new_head_may_end_the_current_term_the_day_before(login, reviewer, unit_a):
    term(unit_a, "张明", D(2021, 3, 1))
    client = login(reviewer)
    form = page(client.get(add_url(unit_a)))
    assert "同时结束现任的任期" in form
    client.post(
        add_url(unit_a),
        {"name": "李华", "title": "主要负责人", "start": "2025-07-01", "close_current": "on"},
    )
    assert terms(unit_a) == [("李华", D(2025, 7, 1), None), ("张明", D(2021, 3, 1), D(2025, 6, 30))]


def test_without_ending_the_current_term_a_new_head_overlaps_and_nothing_is_saved(
    login, reviewer, unit_a
):
    term(unit_a, "张明", D(2021, 3, 1))
    response = login(reviewer).post(
        add_url(unit_a), {"name": "李华", "title": "主要负责人", "start": "2025-07-01"}
    )
    assert response.status_code == 200
    assert "同一单位同一时间只能有一位主要负责人" in page(response)
    assert "任职记录未保存" in page(response)
    assert terms(unit_a) == [("张明", D(2021, 3, 1), None)]


def test_replacing_a_head_refuses_a_start_before_theirs_and_saves_nothing(login, reviewer, unit_a):
    term(unit_a, "张明", D(2021, 3, 1))
    response = login(reviewer).post(
        add_url(unit_a),
        {"name": "李华", "title": "主要负责人", "start": "2020-01-01", "close_current": "on"},
    )
    assert "新任开始日期须晚于现任张明的任职开始日期（2021-03-01）" in page(response)
    assert terms(unit_a) == [("张明", D(2021, 3, 1), None)]


def test_a_refused_replacement_leaves_the_current_head_in_post(login, reviewer, unit_a):
    term(unit_a, "王强", D(2015, 1, 1), D(2020, 12, 31))
    term(unit_a, "张明", D(2021, 3, 1))
    before = terms(unit_a)
    response = login(reviewer).post(
        add_url(unit_a),
        {
            "name": "李华",
            "title": "主要负责人",
            "start": "2022-01-01",
            "end": "2021-12-31",
            "close_current": "on",
        },
    )
    assert "任职结束日期不能早于开始日期" in page(response)
    assert terms(unit_a) == before


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "李华", "title": "主要负责人", "start": ""}, "请填写任职开始日期"),
        ({"name": "李华", "title": "主要负责人", "start": "2025-13-01"}, "任职开始日期格式应为"),
        ({"name": "", "title": "主要负责人", "start": "2025-01-01"}, "请填写负责人姓名"),
        (
            {"name": "李华", "title": "主要负责人", "start": "2025-05-01", "end": "2025-04-30"},
            "任职结束日期不能早于开始日期",
        ),
    ],
)
def test_bad_input_is_a_chinese_message_and_nothing_saved(login, reviewer, unit_a, data, message):
    response = login(reviewer).post(add_url(unit_a), data)
    assert response.status_code == 200 and message in page(response)
    assert not UnitHead.objects.exists()


def test_the_office_edits_a_term(login, reviewer, unit_a):
    head = term(unit_a, "张明", D(2021, 3, 1))
    later = term(unit_a, "李华", D(2024, 1, 1))
    client = login(reviewer)
    url = reverse("assessment:unit_head_edit", args=[head.pk])
    assert "同时结束现任的任期" not in page(client.get(url))
    # Open-ended it overlaps 李华; with its end before 李华's start it is saved.
    refused = client.post(url, {"name": "张明", "title": "县长", "start": "2021-03-01"})
    assert "重叠" in page(refused)
    assert UnitHead.objects.get(pk=head.pk).end is None
    client.post(url, {"name": "张明", "title": "县长", "start": "2021-03-01", "end": "2023-12-31"})
    head.refresh_from_db()
    assert (head.title, head.end) == ("县长", D(2023, 12, 31))
    assert UnitHead.objects.get(pk=later.pk).end is None


def test_the_office_ends_a_term(login, reviewer, unit_a):
    head = term(unit_a, "张明", D(2021, 3, 1))
    client = login(reviewer)
    url = reverse("assessment:unit_head_end", args=[head.pk])
    assert url in page(client.get(list_url(unit_a)))
    refused = client.post(url, {"end": "2020-12-31"}, follow=True)
    assert "任期未结束：任职结束日期不能早于开始日期" in page(refused)
    assert "任期未结束：请填写任职结束日期" in page(client.post(url, {}, follow=True))
    head.refresh_from_db()
    assert head.end is None
    done = client.post(url, {"end": "2025-06-30"}, follow=True)
    assert "已结束任期" in page(done)
    head.refresh_from_db()
    assert head.end == D(2025, 6, 30)
    # An ended term offers no end button and is not ended twice.
    assert url not in page(client.get(list_url(unit_a)))
    assert "任期已于2025-06-30结束" in page(client.post(url, {"end": "2026-01-01"}, follow=True))
    head.refresh_from_db()
    assert head.end == D(2025, 6, 30)


def test_others_read_the_terms_without_buttons_and_are_refused_every_write(
    login, staff_a, head_a, leader, staff_b, unit_a
):
    head = term(unit_a, "张明", D(2021, 3, 1))
    edit = reverse("assessment:unit_head_edit", args=[head.pk])
    end = reverse("assessment:unit_head_end", args=[head.pk])
    for user in (staff_a, head_a, leader):
        client = login(user)
        listing = page(client.get(list_url(unit_a)))
        assert "张明" in listing
        assert add_url(unit_a) not in listing and edit not in listing and end not in listing
        unit_page = page(client.get(unit_a.get_absolute_url()))
        assert "登记、修改任职" not in unit_page and "任职记录" in unit_page
        assert client.get(add_url(unit_a)).status_code == 403
        assert (
            client.post(add_url(unit_a), {"name": "李华", "start": "2025-07-01"}).status_code == 403
        )
        assert client.post(edit, {"name": "李华", "start": "2020-01-01"}).status_code == 403
        assert client.post(end, {"end": "2025-06-30"}).status_code == 403
    # Unit B's staff may not even read unit A's terms.
    assert login(staff_b).get(list_url(unit_a)).status_code == 404
    assert terms(unit_a) == [("张明", D(2021, 3, 1), None)]


def test_the_list_reads_in_a_constant_number_of_queries(login, reviewer):
    def count(n):
        unit = UnitFactory()
        for i in range(n):
            UnitHead.objects.create(
                unit=unit,
                person=PersonFactory(unit=unit) if i % 2 else None,
                name="" if i % 2 else f"负责人{i}",
                start=D(2000 + 2 * i, 1, 1),
                end=D(2001 + 2 * i, 12, 31),
            )
        client = login(reviewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(unit))
        assert len(response.context["heads"]) == n
        return len(queries)

    assert count(6) == count(2)
