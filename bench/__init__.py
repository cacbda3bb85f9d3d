"""The performance benchmark behind ``make bench`` (see docs/performance.md).

``python -m bench.run`` builds a synthetic province in a database of its own
(``kpi_portal_bench`` unless ``BENCH_DATABASE_URL`` says otherwise), then times the
monthly job, three pages and the quarterly PDF against plain baselines.
"""
