"""What the dashboard shows of each quarter, as the user may see it, cached by the data version.

The dashboard shows one quarter in full (totals, rankings, distribution), and of the others of
the year and the year before a point of the trend and, for the quarter before, the ranks its
movement column compares with. Rebuilding a city's AssessmentResult from a stored snapshot
(`assessment.serialize`) costs about 15 ms at 500 units and unpickling a cached live one about
7 ms, for each of up to seven quarters (issue 21). So each quarter's result is reduced to what
the dashboard reads — `QuarterFigures`: the period, the indicator totals, and per unit and group
its rank, score, R, echelon and status, without the indicators — and the page's quarters are
cached together under the data version (`zhaoshang.ops.dataversion`), in one entry: one version
query and one cache read a view. Every write of data the figures rest on gives a new version, a
snapshot computed, recomputed, published or unlocked included (snapshots' writes are recorded
too), so a view never shows figures older than the data.

Which source a user sees of each quarter — a snapshot (which version) or a live computation — is
still decided by `assessment.visibility.shown_for`, and the cache key names those sources, so
users who see the same sources share the entry. Snapshots are read without their `data` (the
frozen result, about a megabyte of JSON at M); it is loaded only when the entry is computed.

Totals are the city's, or the focus unit's for a unit user (`charts.unit_focus`, quarter on show
only): a unit user's entry is its own.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.utils import timezone

from assessment import engine, visibility
from assessment.models import AssessmentYear, quarter_of
from assessment.snapshots import result_of
from assessment.totals import indicator_totals, overall_completion
from zhaoshang.ops import dataversion


@dataclass
class Placed:
    """A unit or group of a result as the dashboard shows it (an EntityResult's place and
    headline figures, without its indicators)."""

    kind: str
    id: int
    name: str
    group_name: str
    rank: int | None
    score: Decimal | None
    overall: Decimal | None
    echelon: int | None
    status: str

    @property
    def ranked(self):
        return self.rank is not None

    @classmethod
    def of(cls, e):
        return cls(
            e.kind, e.id, e.name, e.group_name, e.rank, e.score, e.overall, e.echelon, e.status
        )


@dataclass
class QuarterFigures:
    """The dashboard's figures of one quarter's result."""

    year: int
    quarter: int
    period_start: date
    period_end: date
    expected_progress: Decimal
    totals: list  # IndicatorTotal per indicator: the city's, or the focus unit's
    overall: Decimal | None  # overall_completion(totals)
    units: list  # Placed, in the result's order (ranked by rank, then unranked)
    groups: list


def figures_of(result, focus=None):
    """QuarterFigures of an AssessmentResult; totals over unit `focus` alone when given."""
    entities = [u for u in result.units if u.id == focus] if focus else None
    totals = indicator_totals(result, entities)
    return QuarterFigures(
        year=result.year,
        quarter=result.quarter,
        period_start=result.period_start,
        period_end=result.period_end,
        expected_progress=result.expected_progress,
        totals=totals,
        overall=overall_completion(totals),
        units=[Placed.of(u) for u in result.units],
        groups=[Placed.of(g) for g in result.groups],
    )


@dataclass(frozen=True)
class Live:
    """A live computation of a quarter (the source of a quarter without a snapshot)."""

    year: AssessmentYear
    quarter: int
    with_escalation: bool

    def key(self):
        return f"live{int(self.with_escalation)}"

    def result(self):
        return engine.compute(self.year, self.quarter, with_escalation=self.with_escalation)


def _key(source):
    return source.key() if isinstance(source, Live) else f"s{source.pk}"


def _result(source):
    return source.result() if isinstance(source, Live) else result_of(source)


def last_quarter_of(year, today=None):
    """The latest quarter of `year` that has begun (4 for past years, 0 for future ones)."""
    today = today or timezone.localdate()
    if year < today.year:
        return 4
    if year > today.year:
        return 0
    return quarter_of(today)


def quarter_figures(user, year, quarter, focus=None, today=None):
    """{(y, q): QuarterFigures} for every quarter of `year` and `year - 1` up to `quarter` of
    `year`, as the user may see them; plus the shown Snapshot (or None) of (year, quarter).

    Leaders and reviewers get a live computation where no snapshot exists (without escalation,
    except for the quarter on show); other users get announced snapshots only. The quarter on
    show has the totals of unit `focus` when given, the others the city's.
    """
    snaps = visibility.visible_snapshots(user, [year - 1, year], with_data=False)
    years = {ay.year: ay for ay in AssessmentYear.objects.filter(year__in=[year - 1, year])}
    wanted = [(year - 1, q) for q in range(1, last_quarter_of(year - 1, today) + 1)]
    wanted += [(year, q) for q in range(1, quarter + 1)]
    sources = {}
    for key in wanted:
        on_show = key == (year, quarter)
        live = partial(Live, years[key[0]], key[1], on_show) if key[0] in years else None
        # The rule picks the source; the figures of all of them are read (or cached) together.
        shown = visibility.shown_for(user, snaps.get(key), live, read=lambda snapshot: snapshot)
        if shown.result is not None:
            sources[key] = shown.result

    def compute():
        return {
            key: figures_of(_result(source), focus if key == (year, quarter) else None)
            for key, source in sources.items()
        }

    parts = [f"{y}q{q}{_key(source)}" for (y, q), source in sorted(sources.items())]
    figures = dataversion.cached("dashboard-quarters", (*parts, f"u{focus or 0}"), compute)
    return figures, snaps.get((year, quarter))
