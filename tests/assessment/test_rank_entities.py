"""rank_entities: shared ranks "1, 2, 2, 4", display order for ties, unranked last."""

import random
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from assessment.engine import echelon_for, rank_entities

FRACTIONS = (Fraction(1, 3), Fraction(2, 3))


def entity(name, score):
    return SimpleNamespace(name=name, score=score, rank=None, echelon=None)


def test_ties_share_a_rank_and_keep_display_order():
    entities = [
        entity("甲", Decimal("80")),
        entity("乙", None),
        entity("丙", Decimal("95")),
        entity("丁", Decimal("80")),
        entity("戊", Decimal("60")),
    ]
    out = rank_entities(entities, FRACTIONS)
    assert [(e.name, e.rank) for e in out] == [
        ("丙", 1),
        ("甲", 2),
        ("丁", 2),
        ("戊", 4),
        ("乙", None),
    ]
    # N = 4 ranked: ⌈4/3⌉ = 2 → ranks 1, 2, 2 are 第一方阵; ⌈8/3⌉ = 3 < 4 → 第三方阵.
    assert [e.echelon for e in out] == [1, 1, 1, 3, None]


def test_matches_counting_higher_scores_on_many_units():
    rng = random.Random(7)
    entities = [entity(f"单位{i}", Decimal(rng.randint(0, 40))) for i in range(500)]
    out = rank_entities(entities, FRACTIONS)
    scores = [e.score for e in entities]
    for e in out:
        assert e.rank == 1 + sum(1 for s in scores if s > e.score)
        assert e.echelon == echelon_for(e.rank, 500, FRACTIONS)
    assert [e.rank for e in out] == sorted(e.rank for e in out)
