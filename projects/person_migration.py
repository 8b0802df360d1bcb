"""From free text to the persons registry (issue 19): the plan, applied by migration 0011.

Before the registry a project's 引资人 were free-text rows (name, organisation, a yes/no
中介人 flag) and its 包扶领导 a free-text field, so one person appeared as many. The rule:

- an intermediary (中介人 ticked) is one person per name, whatever the project — intermediaries
  belong to no unit;
- anyone else credited is a unit's staff member: one person per name *within the unit of the
  project* (the same name in two units is two people: the registry cannot know better, and the
  office can merge them later);
- a 包扶领导 text is one 市县领导 per name; a trailing title (「李卫东副市长」) is split off into
  the person's 职务, so 「李卫东副市长」 and 「李卫东」 are one leader;
- whitespace inside and around a name is not part of it;
- a person whose name equals exactly one login's 姓名 (in the unit, for staff; among leader
  accounts, for leaders) is linked to that login;
- differing organisations written for one person are all kept, joined with「；」;
- two rows crediting the same person on the same project would count them twice: one is kept.

`plan` is a pure function of the rows read, so tests can check it without a database; `apply`
reads and writes through a migration's `apps` registry. Nothing is lost: every introducer row
ends with a person (or, a duplicate, merged into the row kept), every 包扶领导 text with a
leader, and the original texts stay (`Introducer.name`, `Project.sponsor_leader_text`).
"""

from collections import defaultdict
from dataclasses import dataclass, field

STAFF, LEADER, INTERMEDIARY = "staff", "leader", "intermediary"
UNNAMED = "（未填姓名）"
# Titles split off a 包扶领导 text, longest first so 「副市长」 wins over 「市长」.
TITLES = sorted(
    [
        "常务副市长",
        "副市长",
        "市长",
        "市委书记",
        "副书记",
        "书记",
        "副县长",
        "县长",
        "副区长",
        "区长",
        "主任",
        "副主任",
        "部长",
        "秘书长",
        "主席",
        "副主席",
    ],
    key=len,
    reverse=True,
)


def clean_name(text):
    return "".join((text or "").split()) or UNNAMED


def split_title(text):
    """(name, title) of a leader text: 「李卫东副市长」 → ("李卫东", "副市长"); a name left shorter
    than two characters is not split (「王市长」 stays as written)."""
    text = clean_name(text)
    for title in TITLES:
        if text.endswith(title) and len(text) - len(title) >= 2:
            return text[: -len(title)], title
    return text, ""


@dataclass
class PlannedPerson:
    kind: str
    name: str
    unit_id: int | None
    title: str = ""
    organisations: list = field(default_factory=list)
    user_id: int | None = None
    introducers: list = field(default_factory=list)  # introducer ids credited to them
    projects: list = field(default_factory=list)  # project ids (introduced or sponsored)
    texts: list = field(default_factory=list)  # distinct texts as written

    @property
    def key(self):
        return (self.kind, self.name, self.unit_id)

    @property
    def organisation(self):
        return "；".join(self.organisations)[:200]


@dataclass
class Plan:
    persons: dict = field(default_factory=dict)  # key → PlannedPerson
    duplicates: list = field(default_factory=list)  # (introducer id dropped, id kept)
    sponsors: dict = field(default_factory=dict)  # project id → key
    introducer_rows: int = 0

    def person(self, kind, name, unit_id):
        key = (kind, name, unit_id)
        if key not in self.persons:
            self.persons[key] = PlannedPerson(kind, name, unit_id)
        return self.persons[key]

    def report(self, unit_names=None):
        """Chinese lines saying what was merged: one line per person made of several rows."""
        unit_names = unit_names or {}
        kinds = defaultdict(int)
        for person in self.persons.values():
            kinds[person.kind] += 1
        lines = [
            f"引资人记录 {self.introducer_rows} 条、包扶领导 {len(self.sponsors)} 个项目，"
            f"归并为人员 {len(self.persons)} 人（单位干部职工 {kinds[STAFF]}、"
            f"中介人 {kinds[INTERMEDIARY]}、市县领导 {kinds[LEADER]}）。"
        ]
        for person in sorted(self.persons.values(), key=lambda p: p.key):
            where = unit_names.get(person.unit_id, "") if person.kind == STAFF else ""
            label = f"{person.name}（{where}）" if where else person.name
            what = {STAFF: "引资人", INTERMEDIARY: "中介人", LEADER: "包扶领导"}[person.kind]
            if len(person.projects) > 1 or len(person.texts) > 1:
                written = "、".join(f"「{t}」" for t in person.texts)
                lines.append(
                    f"合并：{label} — {len(person.projects)} 个项目的{what}（原填写 {written}）"
                    "归为一人。"
                )
            if len(person.organisations) > 1:
                lines.append(f"注意：{label} 填写过不同的单位/机构：{person.organisation}。")
            if person.user_id:
                lines.append(f"关联账号：{label} 与同名账号关联。")
        for dropped, kept in self.duplicates:
            lines.append(f"重复：引资人记录 #{dropped} 与 #{kept} 为同一项目同一人，只保留一条。")
        return lines


