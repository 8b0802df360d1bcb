"""When things happened in the demo city (issue 22 item 5): the rows' own 录入/提出/收集 times
spread over the two years, a little after the day they record — not all "today", the day the
demo was loaded. `auto_now_add` fields are set at insert, so they are rewritten after it."""

import datetime
import random

from django.utils import timezone


def moment(day, rng, after=(0, 3)):
    """An office-hours time on `day` plus a few days (never in the future)."""
    day = day + datetime.timedelta(days=rng.randint(*after))
    at = datetime.datetime.combine(day, datetime.time(8 + rng.randint(0, 9), rng.randint(0, 59)))
    return min(timezone.make_aware(at), timezone.now())


def set_times(model, rows, field="created"):
    """rows: [(obj with pk, datetime)] — writes `field` of each, in batches."""
    objs = []
    for obj, when in rows:
        setattr(obj, field, when)
        objs.append(obj)
    model.objects.bulk_update(objs, [field], batch_size=500)


def claims_entered(model, claims, seed):
    """A claim is entered a day or a few after the day it records (a month's investment after
    the month)."""
    rng = random.Random(f"{seed}-entered-{model.__name__}")
    rows = []
    for claim in claims:
        day = claim.claim_date
        if model.__name__ == "MonthlyInvestment":
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        rows.append((claim, moment(day, rng, (1, 6))))
    set_times(model, rows)
