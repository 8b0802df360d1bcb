"""The ranking page of a city larger than a page (issue 21): 50 rows a page with each unit's rank
in the whole ranking, the 方阵 filter and the name search, the group ranking on its own tab, bad
page numbers, a bounded page size and a query count that does not grow with the city."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment import snapshots, visibility
from assessment.ranking_rows import PAGE_SIZE
from assessment.results import echelon_name
from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import default_year, funds, set_targets
from tests.factories import GroupFactory, ProjectFactory, UnitFactory
from tests.factories.units import add_member
from units.models import UnitType

URL = reverse("assessment:ranking", args=[2026, 2])
ROW = re.compile(r'<tr class="[^"]*" data-entity="(\d+)">(.*?)</tr>', re.S)
CELL = re.compile(r'<td[^>]*data-label="([^"]+)">(.*?)</td>', re.S)


ALL_TARGETS = {
    "signed_100m": 2,
    "started_100m": 2,
    "completed_100m": 1,
    "completed_fai": 5000,
    "funds": 1000,
}


def grow(ay, count, prefix="单位", unit_type=UnitType.COUNTY, targets=None):
    """`count` units with varied Q1 and Q2 funds (so ranks move between quarters); every 25th has
    nothing (零进度), every 20th only one assessed indicator (listed apart when the year asks
    for two). `targets`: every unit's targets instead of 2 signings and 1000 万元 funds."""
    units = []
    for i in range(count):
        unit = UnitFactory(name=f"{prefix}{i:03d}", unit_type=unit_type)
        if targets:
            set_targets(ay, unit, **targets)
        elif i % 20 == 7:
            set_targets(ay, unit, funds=1000)
        else:
            set_targets(ay, unit, funds=1000, signed_100m=2)
        if i % 25:
            project = ProjectFactory(unit=unit)
            funds(project, datetime.date(2026, 2, 1), (i * 37) % 400 + 1)
            funds(project, datetime.date(2026, 5, 1), ((count - i) * 53) % 700 + 1)
        units.append(unit)
    return units


@pytest.fixture
def year(db):
    return default_year(2026, min_indicators=2)


@pytest.fixture
def city(year, reviewer):
    """120 units in two groups: Q1 published, Q2 computed."""
    units = grow(year, 120)
    for n, members in enumerate((units[:60], units[60:]), start=1):
        group = GroupFactory(year=2026, name=f"第{n}组", lead_unit=members[0])
        for unit in members:
            add_member(group, unit)
        set_targets(year, group, funds=30000)
    publish(compute_snapshot(year, 1, reviewer), reviewer)
    compute_snapshot(year, 2, reviewer)
    return year


def rows(page):
    """[(entity id, {column: text})] of the page's ranking rows, in order."""
    out = []
    for entity, body in ROW.findall(page):
        cells = {label: re.sub(r"<[^>]+>", " ", text) for label, text in CELL.findall(body)}
        cells = {label: " ".join(text.split()) for label, text in cells.items()}
        out.append((int(entity), cells, body))
    return out


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def expected(reviewer, ay):
    """The whole Q2 result as the office sees it, and {id: places gained} since Q1."""
    result = visibility.shown_result(reviewer, ay, 2).result
    before = snapshots.result_of(ay.snapshots.get(quarter=1))
    previous = {(e.kind, e.id): e.rank for e in before.units if e.ranked}
    return result, visibility.rank_changes(result.units, previous)


def change_text(change):
    if not change:
        return "—"
    return f"↑{change}" if change > 0 else f"↓{-change}"


