"""Issue 20 item 3: a unit's parent — no cycles, at most three levels, Chinese messages; the tree
helper; the unit form and page."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UnitFactory
from units.models import UnitType
from units.tree import Tree


@pytest.fixture
def county(db):
    return UnitFactory(name="甲县")


def test_a_unit_cannot_be_its_own_parent_nor_under_its_sub_unit(county):
    town = UnitFactory(name="甲县城关镇", unit_type=UnitType.TOWN, parent=county)
    county.parent = county
    with pytest.raises(ValidationError) as exc:
        county.full_clean()
    assert "不能是本单位或本单位的下属单位" in str(exc.value.message_dict["parent"])
    county.parent = town
    with pytest.raises(ValidationError) as exc:
        county.full_clean()
    assert "不能是本单位或本单位的下属单位" in str(exc.value.message_dict["parent"])


def test_three_levels_at_most(county):
    park = UnitFactory(name="甲县经开区", unit_type=UnitType.PARK, parent=county)
    office = UnitFactory(name="经开区招商科", unit_type=UnitType.OFFICE, parent=park)
    office.full_clean()  # the third level is fine
    fourth = UnitFactory.build(name="第四级", unit_type=UnitType.OFFICE, parent=office)
    with pytest.raises(ValidationError) as exc:
        fourth.full_clean()
    assert "最多 3 级" in str(exc.value.message_dict["parent"])
    # Moving a unit that has sub-units counts its own depth below too.
    other = UnitFactory(name="乙县")
    below = UnitFactory(name="乙县某镇", unit_type=UnitType.TOWN, parent=other)
    other.parent = park
    with pytest.raises(ValidationError):
        other.full_clean()
    assert below.parent_id == other.pk


def test_tree_walks_from_one_query(county, django_assert_num_queries):
    town = UnitFactory(name="甲县城关镇", unit_type=UnitType.TOWN, parent=county)
    park = UnitFactory(name="甲县经开区", unit_type=UnitType.PARK, parent=county)
    office = UnitFactory(name="经开区招商科", unit_type=UnitType.OFFICE, parent=park)
    flat = UnitFactory(name="乙县")
    with django_assert_num_queries(1):
        tree = Tree.load()
    assert tree.top_of(office.pk) == county.pk
    assert tree.top_of(flat.pk) == flat.pk
    assert sorted(tree.children(county.pk)) == sorted([town.pk, park.pk])
    assert set(tree.descendants(county.pk)) == {town.pk, park.pk, office.pk}
    assert tree.depth(office.pk) == 3


def test_unit_form_sets_a_parent_and_the_page_lists_sub_units(county, client, login, reviewer):
    login(reviewer)
    data = {"name": "甲县城关镇", "unit_type": UnitType.TOWN, "parent": county.pk, "sort_order": 0}
    data["is_active"] = "on"
    resp = client.post("/units/add/", data)
    assert resp.status_code == 302
    page = client.get(f"/units/{county.pk}/").content.decode()
    assert "下属单位" in page and "甲县城关镇" in page and f"/units/{county.pk}/subunits/" in page


def test_unit_form_refuses_a_cycle_with_a_message(county, client, login, reviewer):
    town = UnitFactory(name="甲县城关镇", unit_type=UnitType.TOWN, parent=county)
    login(reviewer)
    data = {"name": "甲县", "unit_type": UnitType.COUNTY, "parent": town.pk, "sort_order": 0}
    resp = client.post(f"/units/{county.pk}/edit/", data)
    assert resp.status_code == 200
    assert "不能是本单位或本单位的下属单位" in resp.content.decode()
    county.refresh_from_db()
    assert county.parent_id is None
