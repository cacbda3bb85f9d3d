"""The fault suite: real processes (gunicorn, Celery, Redis, PostgreSQL) started, broken and restarted.

Run with ``pytest -m faults faults`` (see docs/reliability.md).
"""
