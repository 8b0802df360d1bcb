"""Demo organisation: about 40 units in 5 collaboration groups for this year and last, one unit
changing group between the years, and one login per role."""

from django.utils import timezone

from units.models import CollaborationGroup, GroupMembership, Role, Unit, UnitType, User
from zhaoshang.ops.demo import demo_writes
from zhaoshang.ops.demo.names import NameBook
from zhaoshang.ops.demo.vocabulary import LEADERS, SEED

DEMO_PASSWORD = "zs-demo-2026"

COUNTIES = ["东湖区", "西山区", "南河县", "北塘县", "青川县", "白石县", "临江市", "安平县"]
PARKS = ["高新技术产业开发区", "经济技术开发区", "综合保税区", "临港产业园", "绿色建材产业园"]
DEPARTMENTS = [
    "市发展和改革委员会",
    "市工业和信息化局",
    "市商务局",
    "市科学技术局",
    "市财政局",
    "市自然资源和规划局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市文化和旅游局",
    "市卫生健康委员会",
    "市市场监督管理局",
    "市生态环境局",
    "市水利局",
    "市教育局",
    "市人力资源和社会保障局",
    "市民政局",
    "市应急管理局",
    "市金融工作局",
    "市国资委",
    "市城市管理局",
    "市数据局",
    "市供销合作总社",
    "市工商联",
    "市侨联",
    "市外事办公室",
]
BUREAU = "市投资促进局"

GROUPS = [
    ("第一招商协作组", LEADERS[0], "市委常委、常务副市长"),
    ("第二招商协作组", LEADERS[1], "副市长"),
    ("第三招商协作组", LEADERS[2], "副市长"),
    ("第四招商协作组", LEADERS[3], "市人大常委会副主任"),
    ("第五招商协作组", LEADERS[4], "市政协副主席"),
]
# The demo logins' people: fixed, so the README and the journeys can name them.
LOGIN_PEOPLE = ["赵小燕", "钱立新", "孙丽", "周明远", "吴敏", "郑凯", "王楠"]
HEAD_TITLES = {
    UnitType.BUREAU: "局长",
    UnitType.COUNTY: "区（县、市）长",
    UnitType.PARK: "管委会主任",
    UnitType.CITY_DEPT: "主要负责人",
}
# Units whose head or contact is a demo login's person (the 东湖区 head signs in as `head`).
KNOWN_PEOPLE = {"东湖区": (LOGIN_PEOPLE[1], LOGIN_PEOPLE[0]), "西山区": (None, LOGIN_PEOPLE[2])}


def head_title(name, kind):
    if kind == UnitType.COUNTY:
        return "市长" if name.endswith("市") else "县长" if name.endswith("县") else "区长"
    return HEAD_TITLES[kind]


def people_book():
    """The demo's names, one per person: the logins' and leaders' names are taken first."""
    return NameBook(SEED, taken=[*LEADERS, *LOGIN_PEOPLE])


def _units():
    units = [(BUREAU, UnitType.BUREAU)]
    units += [(n, UnitType.COUNTY) for n in COUNTIES]
    units += [(n, UnitType.PARK) for n in PARKS]
    units += [(n, UnitType.CITY_DEPT) for n in DEPARTMENTS]
    return units


def demo_logins():
    return [
        ("staff", "单位填报员 · 东湖区"),
        ("head", "单位负责人 · 东湖区"),
        ("staff2", "单位填报员 · 西山区"),
        ("coord", "协作组牵头单位 · 市发展和改革委员会"),
        ("reviewer", "考核办"),
        ("leader", "市领导"),
        ("admin", "系统管理员"),
    ]


@demo_writes
def load(stdout):
    year = timezone.localdate().year
    units = {}
    book = people_book()
    for order, (name, kind) in enumerate(_units(), start=1):
        head, contact = KNOWN_PEOPLE.get(name, (None, None))
        unit, _ = Unit.objects.update_or_create(
            name=name,
            defaults={
                "unit_type": kind,
                "sort_order": order,
                "head_name": head or book.name(),
                "head_title": head_title(name, kind),
                "contact_name": contact or book.name(),
                "contact_phone": f"0551-6{order:03d}{order * 37 % 1000:03d}",
            },
        )
        units[name] = unit

    # Spread units over 5 groups: each group leads with a city department and takes counties,
    # parks and departments in turn. One county moves from group 2 to group 3 this year.
    names = [n for n, _ in _units()]
    lead_names = DEPARTMENTS[:5]
    others = [n for n in names if n not in lead_names]
    assignment = {}
    for i, name in enumerate(others):
        assignment[name] = i % 5
    for i, name in enumerate(lead_names):
        assignment[name] = i
    for y in (year - 1, year):
        for index, (gname, leader, title) in enumerate(GROUPS):
            group, _ = CollaborationGroup.objects.update_or_create(
                year=y,
                name=gname,
                defaults={
                    "leader_name": leader,
                    "leader_title": title,
                    "lead_unit": units[lead_names[index]],
                    "sort_order": index + 1,
                },
            )
            for name, gi in assignment.items():
                if name == "西山区":
                    # 西山区 moved from 第二 to 第三招商协作组 this year.
                    gi = 2 if y == year else 1
                if gi == index:
                    GroupMembership.objects.update_or_create(
                        unit=units[name], year=y, defaults={"group": group}
                    )

    people = [
        ("staff", Role.UNIT_STAFF, "东湖区", LOGIN_PEOPLE[0], "招商科科员"),
        ("head", Role.UNIT_HEAD, "东湖区", LOGIN_PEOPLE[1], "区长"),
        ("staff2", Role.UNIT_STAFF, "西山区", LOGIN_PEOPLE[2], "招商科科员"),
        ("coord", Role.COORDINATOR, DEPARTMENTS[0], LOGIN_PEOPLE[3], "综合科科长"),
        ("reviewer", Role.REVIEWER, None, LOGIN_PEOPLE[4], "市考核办科长"),
        # Steps of one claim need different people (SPEC §4): 现场评估 and 会办确认.
        ("reviewer2", Role.REVIEWER, None, LOGIN_PEOPLE[5], "市考核办现场评估组"),
        ("reviewer3", Role.REVIEWER, None, LOGIN_PEOPLE[6], "市考核办综合科"),
        ("leader", Role.LEADER, None, LEADERS[0], "常务副市长"),
        ("admin", Role.ADMIN, None, "系统管理员", ""),
    ]
    for username, role, unit_name, display, title in people:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "unit": units.get(unit_name),
                "display_name": display,
                "title": title,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
    stdout.write(
        f"单位 {Unit.objects.count()} 个，协作组 {CollaborationGroup.objects.count()} 个。"
    )
