"""How the dashboard writes numbers into chart data: Decimals as strings (never floats), so the
figures in a chart are the figures in the table under it."""

from decimal import Decimal

from assessment.engine import round2


def num(value):
    """A Decimal as a JSON-safe string with two places ('12.50'); None stays None."""
    if value is None:
        return None
    return str(round2(Decimal(value)))
