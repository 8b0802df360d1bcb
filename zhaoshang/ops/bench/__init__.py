"""`make bench`: synthetic city and province data, the engine against its bounds, pages, export.

- `generator`: bulk synthetic data at the S / M / L scales (raw executemany / COPY);
- `methods`: the same quarter's actuals three ways — engine, hand-written SQL, per-unit ORM loop;
- `runner`: one scale on one database (the worker process), timings and query counts as JSON;
- `exports`: the .xlsx export against tablib (time, memory probe) and the workbook import;
- `orchestrate`: scratch databases and one worker process per backend and scale;
- `report`: goals (PASS/FAIL); `render`: console output and docs/benchmarks.md.
"""
