"""Every paged list answers bad `page` / `per_page` parameters with a page, never a 500.

`?per_page=-1` used to make django-tables2 build a paginator with a negative page size whose
last page is page 0 (`EmptyPage` "页码小于 1", a 500 on every list); a page size of thirty
digits overflows SQLite's LIMIT. Bad values now clamp: the list shows the nearest page there is.
"""

import pytest
from django.test import RequestFactory

from projects.models import ClaimStatus, DuplicateFlag, DuplicateKind
from tests.factories import UnitFactory
from zhaoshang.web.pagination import PER_PAGE_MAX, page_size, positive_int

# (URL, the user fixture who may see it, a text the one row of the list shows)
LISTS = [
    ("/projects/", "reviewer", "甲县光伏组件项目"),
    ("/projects/leads/", "reviewer", "某新材料公司"),
    ("/projects/visits/", "reviewer", "某客商"),
    ("/projects/assistance/", "reviewer", "用地指标不足"),
    ("/projects/assistance/overdue/", "reviewer", "用地指标不足"),
    ("/review/", "reviewer", "甲县光伏组件项目"),
    ("/review/mine/", "staff_a", "甲县光伏组件项目"),
    ("/review/flags/", "reviewer", "甲县光伏组件项目"),
    ("/units/", "reviewer", "甲县"),
    ("/groups/", "reviewer", "协作组"),
]

BAD_PARAMS = [
    "per_page=-1",
    "per_page=0",
    "per_page=-999999999999999999999",
    "per_page=" + "9" * 30,
    "per_page=abc",
    "per_page=1.5",
    "per_page=",
    "per_page=%EF%BC%93",  # a full-width digit
    "page=-1",
    "page=0",
    "page=abc",
    "page=99999",
    "page=" + "9" * 30,
    "page=-1&per_page=-1",
    "page=99999&per_page=1",
    "page=2&per_page=" + "9" * 30,
    "sort=no_such_column&page=abc",
]


@pytest.fixture
def one_row_each(drafts, lead, visit, assistance, project, group):
    """One row on every list: a submitted claim for the review queue, a duplicate flag."""
    milestone = drafts["milestone"]
    milestone.status = ClaimStatus.SUBMITTED
    milestone.save(update_fields=["status"])
    DuplicateFlag.objects.create(
        kind=DuplicateKind.choices[0][0], project_a=project, detail="名称相近"
    )


@pytest.mark.parametrize("query", BAD_PARAMS)
@pytest.mark.parametrize(("url", "who", "shown"), LISTS)
def test_bad_paging_parameters_show_a_page(request, client, one_row_each, url, who, shown, query):
    client.force_login(request.getfixturevalue(who))
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200, response.content[:300]
    # The nearest page there is: here the only one, with the list's row on it.
    assert shown in response.content.decode()


def test_page_size_clamps_to_the_maximum_and_defaults_otherwise():
    factory = RequestFactory()
    assert page_size(factory.get("/", {"per_page": "10"}), 25) == 10
    assert page_size(factory.get("/", {"per_page": "100000"}), 25) == PER_PAGE_MAX
    for bad in ("-1", "0", "abc", "", "1e3", "３"):
        assert page_size(factory.get("/", {"per_page": bad}), 25) == 25
    assert positive_int("9" * 40) is not None


def test_a_page_past_the_end_shows_the_last_page(client, reviewer, unit_a):
    for _ in range(30):
        UnitFactory()
    client.force_login(reviewer)
    last = client.get("/units/?per_page=10&page=99999")
    assert last.status_code == 200
    table = last.context["table"]
    assert table.page.number == table.paginator.num_pages == 4
