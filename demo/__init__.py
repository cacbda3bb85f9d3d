"""The demo: Khánh Hòa's Department of Finance and two smaller agencies, run by ``manage.py seed_demo``.

The top of the ladder of apps: it may use every app, and no app uses it (``bench`` and tests may).
Catalogs are sample files in ``data/`` loaded through catalog's import; the rest is generated.
"""
