"""Synthetic persons registry for the benchmark (issue 19): ten staff members per unit, a few
hundred intermediaries and twenty leaders, through the ORM (a few thousand rows); introducers —
about one project in six credited, a sixth of those also to an intermediary, ~8,300 rows at M —
with the raw bulk insert. A random generator of its own, so the rest of the city is unchanged."""

import random

from projects.models import Introducer, Person, PersonKind

STAFF_PER_UNIT = 10
INTERMEDIARIES = 300
LEADERS = 20
CREDITED = 0.17


def generate(seed, plans, unit_ids):
    """Persons, and introducers of the projects in `plans` ((project id, unit id, dates)).
    Returns {table label: rows written}."""
    from zhaoshang.ops.bench.generator import bulk_insert

    rng = random.Random(f"{seed}-persons")
    staff = Person.objects.bulk_create(
        Person(kind=PersonKind.STAFF, name=f"干部{n:02d}", unit_id=unit_id)
        for unit_id in unit_ids
        for n in range(STAFF_PER_UNIT)
    )
    by_unit = {}
    for person in staff:
        by_unit.setdefault(person.unit_id, []).append(person)
    outside = Person.objects.bulk_create(
        Person(kind=PersonKind.INTERMEDIARY, name=f"中介{n:03d}", organisation="基准咨询公司")
        for n in range(INTERMEDIARIES)
    )
    Person.objects.bulk_create(
        Person(kind=PersonKind.LEADER, name=f"领导{n:02d}", title="副市长") for n in range(LEADERS)
    )

    def rows():
        for pid, unit_id, _dates in plans:
            if rng.random() >= CREDITED:
                continue
            person = rng.choice(by_unit[unit_id])
            yield (pid, person.pk, person.name)
            if rng.random() < 0.17:
                other = rng.choice(outside)
                yield (pid, other.pk, other.name)

    written = bulk_insert(Introducer, ["project_id", "person_id", "name"], rows())
    return {"persons": len(staff) + len(outside) + LEADERS, "introducers": written}
