"""The demo assessment data loads, is idempotent and gives the pages content."""

from io import StringIO

from assessment.models import AssessmentYear, Snapshot, SnapshotStatus, Target
from assessment.snapshots import result_of
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
