"""The demo assessment data loads, is idempotent and gives the pages content."""

import re
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.models import AssessmentYear, Snapshot, SnapshotStatus, Target
from assessment.snapshots import result_of
from assessment.totals import indicator_totals
from units.models import User
from zhaoshang.ops.demo import assessment as demo
from zhaoshang.ops.demo import city as units_demo


def test_demo_loads_twice_without_changes(db):
    units_demo.load(StringIO())
    demo.load(StringIO())
    counts = (Target.objects.count(), Snapshot.objects.count())
    demo.load(StringIO())
    assert (Target.objects.count(), Snapshot.objects.count()) == counts
    assert set(AssessmentYear.objects.values_list("year", flat=True)) == {2025, 2026}
    published = Snapshot.objects.filter(year__year=2025, status=SnapshotStatus.PUBLISHED)
    assert sorted(published.values_list("quarter", flat=True)) == [1, 2, 3, 4]
    drafts = Snapshot.objects.filter(year__year=2026, status=SnapshotStatus.DRAFT)
    assert sorted(drafts.values_list("quarter", flat=True)) == [1, 2, 3]
    q3 = result_of(drafts.get(quarter=3))
    assert sum(1 for u in q3.units if u.ranked) >= 30
    assert {g.ranked for g in q3.groups} == {True}


def test_the_demos_published_year_end_bulletin_counts_new_100m_signings(db, client):
    """Issue 15 path 10: the demo's last year was published with every project it signed counted
    as 结转, so its year-end 通报 read 新引进亿元合同项目 "0 个" for the whole city."""
    call_command("load_demo", stdout=StringIO())
    last_year = timezone.localdate().year - 1
    client.force_login(User.objects.get(username="leader"))
    page = client.get(reverse("assessment:report", args=[last_year, 4])).content.decode()
    row = re.search(r"<td>新引进亿元合同项目</td>((?:<td[^>]*>[^<]*</td>){3})", page)
    target, signed, pct = re.findall(r">([^<]*)</td>", row.group(1))
    assert target.endswith(" 个") and signed.endswith(" 个")
    assert Decimal(signed.removesuffix(" 个")) > 0 and pct != "0.00%"
    published = Snapshot.objects.get(
        year__year=last_year, quarter=4, status=SnapshotStatus.PUBLISHED
    )
    totals = {row.spec.code: row.actual for row in indicator_totals(result_of(published))}
    assert totals["signed_100m"] == Decimal(signed.removesuffix(" 个"))


def test_the_demos_published_year_end_bulletin_puts_its_zero_progress_units_third(db, client):
    """Issue 17: the demo's 2025 Q4 had 23 零进度 units sharing rank 18, all in 第二方阵, and a
    "第三方阵（0 个） 无。" in the 通报. Under the year's rules they are 第三方阵, and say so."""
    call_command("load_demo", stdout=StringIO())
    last_year = timezone.localdate().year - 1
    client.force_login(User.objects.get(username="leader"))
    page = client.get(reverse("assessment:report", args=[last_year, 4])).content.decode()
    third = page[page.index("第三方阵（") : page.index("四、低于序时进度的单位")]
    zero = re.search(r'<p data-testid="zero-units">([^<]*)</p>', page).group(1).split("、")
    assert zero and zero != ["无。"]
    assert "第三方阵（0 个）" not in third
    assert all(f"<td>{name}</td>" in third for name in zero)
    assert "零进度单位列第三方阵" in page
