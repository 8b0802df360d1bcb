"""The 《简报》 as it is shown (`Brief`, `BriefRow`) and its sealed form: what an issued 简报 shows
is stored on its `CampaignBrief` row (`content`, JSON: Decimals as strings, dates ISO) and the
page and the workbook render it from there, so nothing later — a claim approved afterwards, a
changed measure target or weight, a new measure, a renamed campaign, another issuing office —
moves what a published document shows. This module is the one place that writes and reads it.
"""

import datetime
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal

from assessment.campaigns.measures import MeasureSpec
from assessment.campaigns.periods import Period
from assessment.serialize import _plain, result_from_dict, result_to_dict

VERSION = 1
SPEC_DECIMALS = {"weight", "threshold", "score_cap"}


@dataclass
class BriefRow:
    entity: object  # EntityResult
    change: int | None  # places gained (+) or lost (−) since the previous period
    this_period: dict  # {measure code: Decimal} reported in this period
    reported: bool  # filed a report for this period
    progress: str


@dataclass
class Brief:
    campaign: object
    period: object  # periods.Period
    number: int
    issued: object  # CampaignBrief or None
    result: object  # AssessmentResult through the period's end
    measures: list  # MeasureSpecs
    name: str = ""  # the campaign's name when computed (issued: when issued)
    start: datetime.date | None = None  # the campaign's first day, likewise
    rows: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # units with no report for the period
    totals: dict = field(default_factory=dict)  # {code: (target, actual, this period)}
    signature: list | None = None

    @property
    def draft(self):
        return self.issued is None

    @property
    def title(self):
        return f"{self.name}简报"


def _decimal(value):
    return None if value is None else Decimal(value)


def to_content(brief):
    """The JSON-safe dict stored on the issued row; `from_content` rebuilds the same Brief."""
    period = brief.period
    return {
        "version": VERSION,
        "name": brief.name,
        "start": brief.start.isoformat(),
        "period": {
            "number": period.number,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "cadence": period.cadence,
        },
        "result": result_to_dict(brief.result),
        "measures": [_plain(asdict(spec)) for spec in brief.measures],
        "rows": [
            {
                "unit": row.entity.id,
                "change": row.change,
                "this_period": _plain(row.this_period),
                "reported": row.reported,
                "progress": row.progress,
            }
            for row in brief.rows
        ],
        "missing": [entity.id for entity in brief.missing],
        "totals": {code: _plain(list(t)) for code, t in brief.totals.items()},
        "signature": brief.signature,
    }


def _spec(data):
    names = {f.name for f in fields(MeasureSpec)}
    kwargs = {k: v for k, v in data.items() if k in names}
    for name in SPEC_DECIMALS & kwargs.keys():
        kwargs[name] = _decimal(kwargs[name])
    return MeasureSpec(**kwargs)


def from_content(campaign, issued):
    """The Brief an issued row shows, from its stored content alone (no query)."""
    data = issued.content
    p = data["period"]
    result = result_from_dict(data["result"])
    by_id = {entity.id: entity for entity in result.units}
    brief = Brief(
        campaign=campaign,
        period=Period(
            p["number"],
            datetime.date.fromisoformat(p["start"]),
            datetime.date.fromisoformat(p["end"]),
            p["cadence"],
        ),
        number=issued.number,
        issued=issued,
        result=result,
        measures=[_spec(s) for s in data["measures"]],
        name=data["name"],
        start=datetime.date.fromisoformat(data["start"]),
        signature=data["signature"],
    )
    for row in data["rows"]:
        brief.rows.append(
            BriefRow(
                entity=by_id[row["unit"]],
                change=row["change"],
                this_period={k: _decimal(v) for k, v in row["this_period"].items()},
                reported=row["reported"],
                progress=row["progress"],
            )
        )
    brief.missing = [by_id[pk] for pk in data["missing"]]
    brief.totals = {code: tuple(_decimal(v) for v in t) for code, t in data["totals"].items()}
    return brief


def stored_ranks(issued):
    """{unit id: rank} of the ranked units an issued row shows (what 名次变化 compares with)."""
    return {u["id"]: u["rank"] for u in issued.content["result"]["units"] if u["rank"] is not None}
