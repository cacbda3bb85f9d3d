"""Background work of the catalog, found by Celery's autodiscovery: large imports
(``import_jobs``) and handbook PDFs (``handbook_jobs``)."""

from . import handbook_jobs, import_jobs  # noqa: F401  (their @shared_task definitions register here)
