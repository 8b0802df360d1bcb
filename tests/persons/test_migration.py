"""From free text to persons (issue 19): duplicates merged, nothing lost, the merges reported."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from projects.person_migration import INTERMEDIARY, LEADER, STAFF, plan, split_title

# (id, project, project's unit, name, organisation, 中介人)
ROWS = [
    (1, 101, 1, "孙强", "甲县招商局", False),
    (2, 102, 1, "孙 强", "", False),  # a space typed inside the name
    (3, 103, 1, "孙强", "甲县商务局", False),
    (4, 104, 1, "孙强 ", "", False),
    (5, 105, 2, "孙强", "", False),  # the same name in another unit: another person
    (6, 106, 1, "王经理", "苏州商会", True),
    (7, 107, 2, "王经理", "", True),  # an intermediary is one person across units
    (8, 101, 1, "孙强", "", False),  # credited twice on project 101
]
SPONSORS = [(101, "李卫东副市长"), (102, "李卫东"), (103, "王市长")]


def test_the_same_name_in_the_same_unit_is_one_person():
    result = plan(ROWS, [])
    sun = result.persons[STAFF, "孙强", 1]
    assert sun.projects == [101, 102, 103, 104]  # the 孙强 of four rows of 十佳 is one
    assert sun.organisation == "甲县招商局；甲县商务局"  # both organisations kept
    assert (STAFF, "孙强", 2) in result.persons
    assert result.persons[INTERMEDIARY, "王经理", None].projects == [106, 107]
    assert len(result.persons) == 3


def test_nothing_is_lost():
    result = plan(ROWS, SPONSORS)
    assigned = [pk for p in result.persons.values() for pk in p.introducers]
    dropped = [pk for pk, _kept in result.duplicates]
    # Every row is credited to a person once, or is the second credit of a person on a project.
    assert sorted(assigned + dropped) == [row[0] for row in ROWS]
    assert result.duplicates == [(8, 1)]
    assert set(result.sponsors) == {101, 102, 103}


def test_leaders_lose_their_title_into_the_title_field():
    assert split_title("李卫东副市长") == ("李卫东", "副市长")
    assert split_title("王市长") == ("王市长", "")  # one character left: kept as written
    result = plan([], SPONSORS)
    li = result.persons[LEADER, "李卫东", None]
    assert li.title == "副市长" and li.projects == [101, 102]
    assert result.sponsors[101] == result.sponsors[102]


def test_persons_are_linked_to_the_one_login_of_their_name():
    users = [(11, 1, "孙强"), (12, 2, "孙强"), (13, 2, "孙强")]  # two logins in unit 2
    result = plan(ROWS, SPONSORS, staff_users=users, leader_users=[(21, "李卫东")])
    assert result.persons[STAFF, "孙强", 1].user_id == 11
    assert result.persons[STAFF, "孙强", 2].user_id is None  # ambiguous: not guessed
    assert result.persons[LEADER, "李卫东", None].user_id == 21


def test_the_report_says_what_was_merged():
    lines = plan(ROWS, SPONSORS).report({1: "甲县", 2: "乙县"})
    text = "\n".join(lines)
    assert "归并为人员 5 人" in lines[0]
    assert "合并：孙强（甲县） — 4 个项目的引资人" in text
    assert "「孙强」、「孙 强」、「孙强」" not in text  # texts listed once each
    assert "合并：王经理 — 2 个项目的中介人" in text
    assert "合并：李卫东 — 2 个项目的包扶领导（原填写 「李卫东副市长」、「李卫东」）" in text
    assert "填写过不同的单位/机构：甲县招商局；甲县商务局" in text
    assert "#8 与 #1 为同一项目同一人" in text


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_the_databases_free_text(capsys):
    """The real migration: back to the free-text schema, rows written there, forward again."""
    executor = MigrationExecutor(connection)
    before = [("projects", "0011_persons_registry")]
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Unit = apps.get_model("units", "Unit")
    Industry = apps.get_model("projects", "Industry")
    Project = apps.get_model("projects", "Project")
    Introducer = apps.get_model("projects", "Introducer")
    units = [Unit.objects.create(name=n, unit_type="county") for n in ("甲县", "乙县")]
    industry = Industry.objects.create(name="电子信息")
    projects = []
    for n, unit in enumerate([units[0]] * 4 + [units[1]]):
        projects.append(
            Project.objects.create(
                code=f"XM{n}",
                name=f"项目{n}",
                investor_name="某公司",
                industry=industry,
                category="industrial",
                unit=unit,
                total_investment=1000,
                sponsor_leader_text="李卫东副市长" if n < 2 else "",
            )
        )
    for n, project in enumerate(projects):
        Introducer.objects.create(project=project, name="孙强" if n != 1 else " 孙强")
    Introducer.objects.create(project=projects[0], name="王经理", is_intermediary=True)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    out = capsys.readouterr().out
    from projects.models import Introducer as Current
    from projects.models import Person, PersonKind
    from projects.models import Project as CurrentProject

    assert Current.objects.count() == 6  # nothing lost
    sun = Person.objects.get(name="孙强", unit__name="甲县")
    assert sun.introductions.count() == 4
    assert Person.objects.filter(name="孙强").count() == 2  # 甲县's and 乙县's
    assert Person.objects.get(name="王经理").kind == PersonKind.INTERMEDIARY
    leader = Person.objects.get(kind=PersonKind.LEADER)
    assert (leader.name, leader.title) == ("李卫东", "副市长")
    assert CurrentProject.objects.filter(sponsor_leader=leader).count() == 2
    assert "合并：孙强（甲县） — 4 个项目的引资人" in out
