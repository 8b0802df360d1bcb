"""The demo city's persons registry (issue 19): the city leaders who sponsor projects (linked to
the leader account of the same name) and, as projects are built, the people credited with them —
a unit's staff member per name and unit, an intermediary per name, as the registry keeps them."""

import datetime

from projects.models import Person, PersonKind
from units.models import Role, User
from zhaoshang.ops.demo.vocabulary import LEADERS


def leaders():
    """{name: Person} of the demo's 市县领导 (副市长), made once."""
    accounts = {
        u.display_name: u for u in User.objects.filter(role=Role.LEADER, person__isnull=True)
    }
    out = {}
    for name in LEADERS:
        out[name], _ = Person.objects.get_or_create(
            kind=PersonKind.LEADER,
            name=name,
            defaults={"title": "副市长", "user": accounts.get(name)},
        )
        # 我的包扶项目 reads the leader account's person: link one registered before the account.
        if out[name].user_id is None and name in accounts:
            out[name].user = accounts[name]
            out[name].save(update_fields=["user"])
    return out


class Introducers:
    """The person behind a demo introducer, made on first use and reused after."""

    def __init__(self):
        self.cache = {
            (p.kind, p.name, p.unit_id): p for p in Person.objects.exclude(kind=PersonKind.LEADER)
        }

    def person(self, name, unit_id, intermediary, organisation, today):
        kind = PersonKind.INTERMEDIARY if intermediary else PersonKind.STAFF
        key = (kind, name, None if intermediary else unit_id)
        if key not in self.cache:
            self.cache[key] = Person.objects.create(
                kind=kind,
                name=name,
                unit_id=key[2],
                organisation=(organisation or "招商顾问公司") if intermediary else "",
                registered_on=today - datetime.timedelta(days=400) if intermediary else None,
            )
        return self.cache[key]