def test_pages_show_every_unit_once_with_its_rank_in_the_whole_ranking(city, login, reviewer):
    client = login(reviewer)
    result, changes = expected(reviewer, city)
    pages = [rows(get(client, page=n)) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 20]
    shown = [row for page in pages for row in page]
    assert [entity for entity, _, _ in shown] == [e.id for e in result.units]  # once, in order
    by_id = {e.id: e for e in result.units}
    assert any(changes.values())  # the fixture moves units between quarters
    for entity, cells, body in shown:
        e = by_id[entity]
        assert cells["排名"] == (str(e.rank) if e.rank else "—")
        assert cells["方阵"].startswith("单列" if e.listed_apart else echelon_name(e.echelon))
        assert cells["较上季度"] == change_text(changes.get(entity))
        link = reverse("assessment:unit_assessment", args=[2026, 2, entity])
        assert f'href="{link}"' in body
    # Page 2 starts at the 51st unit's rank, not at 1.
    assert pages[1][0][1]["排名"] == str(result.units[PAGE_SIZE].rank)
    assert int(pages[1][0][1]["排名"]) > 40


def test_the_pager_reads_in_chinese_and_keeps_the_filter(city, login, reviewer):
    page = get(login(reviewer), page=2, q="单位")
    pager = page[page.index('data-testid="ranking-pager"') :]
    assert re.search(r'rel="prev" href="\?[^"]*page=1#ranking-list">上一页<', pager)
    assert re.search(r'rel="next" href="\?[^"]*page=3#ranking-list">下一页<', pager)
    assert 'aria-label="第 3 页"' in pager and "第 2 / 3 页" in pager
    # Every page address keeps the search.
    hrefs = re.findall(r'href="\?([^"#]*)', pager)
    assert len(hrefs) == 4 and all("q=%E5%8D%95%E4%BD%8D" in h for h in hrefs), hrefs


def test_echelon_filter_shows_exactly_that_echelon(city, login, reviewer):
    client = login(reviewer)
    result, _ = expected(reviewer, city)
    first = [e.id for e in result.units if e.ranked and e.echelon == 1]
    shown = rows(get(client, echelon="1"))
    assert [entity for entity, _, _ in shown] == first[:PAGE_SIZE]
    assert {cells["方阵"] for _, cells, _ in shown} == {"第一方阵"}
    unranked = rows(get(client, echelon="0"))
    assert [entity for entity, _, _ in unranked] == [e.id for e in result.units if not e.ranked]
    assert unranked and all(cells["排名"] == "—" for _, cells, _ in unranked)
    # An unknown value is no filter.
    assert len(rows(get(client, echelon="9"))) == PAGE_SIZE


def test_name_search_finds_a_unit_on_any_page_with_its_rank(city, login, reviewer):
    client = login(reviewer)
    result, _ = expected(reviewer, city)
    last = result.units[-1]
    shown = rows(get(client, q=last.name))
    assert [entity for entity, _, _ in shown] == [last.id]
    assert shown[0][1]["排名"] == (str(last.rank) if last.rank else "—")
    # Part of a name, with the echelon filter: both apply.
    target = next(e for e in result.units if e.echelon == 2)
    both = rows(get(client, q=target.name[-2:], echelon="2"))
    assert target.id in [entity for entity, _, _ in both]
    assert all(cells["方阵"] == "第二方阵" for _, cells, _ in both)
    page = get(client, q="没有这个单位")
    assert "没有符合条件的单位" in page and not rows(page)


def test_search_text_is_escaped_back_into_the_form(city, login, reviewer):
    page = get(login(reviewer), q='"><script>x</script>')
    assert "<script>x</script>" not in page
    assert "&quot;&gt;&lt;script&gt;x&lt;/script&gt;" in page


@pytest.mark.parametrize("number", ["0", "-3", "abc", "1.5", "", "２"])
def test_a_page_number_that_is_not_a_positive_number_is_page_one(city, login, reviewer, number):
    client = login(reviewer)
    assert rows(get(client, page=number)) == rows(get(client))


@pytest.mark.parametrize("number", ["4", "99", "9" * 40])
def test_a_page_past_the_end_is_the_last_page(city, login, reviewer, number):
    client = login(reviewer)
    last = rows(get(client, page=number))
    assert last == rows(get(client, page=3)) and len(last) == 20


