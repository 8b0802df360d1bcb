"""The engine's bound (issue 21): the engine's own statements, run raw.

The statements the engine sends for one quarter are captured (`CaptureQueriesContext`, with their
parameters in place as the database received them) and then timed through the driver's cursor,
each fetched to the last row: the database's share of the engine's work with nothing of
Django's or the engine's Python around it — a true lower bound of `assessment.engine.compute`.
The earlier hand-written SQL (`methods.bound_figures`) ran other statements than the engine's,
so the engine could be faster than it; it stays as a check that the figures agree.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.engine import compute
from zhaoshang.ops.bench.timing import measure

# Transaction and savepoint bookkeeping is not the engine's work on the data.
READS = ("select", "with")


def engine_statements(year, quarter):
    """The SQL texts the engine executes for (`year`, `quarter`), reads only, in order."""
    with CaptureQueriesContext(connection) as ctx:
        compute(year, quarter)
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().lower().startswith(READS)]


def run_raw(statements):
    """Execute every statement on the driver's own cursor and fetch all rows; returns the number
    of rows read."""
    rows = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for sql in statements:
            raw.execute(sql)
            rows += len(raw.fetchall())
    return rows


def measure_bound(year, quarter, runs):
    """(timing, statements, rows) of the engine's statements run raw."""
    statements = engine_statements(year, quarter)
    timing, rows = measure(lambda: run_raw(statements), runs)
    return timing, len(statements), rows