def plan(introducers, sponsors, staff_users=(), leader_users=()):
    """The persons to make from free text.

    `introducers`: (id, project id, project's unit id, name, organisation, is_intermediary);
    `sponsors`: (project id, 包扶领导 text) of the projects that have one; `staff_users`:
    (user id, unit id, 姓名); `leader_users`: (user id, 姓名) of leader accounts."""
    result = Plan()
    credited = {}  # (project id, key) → introducer id kept
    for pk, project_id, unit_id, name, organisation, is_intermediary in introducers:
        result.introducer_rows += 1
        cleaned = clean_name(name)
        kind = INTERMEDIARY if is_intermediary else STAFF
        person = result.person(kind, cleaned, None if is_intermediary else unit_id)
        if (project_id, person.key) in credited:
            result.duplicates.append((pk, credited[project_id, person.key]))
        else:
            credited[project_id, person.key] = pk
            person.introducers.append(pk)
            if project_id not in person.projects:
                person.projects.append(project_id)
        _note(person.texts, (name or "").strip() or cleaned)
        _note(person.organisations, (organisation or "").strip())
    for project_id, text in sponsors:
        name, title = split_title(text)
        person = result.person(LEADER, name, None)
        person.title = person.title or title
        person.projects.append(project_id)
        _note(person.texts, text.strip())
        result.sponsors[project_id] = person.key
    _link_users(result, staff_users, leader_users)
    return result


def _note(values, value):
    if value and value not in values:
        values.append(value)


def _link_users(result, staff_users, leader_users):
    """A person is linked to the one login with their name (none when two logins share it)."""
    by_unit_name = defaultdict(list)
    for user_id, unit_id, name in staff_users:
        by_unit_name[unit_id, clean_name(name)].append(user_id)
    by_leader_name = defaultdict(list)
    for user_id, name in leader_users:
        by_leader_name[clean_name(name)].append(user_id)
    taken = set()
    for person in result.persons.values():
        if person.kind == STAFF:
            found = by_unit_name.get((person.unit_id, person.name), [])
        elif person.kind == LEADER:
            found = by_leader_name.get(person.name, [])
        else:
            found = []
        if len(found) == 1 and found[0] not in taken:
            person.user_id = found[0]
            taken.add(found[0])


def apply(apps, out=print):
    """Make the persons of the free text still unlinked, link every row to them, and `out` the
    report lines. Persons already registered with the same kind, name and unit are reused, so a
    second run changes nothing. Returns the `Plan`."""
    Person = apps.get_model("projects", "Person")
    Introducer = apps.get_model("projects", "Introducer")
    Project = apps.get_model("projects", "Project")
    User = apps.get_model("units", "User")
    Unit = apps.get_model("units", "Unit")
    rows = (
        Introducer.objects.filter(person__isnull=True)
        .order_by("pk")
        .values_list("pk", "project_id", "project__unit_id", "name", "organisation")
    )
    flags = dict(Introducer.objects.values_list("pk", "is_intermediary"))
    introducers = [(*row, flags[row[0]]) for row in rows]
    sponsors = list(
        Project.objects.filter(sponsor_leader__isnull=True)
        .exclude(sponsor_leader_text="")
        .order_by("pk")
        .values_list("pk", "sponsor_leader_text")
    )
    linked = set(Person.objects.exclude(user=None).values_list("user_id", flat=True))
    users = User.objects.exclude(pk__in=linked).exclude(display_name="")
    result = plan(
        introducers,
        sponsors,
        users.exclude(unit=None).values_list("pk", "unit_id", "display_name"),
        users.filter(role="leader").values_list("pk", "display_name"),
    )
    if not result.persons:
        return result
    existing = {
        (p.kind, p.name, p.unit_id): p
        for p in Person.objects.filter(name__in={k[1] for k in result.persons})
    }
    ids = {}
    for key, planned in result.persons.items():
        person = existing.get(key)
        if person is None:
            person = Person.objects.create(
                kind=planned.kind,
                name=planned.name,
                unit_id=planned.unit_id,
                title=planned.title,
                organisation=planned.organisation,
                user_id=planned.user_id,
                note="由原填写的引资人/包扶领导归并生成",
            )
        ids[key] = person.pk
        Introducer.objects.filter(pk__in=planned.introducers).update(person_id=person.pk)
    for project_id, key in result.sponsors.items():
        Project.objects.filter(pk=project_id).update(sponsor_leader_id=ids[key])
    Introducer.objects.filter(pk__in=[dropped for dropped, _kept in result.duplicates]).delete()
    unit_names = dict(Unit.objects.values_list("pk", "name"))
    for line in result.report(unit_names):
        out(line)
    return result