def test_a_large_city_shows_the_group_ranking_on_its_own_tab(city, login, reviewer):
    client = login(reviewer)
    result, _ = expected(reviewer, city)
    units = get(client)
    assert 'data-testid="ranking-tabs"' in units
    assert "协作组排名（2）" in units and "单位排名（120）" in units
    groups = get(client, show="groups")
    assert [entity for entity, _, _ in rows(groups)] == [g.id for g in result.groups]
    unit_table, group_table = '排名</th><th rowspan="2">单位', '排名</th><th rowspan="2">协作组'
    assert unit_table in units and group_table not in units
    assert group_table in groups and unit_table not in groups
    # The tabs keep the filter and drop the page.
    tab = re.search(r'href="\?([^"]*show=groups)"', get(client, page=2, echelon="1")).group(1)
    assert "echelon=1" in tab and "page=" not in tab


def test_a_small_city_keeps_both_rankings_on_one_page(year, login, reviewer):
    units = grow(year, 12)
    group = GroupFactory(year=2026, name="小组", lead_unit=units[0])
    add_member(group, units[0])
    set_targets(year, group, funds=1000)
    compute_snapshot(year, 2, reviewer)
    page = get(login(reviewer))
    assert 'data-testid="ranking-tabs"' not in page and 'data-testid="ranking-pager"' not in page
    assert len(rows(page)) == 12 + 1 and "协作组排名" in page


def test_unit_type_sections_are_paged_in_order_and_say_when_they_go_on(year, login, reviewer):
    year.rank_by_unit_type = True
    year.save()
    grow(year, 40, prefix="县", unit_type=UnitType.COUNTY)
    grow(year, 30, prefix="园", unit_type=UnitType.PARK)
    compute_snapshot(year, 2, reviewer)
    client = login(reviewer)
    first, second = get(client), get(client, page=2)
    assert "单位排名（县区）" in first and "单位排名（园区）" in first
    assert "单位排名（园区，续）" in second and "单位排名（县区" not in second
    result = visibility.shown_result(reviewer, year, 2).result
    parks = [e for label, members in result.unit_sections() if label == "园区" for e in members]
    shown = rows(first)[40:] + rows(second)
    assert [entity for entity, _, _ in shown] == [e.id for e in parks]
    # Each section its own ranking: the 11th park keeps its rank among parks on page 2.
    assert rows(second)[0][1]["排名"] == (str(parks[10].rank) if parks[10].rank else "—")


def test_page_size_is_bounded_per_row(year, login, reviewer):
    """200 units with five indicators: a page is 50 rows, each under 2 KB of HTML (3.4 KB before
    issue 21), and the whole page far below 300 KB."""
    grow(year, 200, targets=ALL_TARGETS)
    compute_snapshot(year, 2, reviewer)
    client = login(reviewer)
    page = get(client)
    empty = get(client, q="没有这个单位")  # the page without a row: what every page carries
    assert len(rows(page)) == PAGE_SIZE
    per_row = (len(page.encode()) - len(empty.encode())) / PAGE_SIZE
    assert per_row < 2000, per_row
    assert len(page.encode()) < 150_000


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        get(client, page=2, echelon="2", q="单位")
    return len(ctx.captured_queries)


def test_query_count_is_the_same_for_two_city_sizes(year, login, reviewer):
    client = login(reviewer)
    grow(year, 60)
    compute_snapshot(year, 2, reviewer)
    small = _queries(client)
    grow(year, 100, prefix="新单位")
    compute_snapshot(year, 2, reviewer)
    assert _queries(client) == small


def test_the_live_ranking_is_paged_alike(year, login, reviewer):
    """Before any snapshot the office reads a computation now: the same pages and filter."""
    grow(year, 70)
    client = login(reviewer)
    page = get(client, page=2)
    assert "实时测算" in page and len(rows(page)) == 20
    result = visibility.shown_result(reviewer, year, 2).result
    assert [entity for entity, _, _ in rows(page)] == [e.id for e in result.units[PAGE_SIZE:]]
    assert {c["方阵"] for _, c, _ in rows(get(client, echelon="1"))} == {"第一方阵"}
