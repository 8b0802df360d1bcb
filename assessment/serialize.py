"""AssessmentResult ⇄ JSON-safe dict (Decimals as strings, dates ISO), for frozen snapshots."""

import datetime
from dataclasses import asdict, fields
from decimal import Decimal

from assessment.results import AssessmentResult, EntityResult, IndicatorResult, IndicatorSpec

DECIMAL_FIELDS = {
    IndicatorSpec: {"weight"},
    IndicatorResult: {"target", "actual", "completion", "completion_pct", "pending"},
    EntityResult: {"base_score", "adjustment", "score", "overall", "overall_exact", "score_exact"},
}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def result_to_dict(result):
    """A JSON-safe dict of `result`; exact round trip through `result_from_dict`."""
    return _plain(asdict(result))


def _build(cls, data):
    decimals = DECIMAL_FIELDS.get(cls, set())
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue  # fields added later keep their defaults on old snapshots
        value = data[f.name]
        if f.name in decimals and value is not None:
            value = Decimal(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def _entity(data):
    entity = _build(EntityResult, {k: v for k, v in data.items() if k != "indicators"})
    entity.indicators = {
        code: _build(IndicatorResult, r) for code, r in data.get("indicators", {}).items()
    }
    return entity


def result_from_dict(data):
    """Rebuild an AssessmentResult from `result_to_dict` output."""
    return AssessmentResult(
        year=data["year"],
        quarter=data["quarter"],
        period_start=datetime.date.fromisoformat(data["period_start"]),
        period_end=datetime.date.fromisoformat(data["period_end"]),
        expected_progress=Decimal(data["expected_progress"]),
        indicators=[_build(IndicatorSpec, i) for i in data["indicators"]],
        units=[_entity(u) for u in data["units"]],
        groups=[_entity(g) for g in data["groups"]],
        by_unit_type=data.get("by_unit_type", False),
        escalation_mode=data.get("escalation_mode", ""),
        echelon_rules=data.get("echelon_rules", []),
        tie_break=data.get("tie_break", False),
    )
