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
from assessment.workbooks.contract import EXAMPLES
from projects.models import AssistanceItem, Evidence, EvidenceKind, Lead, Project
from units.models import Unit, User
from zhaoshang.ops.demo import assessment as demo
from zhaoshang.ops.demo import city as units_demo
from zhaoshang.ops.demo.activity import ASSISTANCE
from zhaoshang.ops.demo.vocabulary import LEADERS


def test_demo_loads_twice_without_changes(db):
    units_demo.load(StringIO())
    demo.load(StringIO())
    counts = (Target.objects.count(), Snapshot.objects.count())
    demo.load(StringIO())
    assert (Target.objects.count(), Snapshot.objects.count()) == counts
    assert set(AssessmentYear.objects.values_list("year", flat=True)) == {2025, 2026}
    published = Snapshot.objects.filter(year__year=2025, status=SnapshotStatus.PUBLISHED)
    assert sorted(published.values_list("quarter", flat=True)) == [1, 2, 3, 4]
    this_year = Snapshot.objects.filter(year__year=2026)
    assert sorted(this_year.values_list("quarter", "status")) == [
        (1, SnapshotStatus.PUBLISHED),
        (2, SnapshotStatus.PUBLISHED),
        (3, SnapshotStatus.DRAFT),
    ]
    q3 = result_of(this_year.get(quarter=3))
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


def _ranked(year, quarter):
    snapshot = Snapshot.objects.filter(year__year=year, quarter=quarter).latest("version")
    return [u for u in result_of(snapshot).units if u.ranked]


def test_the_demo_city_reads_like_a_real_one(db, client):
    """Issue 22 item 5, as a leader would notice it: a few 零进度 units (not 15 of 40), units
    that completed 2025, most units near the time progress in 2026 Q3, varied names of heads,
    whole company names, evidence files that open, and a score trend with several points."""
    call_command("load_demo", stdout=StringIO())
    q4, q3 = _ranked(2025, 4), _ranked(2026, 3)
    assert 1 <= sum(u.status == "零进度" for u in q3) <= 5
    assert sum(u.status == "完成任务" for u in q4) >= 3
    assert sum(u.status == "完成任务" for u in q3) >= 2
    assert sum(u.status == "零进度" for u in q4) <= 8
    near = [u for u in q3 if Decimal(55) <= u.overall <= Decimal(95)]
    assert len(near) * 5 >= len(q3) * 3, sorted(u.overall for u in q3)  # ≥ 60 % near 75 %
    for echelon in (1, 2, 3):
        assert any(u.echelon == echelon for u in q3) and any(u.echelon == echelon for u in q4)

    heads = list(Unit.objects.values_list("head_name", flat=True))
    assert len({h[1:] for h in heads}) == len(heads)  # no two heads share a given name
    assert not any(h.endswith(("明华", "文华")) for h in heads)
    investors = list(Project.objects.values_list("investor_name", flat=True))
    investors += list(Lead.objects.values_list("investor_name", flat=True))
    assert all(n.endswith("有限公司") for n in investors)
    assert not any("投资意向" in n for n in investors)
    assert len(set(investors)) == len(investors)
    names = list(Project.objects.values_list("name", flat=True))
    assert sum(n.startswith("年产") for n in names) >= 60
    assert any("产业园" in n or "生产基地" in n for n in names)

    created = Project.objects.values_list("created__date", flat=True)
    assert len(set(created)) >= 150  # entered over the two years, not all on the load's day
    assert AssistanceItem.objects.exclude(created__date=timezone.localdate()).exists()
    for item in AssistanceItem.objects.all():
        assert item.problem in {p for p, _ in ASSISTANCE[item.category]}

    # A leader drills ranking → unit → claim → its file; a 开工 claim has a JPEG site photo.
    client.force_login(User.objects.get(username="leader"))
    ranking = client.get(reverse("assessment:ranking", args=[2025, 4])).content.decode()
    unit_url = re.search(r'href="(/assessment/2025/q4/units/\d+/)"', ranking).group(1)
    unit_page = client.get(unit_url).content.decode()
    opened = 0
    for claim_url in re.findall(r'href="(/review/claims/[a-z]+/\d+/)"', unit_page)[:20]:
        claim_page = client.get(claim_url).content.decode()
        for file_url in re.findall(r'href="(/projects/evidence/\d+/)"', claim_page)[:1]:
            response = client.get(file_url)
            magic = {"application/pdf": b"%PDF-1.", "image/jpeg": b"\xff\xd8\xff"}
            assert response.status_code == 200
            body = b"".join(response.streaming_content)
            assert body.startswith(magic[response["Content-Type"]])
            opened += 1
    assert opened >= 3
    photo = Evidence.objects.filter(content_type="image/jpeg").first()
    response = client.get(reverse("projects:evidence_download", args=[photo.pk]))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xff\xd8\xff") and body.endswith(b"\xff\xd9")
    assert len(body) == photo.size
    contract = Evidence.objects.filter(kind=EvidenceKind.CONTRACT).first().file.read()
    assert b"%%EOF" in contract and b"STSong-Light" in contract

    # The two 通报 a leader reads: every 方阵 has units, a few 零进度 units named, figures for
    # every indicator city-wide.
    units = set(Unit.objects.values_list("name", flat=True))
    for year, quarter in ((2025, 4), (2026, 3)):
        page = client.get(reverse("assessment:report", args=[year, quarter])).content.decode()
        sizes = [int(n) for n in re.findall(r"第[一二三]方阵（(\d+)\s*个）", page)]
        assert len(sizes) == 3 and min(sizes) >= 5, (year, quarter, sizes)
        zero = re.search(r'<p data-testid="zero-units">([^<]*)</p>', page).group(1).split("、")
        assert 1 <= len(zero) <= 5 and set(zero) <= units, zero
        assert all(
            name in page for name in ("新引进亿元合同项目", "实际到位资金", "亿元新竣工项目")
        )

    client.force_login(User.objects.get(username="staff"))
    page = client.get(reverse("dashboard:index"), {"year": 2026, "quarter": 3})
    trend = page.context["charts"]["trend"]["series"]
    assert sum(value is not None for series in trend for value in series["data"]) >= 3


def test_the_template_examples_do_not_clash_with_the_demo(db):
    units_demo.load(StringIO())
    demo_units = set(Unit.objects.values_list("name", flat=True))
    assert EXAMPLES["单位"]["单位名称"] not in demo_units
    assert not set(EXAMPLES["协作组"]["成员单位"].split("、")) & demo_units
    assert EXAMPLES["协作组"]["组长"] not in LEADERS
    assert EXAMPLES["协作组"]["牵头单位"] not in demo_units
